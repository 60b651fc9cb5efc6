/**
 * Runs a sweep: one `dlc run` child process per trial, at most `parallel` at
 * once, each in its own directory `<sweep>/trials/<id>/` (trial.json, log.txt,
 * runs/<name>/<stamp>/). trial.json is written before a trial starts
 * (status running) and after it ends (done / failed / pruned), so re-running
 * the same command skips finished trials and redoes only interrupted ones.
 * A failing trial is recorded and the sweep goes on.
 *
 * Children exit when the sweep process dies (even by SIGKILL): each one
 * watches its stdin, a pipe from the sweep, and ends when the pipe closes.
 */
import { spawn } from 'node:child_process';
import { existsSync, promises as fs, openSync, closeSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../runtime/run-dir/write-atomic.js';
import { sweepRanking } from './monitor.js';
import { SweepError, setValue, type SweepConfig, type Trial } from './space.js';

export type TrialStatus = 'running' | 'done' | 'failed' | 'pruned';

/** What trial.json holds. */
export interface TrialState {
  readonly id: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly status: TrialStatus;
  /** The trial's run directory, relative to the sweep directory. */
  readonly run?: string;
  /** Epochs this trial was asked to train (successive halving raises it rung by rung). */
  readonly epochs?: number;
  readonly exitCode?: number | null;
  /** The last lines of the trial's log, when it failed. */
  readonly error?: string;
  readonly seconds?: number;
}

export interface SweepOptions {
  /** Absolute path of the spec. */
  readonly specPath: string;
  readonly sweepDir: string;
  readonly config: SweepConfig;
  readonly trials: readonly Trial[];
  /** Trial processes at once. */
  readonly parallel: number;
  /** Extra `dlc run` arguments for every trial (--backend, --set, --no-report, …); part of the sweep's identity. */
  readonly runArgs: readonly string[];
  /** Arguments that do not change results (e.g. --replicas 1 when trials run side by side); a re-run may differ in them. */
  readonly processArgs?: readonly string[];
  /** The spec's train.epochs (successive halving's last rung). */
  readonly epochs: number;
  /** A module exporting `main(argv)` (the CLI) or `command` (a command module); default the build's cli/main.js. */
  readonly entry?: string;
  readonly log?: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

/** The file names of a sweep directory. */
export const SWEEP_FILES = { sweep: 'sweep.json', trials: 'trials', trial: 'trial.json', log: 'log.txt', summary: 'summary.json', summaryCsv: 'summary.csv', best: 'best.yaml', report: 'report.html' } as const;

async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Reads a trial's state (undefined if it never started). */
export function readTrial(sweepDir: string, id: string): Promise<TrialState | undefined> {
  return readJson<TrialState>(path.join(sweepDir, SWEEP_FILES.trials, id, SWEEP_FILES.trial));
}

/** The run directory under a trial directory (runs/<name>/<stamp>), if one was made. */
async function findRunDir(trialDir: string): Promise<string | undefined> {
  const runs = path.join(trialDir, 'runs');
  try {
    for (const name of await fs.readdir(runs)) {
      const stamps = (await fs.readdir(path.join(runs, name))).sort();
      if (stamps.length) return path.join(runs, name, stamps[stamps.length - 1]);
    }
  } catch {
    /* no run yet */
  }
  return undefined;
}

/** The monitored value of a run: best over its epochs (metrics.jsonl), or test_* from report.json. */
export async function runMetric(runDir: string, monitor: string, mode: 'min' | 'max'): Promise<number | undefined> {
  if (monitor.startsWith('test_')) {
    const r = await readJson<Record<string, unknown>>(path.join(runDir, 'report.json'));
    const v = r?.[monitor.slice(5)];
    return typeof v === 'number' ? v : undefined;
  }
  let text = '';
  try {
    text = await fs.readFile(path.join(runDir, 'metrics.jsonl'), 'utf8');
  } catch {
    return undefined;
  }
  const vals = text.split('\n').flatMap((l) => {
    try {
      const v = (JSON.parse(l) as Record<string, unknown>)[monitor];
      return typeof v === 'number' && Number.isFinite(v) ? [v] : [];
    } catch {
      return [];
    }
  });
  if (vals.length === 0) return undefined;
  return mode === 'min' ? Math.min(...vals) : Math.max(...vals);
}

const WRAPPER = `
// Ends with the sweep: stdin is a pipe from it, closed when it dies (unref'd: it does not keep this process alive).
process.stdin.on('end', () => process.exit(137));
process.stdin.on('error', () => process.exit(137));
process.stdin.resume();
process.stdin.unref?.();
const m = await import(process.argv[1]);
const args = process.argv.slice(2);
process.exitCode = m.main ? await m.main(args) : await m.command.run(args.slice(1), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
`;

function defaultEntry(): string {
  return fileURLToPath(new URL('../cli/main.js', import.meta.url));
}

/** Runs one `dlc run` child; resolves with its exit code (null when killed by a signal). */
function runChild(entry: string, args: readonly string[], cwd: string, logFile: string, env: NodeJS.ProcessEnv | undefined): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const fd = openSync(logFile, 'a');
    const child = spawn(process.execPath, ['--input-type=module', '-e', WRAPPER, entry, ...args], { cwd, stdio: ['pipe', fd, fd], env: env ?? process.env });
    closeSync(fd);
    child.on('error', reject);
    child.on('exit', (code) => resolve(code));
  });
}

