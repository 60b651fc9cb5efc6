/**
 * `predictRows(runDir, rows, options)`: predictions for table rows (`dlc
 * predict RUN --row key=value…` or `--rows FILE`) with a csv run: each row is
 * encoded with the run's saved preprocessing (preprocessing.json: the
 * training rows' means and stds, the categories), then the model gives class
 * probabilities (class targets) or the regressed value (real targets).
 */
import * as tf from '@tensorflow/tfjs';
import { mainModel } from '../model/outputs.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeRow, type TablePreprocessing, type TableRow } from '../../compiler/shared/tabular.js';
import { initBackend, type BackendChoice, type BackendInfo } from '../backend/select.js';
import { DataError } from '../data/errors.js';
import { RunError } from './errors.js';
import { loadRunModel, locateRun, type CheckpointChoice } from './run-model.js';

export interface RowPrediction {
  /** Class targets: every class with its probability, highest first. */
  readonly classes?: readonly { readonly className: string; readonly probability: number }[];
  /** Real targets: the model's output. */
  readonly values?: readonly number[];
}

/** Reads a run's preprocessing.json (csv runs only). */
export async function readPreprocessing(runDir: string): Promise<TablePreprocessing> {
  try {
    return JSON.parse(await readFile(join(runDir, 'preprocessing.json'), 'utf8')) as TablePreprocessing;
  } catch (e) {
    throw new RunError(`${runDir} has no readable preprocessing.json (only runs of a csv table spec can predict rows): ${(e as Error).message}`);
  }
}

/** Encodes rows as the run's training did; a row that cannot be encoded is a DataError naming it (1-based). */
export function encodeRows(pre: TablePreprocessing, rows: readonly TableRow[]): Float32Array {
  if (pre.kind !== 'table') throw new DataError('this run forecasts windows of a series; predicting table rows needs a table run');
  const x = new Float32Array(rows.length * pre.width);
  rows.forEach((row, i) => {
    const problem = encodeRow(row, pre, x, i * pre.width);
    if (problem) throw new DataError(`row ${i + 1}: ${problem}`);
  });
  return x;
}

export async function predictRows(runDir: string, rows: readonly TableRow[], options: { checkpoint?: CheckpointChoice; backend?: BackendChoice | null } = {}): Promise<{ predictions: RowPrediction[]; checkpoint: CheckpointChoice; backend?: BackendInfo }> {
  const located = await locateRun(runDir, options.checkpoint);
  const pre = await readPreprocessing(runDir);
  const x = encodeRows(pre, rows);
  const backend = options.backend === null ? undefined : await initBackend(options.backend ?? 'auto');
  const run = await loadRunModel(located);
  try {
    const out = tf.tidy(() => {
      const y = mainModel(run.model).predict(tf.tensor2d(x, [rows.length, pre.width])) as tf.Tensor2D;
      const out = run.ir.nodes.find((n) => n.id === run.ir.outputId);
      const softmaxed = out?.op === 'softmax' || out?.attrs['activation'] === 'softmax';
      return pre.targetType === 'class' && !softmaxed ? tf.softmax(y) : y;
    });
    const v = out.dataSync();
    const w = out.shape[1];
    out.dispose();
    const predictions = rows.map((_, i) => {
      const row = Array.from(v.subarray(i * w, (i + 1) * w));
      if (pre.targetType !== 'class') return { values: row };
      return { classes: row.map((p, j) => ({ className: pre.classes[j] ?? String(j), probability: p })).sort((a, b) => b.probability - a.probability) };
    });
    return { predictions, checkpoint: run.checkpoint, backend };
  } finally {
    run.model.dispose();
  }
}
