/**
 * `dlc run SPEC [--set k=v]… [--backend …] [--epochs N] [--runs-dir DIR] [--resume RUN_DIR] [--replicas N] [--initial-weights DIR] [--preprocessing FILE]`:
 * compile, train, evaluate. Thin: the work is `train()` in src/runtime/train.
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { TorchDevice } from '../codegen/pytorch/devices.js';
import { compileFile } from '../compiler/compile.js';
import { hasErrors } from '../compiler/diagnostics/diagnostics.js';
import { formatDiagnostics } from '../compiler/diagnostics/format.js';
import { documentToYaml, specToDocument } from '../compiler/front/denormalize.js';
import type { IR } from '../compiler/ir.js';
import { resolveDataPath } from '../compiler/shared/data-path.js';
import type { BackendChoice } from '../runtime/backend/select.js';
import { defaultCacheDir } from '../runtime/data/download.js';
import { envReplicas } from '../runtime/train/replicas.js';
import { train } from '../runtime/train/train.js';
import { failExpected, usageFailure, type CliIO, type Command } from './io.js';
import { expectedFailure } from './run-errors.js';
import { parseArgs, SET_FLAG, UsageError, type ParsedArgs } from './args.js';
import { flag, positiveInt, RUN_BACKEND_FLAG, RUN_BACKENDS, TORCH_FLAGS } from './run-args.js';

const HELP = `Usage: dlc run SPEC [options]

Compiles SPEC, trains the model on TensorFlow.js (or on PyTorch: --backend torch),
evaluates it on the test split and writes everything into a run directory
runs/<name>/<timestamp>/:
spec.yaml, metrics.jsonl, metrics.csv, report.json, confusion_matrix.csv and
checkpoints/{last,best}/ (tfjs layers format + optimizer and RNG state).

Options:
  --set key=value      override a spec value (repeatable), e.g. --set train.epochs=2
  --backend NAME       ${RUN_BACKENDS.join(' | ')} (default auto: the fastest TensorFlow.js
                       backend that loads; torch: emit the spec as a PyTorch project and train it
                       with Python, same run directory — see docs/codegen/pytorch.md)
  --epochs N           train for N epochs in total (overrides train.epochs)
  --runs-dir DIR       parent of the run directories (default ./runs)
  --resume RUN_DIR     continue RUN_DIR from its last checkpoint (same spec; SPEC may be omitted)
  --initial-weights DIR  start from the weights in DIR (a tfjs layers model: model.json +
                       weights.bin, e.g. a converted zoo model or a run's checkpoints/best)
                       instead of the spec's initial weights; each weight must have the
                       model's shape (the first one that does not is named)
  --preprocessing FILE  (csv and text data) encode the data with FILE, a run's preprocessing.json
                       (means, stds, categories, vocabulary), instead of fitting a new one; saved
                       unchanged as this run's preprocessing.json. With --initial-weights
                       RUN/checkpoints/best give RUN/preprocessing.json, so the inputs mean what
                       those weights learnt (without it, a differing one is warned about)
  --no-report          do not write RUN_DIR/report.html (by default rewritten after every epoch)
  --replicas N         (tfjs) split each batch over N data-parallel replicas (worker threads); default
                       $DLC_REPLICAS, else one per core on wasm (batch norm is synchronised)

With --backend torch:
  --python EXE         the Python with PyTorch (default $DLC_PYTHON, else python3)
  --device NAME        auto | cpu | cuda | mps (default auto: cuda, then mps, then cpu)
  --nproc N            N DistributedDataParallel processes on this machine (gloo on CPU, nccl on GPUs)

Progress goes to stderr (a bar on a terminal, plain lines otherwise); the
final tables go to stdout. Data sets are cached in $DLC_CACHE.

Exit status: 0 done, 1 spec errors or the loss became NaN/Inf, 2 usage or I/O error.
`;

/** Makes a relative data.path absolute (relative to the spec's folder), so the run directory works from anywhere. */
function absoluteDataPath(ir: IR, specDir: string): IR {
  const p = ir.spec.data.path;
  const split = ir.spec.data.test_split;
  if ((p === undefined || isAbsolute(p)) && (split?.path === undefined || isAbsolute(split.path))) return ir;
  // A package file (vega-datasets/data/penguins.json) when no such file is next to the spec (compiler/shared/data-path.ts).
  const data = { ...ir.spec.data, ...(p !== undefined ? { path: resolveDataPath(p, specDir) } : {}), ...(split?.path !== undefined ? { test_split: { ...split, path: resolveDataPath(split.path, specDir) } } : {}) };
  return { ...ir, spec: { ...ir.spec, data } };
}

