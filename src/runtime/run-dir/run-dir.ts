/**
 * The run directory `runs/<name>/<timestamp>/` and the files in it:
 *
 *   spec.yaml              the resolved spec (what was actually run)
 *   ir.json                the lowered IR (eval / predict rebuild from it without recompiling)
 *   run.json               class names, backend, when it started
 *   metrics.jsonl          one JSON object per epoch
 *   metrics.csv            the same as a table
 *   report.json            final test metrics
 *   confusion_matrix.csv   confusion[true][predicted] with class names
 *   checkpoints/last/, checkpoints/best/
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { IR } from '../../compiler/ir.js';
import type { MetricsReport } from '../contracts.js';
import { confusionMatrixCsv } from '../metrics/index.js';
import { RunError } from '../train/errors.js';
import { CheckpointError, MAX_CHECKPOINT_JSON_BYTES, readCheckpointJson, readRegular } from '../checkpoint/safe-files.js';
import { parseJsonl } from './jsonl.js';
import { writeFileAtomic } from './write-atomic.js';

/** One epoch's line in metrics.jsonl. Keys besides `epoch`/`step` are metric values. */
export interface EpochRecord {
  /** 1-based epoch number. */
  readonly epoch: number;
  /** Optimizer steps taken by the end of this epoch. */
  readonly step: number;
  readonly lr: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly val_loss?: number;
  readonly val_accuracy?: number;
  readonly val_f1?: number;
  /** Real-valued targets: the validation split's mean absolute error (metrics.jsonl only). */
  readonly val_mae?: number;
  readonly seconds: number;
  readonly samples_per_second: number;
}

/** What run.json holds. */
export interface RunInfo {
  readonly name: string;
  readonly started: string;
  readonly backend: string;
  readonly backendReason: string;
  readonly classNames: readonly string[];
}

export const FILES = {
  spec: 'spec.yaml',
  ir: 'ir.json',
  run: 'run.json',
  metricsJsonl: 'metrics.jsonl',
  metricsCsv: 'metrics.csv',
  report: 'report.json',
  confusion: 'confusion_matrix.csv',
  checkpoints: 'checkpoints',
} as const;

function stamp(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** Creates a fresh `<runsDir>/<name>/<timestamp>[-n]/` and returns its path. */
export async function createRunDir(runsDir: string, name: string, now: Date = new Date()): Promise<string> {
  const base = path.join(runsDir, name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'run', stamp(now));
  await fs.mkdir(path.dirname(base), { recursive: true });
  for (let i = 0; ; i++) {
    const dir = i === 0 ? base : `${base}-${i}`;
    try {
      await fs.mkdir(dir); // not recursive: fails if it exists, so two runs in the same second get distinct dirs
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/**
 * Uses `dir` itself as a run directory (an emitted project's `--out DIR`):
 * created if absent, refused if it holds anything. Returns its absolute path.
 */
export async function claimRunDir(dir: string): Promise<string> {
  const abs = path.resolve(dir);
  await fs.mkdir(abs, { recursive: true });
  const entries = await fs.readdir(abs);
  if (entries.length > 0) throw new RunError(`${abs} is not empty; a run directory must be new (use --resume to continue a run)`);
  return abs;
}

/**
 * Writes spec.yaml, ir.json and run.json at the start of a run. `specYaml`
 * is the resolved spec in the user's format (the caller renders it: the
 * runtime reads no YAML); without it spec.yaml holds the normalised spec as
 * JSON, which is YAML too.
 */
export async function writeRunStart(dir: string, ir: IR, specYaml: string | undefined, info: RunInfo): Promise<void> {
  const fallback = () => `# Normalised spec of run ${path.basename(dir)} (every default filled in), as JSON
${JSON.stringify(ir.spec, null, 2)}
`;
  await writeFileAtomic(path.join(dir, FILES.spec), specYaml ?? fallback());
  await writeFileAtomic(path.join(dir, FILES.ir), JSON.stringify(ir, null, 1));
  await writeFileAtomic(path.join(dir, FILES.run), JSON.stringify(info, null, 2));
}

/** Reads the IR and run info saved by writeRunStart. */
export async function readRun(dir: string): Promise<{ ir: IR; info: RunInfo }> {
  const read = async (f: string): Promise<unknown> => {
    try {
      // Bounded, regular files only: a run directory from someone else may hold a FIFO or a huge file.
      return await readCheckpointJson(path.join(dir, f), f);
    } catch (e) {
      throw new RunError(`${dir} is not a dlc run directory: cannot read ${f} (${(e as Error).message})`);
    }
  };
  return { ir: (await read(FILES.ir)) as IR, info: (await read(FILES.run)) as RunInfo };
}

/** Reads metrics.jsonl (missing file → []). */
export async function readEpochRecords(dir: string): Promise<EpochRecord[]> {
  let text: string;
  try {
    text = (await readRegular(path.join(dir, FILES.metricsJsonl), FILES.metricsJsonl, { limit: MAX_CHECKPOINT_JSON_BYTES })).toString('utf8');
  } catch (e) {
    if (e instanceof CheckpointError && e.code === 'ENOENT') return [];
    throw new RunError(`${dir}: cannot read ${FILES.metricsJsonl} (${(e as Error).message})`);
  }
  // A line cut short by a kill is dropped: it belongs to an epoch that is re-run.
  return parseJsonl<EpochRecord>(text);
}

const CSV_COLUMNS: readonly (keyof EpochRecord)[] = ['epoch', 'step', 'lr', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'val_f1', 'seconds', 'samples_per_second'];

/** Rewrites metrics.jsonl and metrics.csv from the full history (atomic; the history is small). */
export async function writeEpochRecords(dir: string, records: readonly EpochRecord[]): Promise<void> {
  await writeFileAtomic(path.join(dir, FILES.metricsJsonl), records.map((r) => JSON.stringify(r) + '\n').join(''));
  const rows = records.map((r) => CSV_COLUMNS.map((c) => (r[c] === undefined ? '' : String(r[c]))).join(','));
  await writeFileAtomic(path.join(dir, FILES.metricsCsv), [CSV_COLUMNS.join(','), ...rows].join('\n') + '\n');
}

/**
 * Writes report.json and, for class targets, confusion_matrix.csv (file names
 * can be prefixed, e.g. "eval_val_"). Regression and multi-label reports have
 * no confusion matrix of classes, so none is written for them.
 */
export async function writeReport(dir: string, report: Readonly<Record<string, unknown>>, metrics: MetricsReport | undefined, classNames: readonly string[], prefix = ''): Promise<void> {
  await writeFileAtomic(path.join(dir, prefix + FILES.report), JSON.stringify(report, null, 2) + '\n');
  if (metrics && !metrics.regression && !metrics.multiLabel) await writeFileAtomic(path.join(dir, prefix + FILES.confusion), confusionMatrixCsv(metrics, classNames));
}
