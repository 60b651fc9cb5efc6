/**
 * The regression views' data: runs the run's final model (checkpoints/last)
 * over the whole test split once, computes MAE / RMSE / R² over every test
 * sample (per output and their means, the metrics module's accumulator) and
 * keeps at most `limit` (actual, predicted) pairs in `predictions.json`, so
 * later reports need neither the data set nor a backend. Like the
 * misclassified-images grid, it is computed at the end of `dlc run` and by
 * `dlc report`; runs whose targets are not real values get no file.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendChoice } from '../runtime/backend/select.js';
import { defaultCacheDir } from '../runtime/data/download.js';
import { loadDataset } from '../runtime/data/load.js';
import { mainModel } from '../runtime/model/outputs.js';
import { RegressionAccumulator } from '../runtime/metrics/target-metrics.js';
import { feed } from '../runtime/train/feed.js';
import { loadRunModel, locateRun } from '../runtime/train/run-model.js';
import { REPORT_FILES, type Predictions, type TestSetOptions } from './run-data.js';
import { writeFileAtomic } from '../runtime/run-dir/write-atomic.js';

export interface PredictionOptions extends TestSetOptions {
  /** At most this many (actual, predicted) pairs kept (default 2,000); the metrics use every test sample. */
  readonly limit?: number;
}

/** Whether the run's IR says its targets are real values (regression). */
export function isRegressionIr(ir: { target?: { kind: string } } | undefined): boolean {
  return ir?.target?.kind === 'real';
}

/**
 * Writes predictions.json for a regression run and returns the number of
 * pairs kept; 0 (and no file) for other runs. Pairs are the first `limit`
 * test values in order, every output of a sample counted as one pair.
 */
export async function recordPredictions(runDir: string, opts: PredictionOptions = {}): Promise<number> {
  const limit = opts.limit ?? 2000;
  let target: { kind: string } | undefined;
  try {
    target = (JSON.parse(await fs.readFile(path.join(runDir, 'ir.json'), 'utf8')) as { target?: { kind: string } }).target;
  } catch {
    return 0; // not a run directory (dlc report says so)
  }
  if (!isRegressionIr({ target })) return 0;
  const located = await locateRun(runDir, 'last');
  if (!isRegressionIr(located.ir)) return 0;
  if (opts.backend !== null) await initBackend((opts.backend ?? 'cpu') as BackendChoice);
  const run = await loadRunModel(located);
  try {
    const spec = run.ir.spec;
    const width = run.ir.numClasses;
    const ds = opts.dataset ?? (await loadDataset(spec.data, { cacheDir: opts.cacheDir ?? defaultCacheDir(), log: opts.log, seed: spec.seed }));
    const acc = new RegressionAccumulator(width);
    const points: [number, number, number][] = [];
    const batches = feed(ds.test, { batchSize: spec.data.batch_size, shuffle: false, seed: spec.seed, epoch: 0, transforms: spec.data.transforms.eval, numClasses: width });
    for await (const batch of batches) {
      try {
        const out = tf.tidy(() => mainModel(run.model).apply(batch.xs, { training: false }) as tf.Tensor2D);
        const predicted = out.dataSync() as Float32Array;
        out.dispose();
        const actual = batch.ys.dataSync() as Float32Array;
        acc.update(predicted, actual);
        for (let i = 0; i < predicted.length && points.length < limit; i++) points.push([i % width, actual[i], predicted[i]]);
      } finally {
        tf.dispose([batch.xs, batch.ys]);
      }
    }
    const r = acc.report();
    const result: Predictions = { limit, samples: r.samples, width, metrics: { mae: r.mae, rmse: r.rmse, r2: r.r2, per_output: r.perOutput.map((o) => ({ ...o })) }, points };
    await writeFileAtomic(path.join(runDir, REPORT_FILES.predictions), JSON.stringify(result));
    return points.length;
  } finally {
    run.model.dispose();
  }
}
