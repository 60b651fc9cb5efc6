/**
 * A saved preprocessing (a run's preprocessing.json: a csv table's means,
 * stds and categories, a forecasting window's mean and std, a text set's
 * vocabulary) read back to encode data as that run did instead of fitting
 * again: an emitted project's `--preprocessing FILE`, and a resumed run (its
 * own preprocessing.json, so a run started from a given one resumes with it).
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { RunError } from './errors.js';

/** The kinds the data loaders write (runtime/data/sets/csv.ts, text.ts). */
export const PREPROCESSING_KINDS = ['table', 'window', 'text'] as const;

/** A parsed preprocessing.json; the loader of its kind checks the rest against the spec. */
export interface SavedPreprocessing {
  readonly kind: (typeof PREPROCESSING_KINDS)[number];
}

/** Reads and checks `file`; a clear RunError naming the file when it is missing, not JSON, or not a preprocessing. */
export async function readPreprocessingFile(file: string): Promise<SavedPreprocessing> {
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
  return v as SavedPreprocessing;
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
