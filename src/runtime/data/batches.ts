/**
 * The input pipeline: per-epoch seeded shuffling, batching, scaling to
 * [0, 1], one-hot labels and transforms. The JS-side work of upcoming
 * batches (index gathering, uint8 → float32, one-hot) is prepared ahead in
 * idle turns of the event loop while the consumer trains; tensors are only
 * created when a batch is handed out, so a consumer that stops early leaks
 * nothing.
 */
import * as tf from '@tensorflow/tfjs';
import type { TransformSpec } from '../../compiler/spec.js';
import type { Batch, ImageSet } from '../contracts.js';
import { applyTransforms } from '../transforms/apply.js';
import { imageSize } from './image-set.js';
import { permutation, rngFor, STREAM } from './random.js';

export interface EpochBatchOptions {
  readonly batchSize: number;
  /** Shuffle the order (seeded by seed and epoch); false keeps the set's order. */
  readonly shuffle: boolean;
  readonly seed: number;
  /** 0-based; with seed, keys the shuffle and the augmentation. */
  readonly epoch: number;
  readonly transforms: readonly TransformSpec[];
  readonly numClasses: number;
  /** Batches prepared ahead (JS side). Default 2; 0 prepares each on demand. */
  readonly prefetch?: number;
  /** Whether random transforms apply (train) or eval semantics hold. Default: the value of `shuffle`. */
  readonly training?: boolean;
}

/** uint8 → float32 in [0,1], exactly as Math.fround(v / 255) — what a tensor division gives. */
const SCALE = Float32Array.from({ length: 256 }, (_, v) => v / 255);

interface HostBatch {
  readonly index: number;
  readonly pixels: Float32Array;
  readonly labels: Int32Array;
  readonly oneHot: Float32Array;
}

/** The sample order of one epoch: a permutation seeded by (seed, epoch), or identity. */
export function epochOrder(count: number, shuffle: boolean, seed: number, epoch: number): Int32Array {
  if (shuffle) return permutation(count, rngFor(seed, STREAM.shuffle, epoch));
  return Int32Array.from({ length: count }, (_, i) => i);
}

/** Number of batches in an epoch (the last, partial batch included). */
export function batchCount(count: number, batchSize: number): number {
  return Math.ceil(count / batchSize);
}

function prepare(set: ImageSet, order: Int32Array, b: number, batchSize: number, numClasses: number): HostBatch {
  const start = b * batchSize;
  const n = Math.min(batchSize, set.count - start);
  const per = imageSize(set.shape);
  const pixels = new Float32Array(n * per);
  const labels = new Int32Array(n);
  const oneHot = new Float32Array(n * numClasses);
  const src = set.images;
  for (let i = 0; i < n; i++) {
    const j = order[start + i];
    const from = j * per;
    const to = i * per;
    for (let k = 0; k < per; k++) pixels[to + k] = SCALE[src[from + k]];
    labels[i] = set.labels[j];
    oneHot[i * numClasses + set.labels[j]] = 1;
  }
  return { index: b, pixels, labels, oneHot };
}

/**
 * One epoch of batches over `set`. Every sample appears exactly once; the
 * last batch may be smaller. The consumer disposes each batch's xs and ys.
 */
export async function* epochBatches(set: ImageSet, opts: EpochBatchOptions): AsyncIterableIterator<Batch> {
  if (!(opts.batchSize >= 1)) throw new RangeError(`batch size must be ≥ 1, got ${opts.batchSize}`);
  const order = epochOrder(set.count, opts.shuffle, opts.seed, opts.epoch);
  const total = batchCount(set.count, opts.batchSize);
  const ahead = Math.max(0, opts.prefetch ?? 2);
  const training = opts.training ?? opts.shuffle;
  const [h, w, c] = set.shape;
  const ready = new Map<number, HostBatch>();
  let nextToPrepare = 0;
  let scheduled = false;

  // Fill the look-ahead window in idle event-loop turns (setImmediate runs
  // whenever the consumer awaits something, e.g. a tensor's data()).
  const schedule = (current: number) => {
    if (scheduled || ahead === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      while (nextToPrepare < total && nextToPrepare <= current + ahead) {
        ready.set(nextToPrepare, prepare(set, order, nextToPrepare, opts.batchSize, opts.numClasses));
        nextToPrepare++;
      }
    });
  };

  for (let b = 0; b < total; b++) {
    let host = ready.get(b);
    if (host) ready.delete(b);
    else {
      host = prepare(set, order, b, opts.batchSize, opts.numClasses);
      nextToPrepare = Math.max(nextToPrepare, b + 1);
    }
    schedule(b + 1);
    const n = host.labels.length;
    const batch = tf.tidy(() => {
      const raw = tf.tensor4d(host.pixels, [n, h, w, c]);
      const xs = applyTransforms(raw, opts.transforms, { training, seed: opts.seed, epoch: opts.epoch, batch: b });
      return { xs, ys: tf.tensor2d(host.oneHot, [n, opts.numClasses]) };
    });
    yield { xs: batch.xs, ys: batch.ys, labels: host.labels, size: n, index: b };
  }
}
