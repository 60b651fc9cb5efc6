/**
 * Reads what a report needs from a run directory, tolerating a run still in
 * progress (no report.json yet, a metrics.jsonl line cut short) and files
 * older runs do not have (steps.jsonl, machine.json, misclassified.json).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { BackendChoice } from '../runtime/backend/select.js';
import type { LoadedDataset } from '../runtime/contracts.js';
import { parseJsonl } from '../runtime/run-dir/jsonl.js';

/** How a report view runs a run's model over its test split (recordMistakes, recordPredictions). */
export interface TestSetOptions {
  /** Backend to load ('cpu' by default); null keeps the current one (inside `dlc run`). */
  readonly backend?: BackendChoice | string | null;
  readonly cacheDir?: string;
  /** The loaded data set, when the caller has it. */
  readonly dataset?: LoadedDataset;
  readonly log?: (line: string) => void;
}

export type EpochRow = Readonly<Record<string, number>> & { readonly epoch: number };
export interface StepRow {
  readonly step: number;
  readonly epoch: number;
  readonly loss: number;
  readonly lr: number;
}

/** The final test metrics (report.json), as far as the report reads them. */
export interface FinalReport {
  readonly split?: string;
  readonly checkpoint?: string;
  readonly backend?: string;
  readonly epochs?: number;
  readonly global_step?: number;
  readonly stop_reason?: string;
  readonly train_seconds?: number;
  readonly samples?: number;
  readonly loss?: number;
  readonly accuracy?: number;
  readonly top_k_accuracy?: Record<string, number>;
  readonly macro?: { precision: number; recall: number; f1: number };
  readonly per_class?: { class: string; precision: number; recall: number; f1: number; support: number }[];
  readonly confusion?: number[][];
  readonly [key: string]: unknown;
}

/** One misclassified test example (misclassified.json, written by `misclassified.ts`). */
export interface Mistake {
  readonly index: number;
  readonly trueClass: number;
  readonly predicted: number;
  readonly probability: number;
  readonly trueProbability: number;
  /** data:image/png;base64,… */
  readonly png: string;
}

/** A regression run's test predictions (predictions.json, written by `regression.ts`). */
export interface Predictions {
  /** At most this many pairs kept. */
  readonly limit: number;
  /** Test samples the metrics cover (all of them). */
  readonly samples: number;
  /** Outputs per sample. */
  readonly width: number;
  readonly metrics: { readonly mae: number; readonly rmse: number; readonly r2: number; readonly per_output: readonly { mae: number; rmse: number; r2: number }[] };
  /** [output index, actual, predicted], the first `limit` in test order. */
  readonly points: readonly (readonly [number, number, number])[];
}

export interface MachineInfo {
  readonly dlc?: string;
  readonly node?: string;
  readonly tfjs?: string;
  readonly platform?: string;
  readonly cpus?: string;
  readonly cores?: number;
  readonly memoryGb?: number;
  readonly hostname?: string;
}

export interface RunData {
  readonly dir: string;
  readonly info: { name?: string; started?: string; backend?: string; backendReason?: string; classNames?: string[] };
  readonly ir?: { nodes: { id: string; op: string; inputs: string[]; shape: number[]; params: { trainable: number; nonTrainable: number }; macs?: number }[]; outputId?: string; spec?: Record<string, unknown>; numClasses?: number; inputShape?: number[]; target?: { kind: 'class' | 'multi_label' | 'real'; width: number } };
  readonly specYaml?: string;
  readonly epochs: EpochRow[];
  readonly steps: StepRow[];
  readonly report?: FinalReport;
  readonly machine?: MachineInfo;
  readonly mistakes?: { readonly limit: number; readonly scanned: number; readonly items: Mistake[] };
  readonly predictions?: Predictions;
}

/** File names this module adds to a run directory. */
export const REPORT_FILES = { steps: 'steps.jsonl', machine: 'machine.json', mistakes: 'misclassified.json', predictions: 'predictions.json', html: 'report.html' } as const;

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function readJson<T>(file: string): Promise<T | undefined> {
  const text = await readText(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** Parses JSON lines, dropping a line cut short by a kill (the run directory's own reader). */
export { parseJsonl };

/** Thrown when the directory is not a run directory. */
export class ReportError extends Error {}

/** Reads a run directory (throws ReportError when it has neither run.json nor ir.json). */
export async function readRunData(dir: string): Promise<RunData> {
  const [info, ir] = await Promise.all([readJson<RunData['info']>(path.join(dir, 'run.json')), readJson<RunData['ir']>(path.join(dir, 'ir.json'))]);
  if (!info && !ir) throw new ReportError(`${dir} is not a dlc run directory (no run.json or ir.json)`);
  const [specYaml, metrics, steps, report, machine, mistakes, predictions] = await Promise.all([
    readText(path.join(dir, 'spec.yaml')),
    readText(path.join(dir, 'metrics.jsonl')),
    readText(path.join(dir, REPORT_FILES.steps)),
    readJson<FinalReport>(path.join(dir, 'report.json')),
    readJson<MachineInfo>(path.join(dir, REPORT_FILES.machine)),
    readJson<RunData['mistakes']>(path.join(dir, REPORT_FILES.mistakes)),
    readJson<Predictions>(path.join(dir, REPORT_FILES.predictions)),
  ]);
  const epochs = parseJsonl<EpochRow>(metrics);
  // Steps beyond the last finished epoch belong to an epoch a kill interrupted.
  const lastEpoch = epochs.length ? epochs[epochs.length - 1].epoch : 0;
  return { dir, info: info ?? {}, ir, specYaml, epochs, steps: parseJsonl<StepRow>(steps).filter((s) => s.epoch <= lastEpoch), report, machine, mistakes, predictions };
}