async function tail(file: string, lines = 12): Promise<string> {
  try {
    return (await fs.readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Runs the trials that are not finished yet; returns every trial's final state. */
export async function runSweep(o: SweepOptions): Promise<TrialState[]> {
  const log = o.log ?? (() => {});
  const entry = o.entry ?? defaultEntry();
  await fs.mkdir(path.join(o.sweepDir, SWEEP_FILES.trials), { recursive: true });
  const meta = { spec: o.specPath, config: o.config, runArgs: o.runArgs, trials: o.trials };
  const prev = await readJson<typeof meta>(path.join(o.sweepDir, SWEEP_FILES.sweep));
  if (prev && JSON.stringify({ ...prev, config: undefined }) !== JSON.stringify({ ...meta, config: undefined })) {
    throw new SweepError(`${o.sweepDir} holds a different sweep (spec, arguments or trials differ); remove it or choose another --out`);
  }
  if (!prev) await writeJson(path.join(o.sweepDir, SWEEP_FILES.sweep), meta);

  const { monitor, mode } = sweepRanking(o.config);
  const rungs: number[] = [];
  if (o.config.halving) {
    for (let e = o.config.halving.min_epochs; e < o.epochs; e *= o.config.halving.eta) rungs.push(e);
  }
  rungs.push(o.epochs);

  const states = new Map<string, TrialState>();
  let alive = [...o.trials];
  for (const [r, epochs] of rungs.entries()) {
    const last = r === rungs.length - 1;
    const todo: Trial[] = [];
    for (const t of alive) {
      const s = await readTrial(o.sweepDir, t.id);
      const finished = s && (s.status === 'failed' || s.status === 'pruned' || (s.status === 'done' && (s.epochs ?? o.epochs) >= epochs));
      if (s && finished) states.set(t.id, s);
      else todo.push(t);
    }
    if (todo.length) log(`${rungs.length > 1 ? `rung ${r + 1}/${rungs.length} (${epochs} epochs): ` : ''}${todo.length} trial${todo.length > 1 ? 's' : ''} to run, ${alive.length - todo.length} already finished`);
    await pool(todo, o.parallel, async (t) => states.set(t.id, await runTrial(o, entry, t, epochs, log)));
    if (last) break;
    // Successive halving: the best 1/eta of this rung go on; the rest are pruned (kept in the summary).
    const ranked = await rank(o.sweepDir, alive.map((t) => states.get(t.id)!).filter((s) => s.status === 'done'), monitor, mode);
    const keep = Math.max(1, Math.ceil(alive.length / o.config.halving!.eta));
    const survivors = new Set(ranked.slice(0, keep).map((s) => s.id));
    for (const t of alive) {
      const s = states.get(t.id)!;
      if (s.status === 'done' && !survivors.has(t.id)) {
        const pruned: TrialState = { ...s, status: 'pruned' };
        await writeJson(path.join(o.sweepDir, SWEEP_FILES.trials, t.id, SWEEP_FILES.trial), pruned);
        states.set(t.id, pruned);
      }
    }
    alive = alive.filter((t) => survivors.has(t.id));
  }
  return o.trials.map((t) => states.get(t.id)!);
}

async function rank(sweepDir: string, done: TrialState[], monitor: string, mode: 'min' | 'max'): Promise<TrialState[]> {
  const scored = await Promise.all(done.map(async (s) => ({ s, v: s.run ? await runMetric(path.join(sweepDir, s.run), monitor, mode) : undefined })));
  return scored.sort((a, b) => cmpMetric(a.v, b.v, mode) || a.s.id.localeCompare(b.s.id)).map((x) => x.s);
}

/** Orders metric values best first; missing values last. */
export function cmpMetric(a: number | undefined, b: number | undefined, mode: 'min' | 'max'): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  return mode === 'min' ? a - b : b - a;
}

async function runTrial(o: SweepOptions, entry: string, t: Trial, epochs: number, log: (line: string) => void): Promise<TrialState> {
  const dir = path.join(o.sweepDir, SWEEP_FILES.trials, t.id);
  const stateFile = path.join(dir, SWEEP_FILES.trial);
  const prev = await readTrial(o.sweepDir, t.id);
  const prevRun = prev?.run ? path.join(o.sweepDir, prev.run) : undefined;
  // A later rung continues the trial's run from its checkpoint; anything else starts clean.
  const resume = prevRun && existsSync(path.join(prevRun, 'checkpoints', 'last')) && o.config.halving ? prevRun : undefined;
  if (!resume) {
    await fs.rm(dir, { recursive: true, force: true });
    await fs.mkdir(dir, { recursive: true });
  }
  await writeJson(stateFile, { id: t.id, params: t.params, status: 'running', epochs, ...(prev?.run && resume ? { run: prev.run } : {}) } satisfies TrialState);
  const sets = Object.entries(t.params).flatMap(([k, v]) => ['--set', `${k}=${setValue(v)}`]);
  const args = resume
    ? ['run', '--resume', resume, '--epochs', String(epochs), ...o.runArgs.filter((a, i, all) => a !== '--set' && all[i - 1] !== '--set'), ...(o.processArgs ?? [])]
    : ['run', o.specPath, ...o.runArgs, ...(o.processArgs ?? []), ...sets, '--epochs', String(epochs), '--runs-dir', path.join(dir, 'runs')];
  const started = performance.now();
  log(`${t.id} started: ${Object.entries(t.params).map(([k, v]) => `${k}=${setValue(v)}`).join(' ')}`);
  const code = await runChild(entry, args, dir, path.join(dir, SWEEP_FILES.log), o.env);
  const runDir = await findRunDir(dir);
  const seconds = (prev?.seconds ?? 0) * (resume ? 1 : 0) + (performance.now() - started) / 1000;
  const run = runDir ? path.relative(o.sweepDir, runDir) : undefined;
  const state: TrialState =
    code === 0
      ? { id: t.id, params: t.params, status: 'done', run, epochs, exitCode: 0, seconds }
      : { id: t.id, params: t.params, status: 'failed', run, epochs, exitCode: code, seconds, error: await tail(path.join(dir, SWEEP_FILES.log)) };
  await writeJson(stateFile, state);
  log(`${t.id} ${state.status}${code === 0 ? '' : ` (exit ${code}); see ${path.join(dir, SWEEP_FILES.log)}`}`);
  return state;
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
