/**
 * The misclassified-images grid: runs the run's final model (checkpoints/last)
 * over the test split in order until `limit` mistakes are found, and keeps
 * those images as PNG data URLs with their true and predicted classes in
 * `misclassified.json`, so later reports need neither the data set nor a
 * backend. Bounded: it stops scanning at the limit.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { initBackend, type BackendChoice } from '../runtime/backend/select.js';
import { defaultCacheDir } from '../runtime/data/download.js';
import { loadDataset } from '../runtime/data/load.js';
import type { ImageSet } from '../runtime/contracts.js';
import { feed } from '../runtime/train/feed.js';
import { openRun } from '../runtime/train/run-model.js';
import { mainModel } from '../runtime/model/outputs.js';
import { REPORT_FILES, type Mistake, type TestSetOptions } from './run-data.js';
import { writeFileAtomic } from '../runtime/run-dir/write-atomic.js';

export interface MistakeOptions extends TestSetOptions {
  /** At most this many images (default 32). */
  readonly limit?: number;
}

/** Whether a set holds images (uint8 [h, w, c] with 1 or 3 channels) with class targets. */
export function isImageSet(set: ImageSet): boolean {
  return set.x.dtype === 'uint8' && set.shape.length === 3 && (set.shape[2] === 1 || set.shape[2] === 3) && set.target.kind === 'class';
}

/** One image of a set as a PNG data URL (grayscale or RGB, 0..255). */
export function imagePng(set: ImageSet, index: number): string {
  const [h, w, c] = set.shape;
  const bytes = set.x.values as Uint8Array;
  const png = new PNG({ width: w, height: h });
  const base = index * h * w * c;
  for (let p = 0; p < h * w; p++) {
    const src = base + p * c;
    png.data[p * 4] = bytes[src];
    png.data[p * 4 + 1] = bytes[src + (c >= 3 ? 1 : 0)];
    png.data[p * 4 + 2] = bytes[src + (c >= 3 ? 2 : 0)];
    png.data[p * 4 + 3] = 255;
  }
  return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
}

/** Finds the first `limit` misclassified test images of a run and writes misclassified.json; returns how many. */
export async function recordMistakes(runDir: string, opts: MistakeOptions = {}): Promise<number> {
  const limit = opts.limit ?? 32;
  if (opts.backend !== null) await initBackend((opts.backend ?? 'cpu') as BackendChoice);
  const run = await openRun(runDir, 'last');
  try {
    const spec = run.ir.spec;
    const ds = opts.dataset ?? (await loadDataset(spec.data, { cacheDir: opts.cacheDir ?? defaultCacheDir(), log: opts.log, seed: spec.seed }));
    const set = ds.test;
    if (!isImageSet(set)) return 0; // not images with classes: no grid
    const items: Mistake[] = [];
    let scanned = 0;
    const batches = feed(set, { batchSize: spec.data.batch_size, shuffle: false, seed: spec.seed, epoch: 0, transforms: spec.data.transforms.eval, numClasses: run.ir.numClasses });
    for await (const batch of batches) {
      try {
        if (items.length >= limit) continue; // drain the iterator so its prefetch finishes cleanly
        const probs = tf.tidy(() => tf.softmax(mainModel(run.model).apply(batch.xs, { training: false }) as tf.Tensor2D)).dataSync() as Float32Array;
        const k = run.ir.numClasses;
        for (let i = 0; i < batch.size && items.length < limit; i++) {
          const row = probs.subarray(i * k, (i + 1) * k);
          let pred = 0;
          for (let j = 1; j < k; j++) if (row[j] > row[pred]) pred = j;
          const truth = batch.labels[i];
          const index = scanned + i;
          if (pred !== truth) items.push({ index, trueClass: truth, predicted: pred, probability: row[pred], trueProbability: row[truth], png: imagePng(set, index) });
        }
        scanned += batch.size;
      } finally {
        tf.dispose([batch.xs, batch.ys]);
      }
    }
    await writeFileAtomic(path.join(runDir, REPORT_FILES.mistakes), JSON.stringify({ limit, scanned, items }));
    return items.length;
  } finally {
    run.model.dispose();
  }
}

/** Removes a stale misclassified.json (a resumed run's model changed). */
export async function forgetMistakes(runDir: string): Promise<void> {
  await fs.rm(path.join(runDir, REPORT_FILES.mistakes), { force: true });
}
