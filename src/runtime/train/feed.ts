/**
 * The train loop's one door to batching. Delegates to the data layer's
 * `epochBatches`; kept as a seam so the loop reads one small interface.
 */
import * as tf from '@tensorflow/tfjs';
import type { TransformSpec } from '../../compiler/spec.js';
import type { Batch, ImageSet } from '../contracts.js';
import { imageSize } from '../data/image-set.js';
import { permutation, rngFor, STREAM } from '../data/random.js';

export interface FeedOptions {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  /** 0-based epoch (shuffle and augmentation derive from (seed, epoch, batch)). */
  readonly epoch: number;
  readonly transforms: readonly TransformSpec[];
  readonly numClasses: number;
}

/** Number of batches an epoch over `count` samples has (the last one may be short). */
export function batchesPerEpoch(count: number, batchSize: number): number {
  return Math.ceil(count / batchSize);
}

/** The epoch's batches, in order. The consumer disposes each batch's tensors. */
export async function* feed(set: ImageSet, opts: FeedOptions): AsyncGenerator<Batch> {
  const order = opts.shuffle ? permutation(set.count, rngFor(opts.seed, opts.epoch, STREAM.shuffle)) : null;
  const size = imageSize(set.shape);
  const n = batchesPerEpoch(set.count, opts.batchSize);
  for (let b = 0; b < n; b++) {
    const start = b * opts.batchSize;
    const count = Math.min(opts.batchSize, set.count - start);
    const pixels = new Float32Array(count * size);
    const labels = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const j = order ? order[start + i] : start + i;
      const src = set.images.subarray(j * size, (j + 1) * size);
      for (let k = 0; k < size; k++) pixels[i * size + k] = src[k] / 255;
      labels[i] = set.labels[j];
    }
    const xs = tf.tensor4d(pixels, [count, ...set.shape]);
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), opts.numClasses).toFloat() as tf.Tensor2D);
    yield { xs, ys, labels, size: count, index: b };
  }
}
