/**
 * The input pipeline: per-epoch seeded shuffling, batching, the set's own
 * input scaling (image bytes to [0, 1]), targets (one-hot classes, or the
 * multi-label / real rows) and, for images, the transforms — prepared as
 * plain arrays (gather.ts, transforms/host.ts) in a worker thread ahead of
 * time when the set is large enough and the machine has a second core, else
 * on this thread.
 * Tensors are created only when a batch is handed out, so a consumer that
 * stops early leaks nothing.
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import type { TransformSpec } from '../../compiler/spec.js';
import type { Batch, ExampleSet } from '../contracts.js';
import { transformedShape } from '../transforms/apply.js';
import { hostTransforms } from '../transforms/host.js';
import { batchWorkerFor, gatherSource } from './batch-worker.js';
import { DataError } from './errors.js';
import { isImageShaped, targetWidth } from './example-set.js';
import { gatherBatch, type GatheredBatch, type GatherJob, type GatherLib } from './gather.js';
import { permutation, rngFor, STREAM } from './random.js';

export interface EpochBatchOptions {
  readonly batchSize: number;
  /** Shuffle the order (seeded by seed and epoch); false keeps the set's order. */
  readonly shuffle: boolean;
  readonly seed: number;
  /** 0-based; with seed, keys the shuffle and the augmentation. */
  readonly epoch: number;
  /** Image sets only (an error on other sets when not empty). */
  readonly transforms: readonly TransformSpec[];
  /** Width of the one-hot targets of class sets (other sets bring their own target width). */
  readonly numClasses: number;
  /** Batches prepared ahead. Default 2; 0 prepares each on demand. */
  readonly prefetch?: number;
  /** Whether random transforms apply (train) or eval semantics hold. Default: the value of `shuffle`. */
  readonly training?: boolean;
  /** Prepare batches in a worker thread. Default: with ≥ 2 cores and ≥ 512 samples. */
  readonly worker?: boolean;
}

const LIB: GatherLib = { rngFor, augmentStream: STREAM.augment, hostTransforms };

/** The sample order of one epoch: a permutation seeded by (seed, epoch), or identity. */
export function epochOrder(count: number, shuffle: boolean, seed: number, epoch: number): Int32Array {
  if (shuffle) return permutation(count, rngFor(seed, STREAM.shuffle, epoch));
  return Int32Array.from({ length: count }, (_, i) => i);
}

/** Number of batches in an epoch (the last, partial batch included). */
export function batchCount(count: number, batchSize: number): number {
  return Math.ceil(count / batchSize);
}

/**
 * One epoch of batches over `set`. Every sample appears exactly once; the
 * last batch may be smaller. The consumer disposes each batch's xs and ys.
 * The same options give the same batches, bit for bit, with or without the
 * worker and on any backend.
 */
export async function* epochBatches(set: ExampleSet, opts: EpochBatchOptions): AsyncIterableIterator<Batch> {
  if (!(opts.batchSize >= 1)) throw new RangeError(`batch size must be ≥ 1, got ${opts.batchSize}`);
  // Fail on a transform that cannot apply before any work starts.
  if (opts.transforms.length > 0) {
    if (!isImageShaped(set)) throw new DataError(`transforms apply to [h, w, c] images; this set's inputs are ${set.x.dtype} [${set.shape.join(', ')}]`);
    transformedShape(set.shape as readonly [number, number, number], opts.transforms);
  }
  const width = set.target.kind === 'class' ? opts.numClasses : targetWidth(set.target);
  const order = epochOrder(set.count, opts.shuffle, opts.seed, opts.epoch);
  const total = batchCount(set.count, opts.batchSize);
  const ahead = Math.max(0, opts.prefetch ?? 2);
  const training = opts.training ?? opts.shuffle;
  const useWorker = (opts.worker ?? (availableParallelism() > 1 && set.count >= 512)) && ahead > 0;
  const worker = useWorker ? batchWorkerFor(set) : undefined;

  const job = (b: number): GatherJob => ({
    indices: order.slice(b * opts.batchSize, Math.min(set.count, (b + 1) * opts.batchSize)),
    width,
    transforms: opts.transforms,
    training,
    seed: opts.seed,
    epoch: opts.epoch,
    batch: b,
  });
  const source = gatherSource(set);
  const local = (b: number): GatheredBatch => gatherBatch(source, job(b), LIB);

  const inFlight = new Map<number, Promise<GatheredBatch>>();
  const request = (b: number) => {
    if (worker && b < total && !inFlight.has(b)) {
      const p = worker.request(job(b));
      p.catch(() => undefined); // handled where awaited (falls back to this thread)
      inFlight.set(b, p);
    }
  };
  try {
    for (let b = 0; b < total; b++) {
      for (let k = b; k <= b + ahead; k++) request(k);
      let host: GatheredBatch;
      const pending = inFlight.get(b);
      inFlight.delete(b);
      if (pending) {
        try {
          host = await pending;
        } catch {
          host = local(b); // a failed worker never fails the run: same result, this thread
        }
      } else host = local(b);
      const n = host.shape[0];
      const xs = host.xs instanceof Int32Array ? tf.tensor(host.xs, host.shape, 'int32') : tf.tensor(host.xs, host.shape, 'float32');
      const ys = tf.tensor2d(host.ys, [n, width]);
      yield { xs, ys, labels: host.labels, size: n, index: b };
    }
  } finally {
    // Results still in flight are dropped (plain arrays; nothing to dispose).
    inFlight.clear();
  }
}