async function run(args: readonly string[], io: CliIO): Promise<number> {
  const usage = (msg: string): number => usageFailure('run', msg, io, HELP);
  let parsed: ParsedArgs;
  let epochs: number | undefined;
  let replicas: number | undefined;
  let nproc: number | undefined;
  try {
    parsed = parseArgs(args, [SET_FLAG, RUN_BACKEND_FLAG, ...TORCH_FLAGS, { name: 'epochs', value: true }, { name: 'runs-dir', value: true }, { name: 'resume', value: true }, { name: 'replicas', value: true }, { name: 'no-report' }, { name: 'initial-weights', value: true }, { name: 'preprocessing', value: true }]);
    epochs = positiveInt(parsed, 'epochs');
    replicas = positiveInt(parsed, 'replicas');
    nproc = positiveInt(parsed, 'nproc');
  } catch (e) {
    if (e instanceof UsageError) return usage(e.message);
    throw e;
  }
  const resume = flag(parsed, 'resume');
  const initialWeights = flag(parsed, 'initial-weights');
  if (initialWeights !== undefined && resume !== undefined) return usage('--initial-weights and --resume exclude each other (a resumed run continues from its own checkpoint)');
  const preprocessingArg = flag(parsed, 'preprocessing');
  if (preprocessingArg !== undefined && resume !== undefined) return usage('--preprocessing and --resume exclude each other (a resumed run keeps its own preprocessing.json)');
  const preprocessingFile = preprocessingArg !== undefined ? resolve(io.cwd, preprocessingArg) : undefined;
  const torch = flag(parsed, 'backend') === 'torch';
  for (const f of TORCH_FLAGS) if (!torch && parsed.flags[f.name] !== undefined) return usage(`--${f.name} needs --backend torch`);
  if (torch && replicas !== undefined) return usage('--replicas is for the TensorFlow.js backends; with --backend torch use --nproc N');
  if (parsed.positional.length > 1) return usage(`expected one SPEC, got ${parsed.positional.length}`);
  const specArg = parsed.positional[0];
  if (!specArg && !resume) return usage('missing SPEC');

  let ir: IR;
  if (specArg) {
    const result = compileFile(resolve(io.cwd, specArg), { set: parsed.sets, displayPath: specArg });
    if (result.diagnostics.length > 0) io.stderr.write(formatDiagnostics(result.diagnostics, { color: io.stderr.isTTY === true }));
    if (hasErrors(result.diagnostics) || !result.ir) {
      // An unreadable file is an I/O problem, not a mistake in the spec.
      return result.diagnostics.some((d) => d.code === 'DLC007') ? 2 : 1;
    }
    ir = absoluteDataPath(result.ir, dirname(resolve(io.cwd, specArg)));
  } else {
    if (parsed.sets.length > 0) return usage('--set needs SPEC (a resumed run keeps its spec)');
    const { readRun } = await import('../runtime/run-dir/run-dir.js');
    try {
      ir = (await readRun(resolve(io.cwd, resume!))).ir;
    } catch (e) {
      io.stderr.write(`dlc run: ${(e as Error).message}\n`);
      return 2;
    }
  }

  // report.html in the run directory, rewritten after every epoch (src/report); --no-report turns it off.
  const reporter = parsed.flags['no-report'] ? undefined : (await import('../report/run-hook.js')).runReporter((l) => io.stderr.write(`${l}\n`));
  if (torch) {
    const { runOnTorch } = await import('./run-torch.js');
    if (preprocessingFile !== undefined) {
      // Missing, malformed or of another kind: named here, before Python starts (train.py checks columns and settings).
      const { readGivenPreprocessing } = await import('../runtime/train/preprocessing-file.js');
      try {
        await readGivenPreprocessing(preprocessingFile, ir.spec.data);
      } catch (e) {
        return failExpected('run', e, io, expectedFailure);
      }
    }
    return runOnTorch(
      ir,
      {
        origin: { specFile: specArg ?? join(resume!, 'spec.yaml'), overrides: parsed.sets },
        python: flag(parsed, 'python'),
        device: flag(parsed, 'device') as TorchDevice | undefined,
        nproc,
        runsDir: resolve(io.cwd, flag(parsed, 'runs-dir') ?? 'runs'),
        resume: resume ? resolve(io.cwd, resume) : undefined,
        epochs,
        ...(initialWeights !== undefined ? { initialWeights: resolve(io.cwd, initialWeights) } : {}),
        ...(preprocessingFile !== undefined ? { preprocessing: preprocessingFile } : {}),
        reporter,
      },
      io,
    );
  }
  try {
    const result = await train(ir, {
      onEpoch: reporter?.onEpoch,
      onStep: reporter?.onStep,
      backend: (flag(parsed, 'backend') ?? 'auto') as BackendChoice,
      epochs,
      replicas: replicas ?? envReplicas(io.env),
      runsDir: resolve(io.cwd, flag(parsed, 'runs-dir') ?? 'runs'),
      resume: resume ? resolve(io.cwd, resume) : undefined,
      ...(initialWeights !== undefined ? { initialWeights: resolve(io.cwd, initialWeights) } : {}),
      ...(preprocessingFile !== undefined ? { preprocessingFile } : {}),
      cacheDir: defaultCacheDir(io.env),
      // The runtime reads no YAML: the run directory's spec.yaml is rendered here.
      specYaml: documentToYaml(specToDocument(ir.spec), ['# Resolved spec of this run (every default filled in), written by dlc run']),
      stdout: io.stdout,
      stderr: io.stderr,
    });
    const page = await reporter?.finish(result.runDir);
    if (page) io.stderr.write(`report: ${page}\n`);
    if (result.stopReason === 'non_finite_loss') return 1;
    return 0;
  } catch (e) {
    return failExpected('run', e, io, expectedFailure);
  }
}

export const command: Command = {
  name: 'run',
  summary: 'train and evaluate a spec, writing a run directory',
  help: HELP,
  run,
};
