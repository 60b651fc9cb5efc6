/**
 * A saved preprocessing (a run's preprocessing.json: a csv table's means,
 * stds and categories, a forecasting window's mean and std, a text set's
 * vocabulary) read back to encode data as that run did instead of fitting
 * again: `dlc run --preprocessing FILE` and an emitted project's, and a resumed
 * run (its own preprocessing.json, so a run started from a given one resumes
 * with it). Also what `--initial-weights` from a run compares its fitted one with.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { DataSpec } from '../../compiler/spec.js';
import { canonicalJson } from './canonical-json.js';
import { RunError } from './errors.js';

/** The kinds the data loaders write (runtime/data/sets/csv.ts, text.ts). */
export const PREPROCESSING_KINDS = ['table', 'window', 'text'] as const;

/** A parsed preprocessing.json; the loader of its kind checks the rest against the spec. */
export interface SavedPreprocessing {
  readonly kind: (typeof PREPROCESSING_KINDS)[number];
}

/** Reads and checks `file`; a clear RunError naming the file when it is missing, not JSON, or not a preprocessing. */
export async function readPreprocessingFile(file: string): Promise<SavedPreprocessing> {
  return (await readPreprocessingSource(file)).saved;
}

/** A preprocessing file as given (dlc run --preprocessing): its bytes are what the new run saves, unchanged. */
export interface GivenPreprocessing {
  readonly file: string;
  readonly text: string;
  readonly saved: SavedPreprocessing;
}

/**
 * The kind of preprocessing `data` is encoded with (csv: table or window, text: text), undefined
 * for data sets that have none (images, synthetic).
 */
export function preprocessingKindOf(data: Pick<DataSpec, 'dataset' | 'window'>): SavedPreprocessing['kind'] | undefined {
  if (data.dataset === 'csv') return data.window ? 'window' : 'table';
  if (data.dataset === 'text') return 'text';
  return undefined;
}

/**
 * Reads `file` (readPreprocessingFile's checks) for a run of `data`: a RunError naming the file when
 * `data` has no preprocessing or needs one of another kind. Columns and settings are the loader's to check.
 */
export async function readGivenPreprocessing(file: string, data: Pick<DataSpec, 'dataset' | 'window'>): Promise<GivenPreprocessing> {
  const need = preprocessingKindOf(data);
  if (need === undefined) throw new RunError(`--preprocessing ${file}: the spec's data set ${data.dataset} has no preprocessing (only csv and text data sets have one)`);
  const given = await readPreprocessingSource(file);
  if (given.saved.kind !== need) throw new RunError(`--preprocessing ${file}: it is a ${given.saved.kind} preprocessing, but this spec's ${data.dataset} data needs a ${need} one`);
  return given;
}

async function readPreprocessingSource(file: string): Promise<GivenPreprocessing> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new RunError(`cannot read the preprocessing file ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new RunError(`${file} is not JSON (a run's preprocessing.json is): ${(e as Error).message}`);
  }
  const kind = v && typeof v === 'object' && !Array.isArray(v) ? (v as { kind?: unknown }).kind : undefined;
  if (!PREPROCESSING_KINDS.includes(kind as SavedPreprocessing['kind'])) {
    throw new RunError(`${file} is not a dlc preprocessing.json: its "kind" is ${JSON.stringify(kind)}, not one of ${PREPROCESSING_KINDS.join(', ')}`);
  }
  return { file, text, saved: v as SavedPreprocessing };
}

/** A run directory's own preprocessing.json, or undefined when it has none (image runs). */
export async function runPreprocessing(runDir: string): Promise<SavedPreprocessing | undefined> {
  const file = path.join(runDir, 'preprocessing.json');
  try {
    await readFile(file);
  } catch {
    return undefined;
  }
  return readPreprocessingFile(file);
}

/**
 * The preprocessing.json of the run that initial weights come from (DIR a run's checkpoint, e.g.
 * RUN/checkpoints/best, or the run directory itself); undefined when DIR is not in a run or its run
 * has none or an unreadable one (a warning's input: never an error).
 */
export async function weightsRunPreprocessing(weightsDir: string): Promise<{ file: string; saved: SavedPreprocessing } | undefined> {
  const dir = path.resolve(weightsDir);
  const runDirs = path.basename(path.dirname(dir)) === 'checkpoints' ? [path.dirname(path.dirname(dir)), dir] : [dir];
  for (const runDir of runDirs) {
    const file = path.join(runDir, 'preprocessing.json');
    const saved = await runPreprocessing(runDir).catch(() => undefined);
    if (saved) return { file, saved };
  }
  return undefined;
}

/**
 * Initial weights from a run whose preprocessing.json differs from the one this run fitted learnt
 * other embedding rows or input scaling: the warning naming that file and the flag that reuses it;
 * undefined when they are the same or the weights come from no run with one.
 */
export async function otherPreprocessingWarning(weightsDir: string, fitted: SavedPreprocessing): Promise<string | undefined> {
  const theirs = await weightsRunPreprocessing(weightsDir);
  if (!theirs || canonicalJson(theirs.saved) === canonicalJson(fitted)) return undefined;
  const what = fitted.kind === 'text' ? 'vocabulary' : 'input scaling or categories';
  return `warning: the initial weights come from a run whose preprocessing ${theirs.file} differs from the one this run fitted (${what}); pass --preprocessing ${theirs.file} to encode the data as those weights learnt it`;
}
