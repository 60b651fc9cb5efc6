/**
 * The train loop's one door to batching: the data layer's `epochBatches`
 * (seeded shuffle per (seed, epoch), transforms per (seed, epoch, batch),
 * prefetch), so train, evaluate and predict read batches the same way.
 */
import type { Batch, ImageSet } from '../contracts.js';
import { batchCount, epochBatches, type EpochBatchOptions } from '../data/batches.js';

/**
 * The data layer's epoch options without its knobs: `shuffle` also turns the
 * random (augmenting) transforms on (training) or off (eval semantics, set
 * order), and prefetch and the worker are the loop's fixed choices.
 */
export type FeedOptions = Omit<EpochBatchOptions, 'prefetch' | 'training' | 'worker'>;

/** Number of batches an epoch over `count` samples has (the last one may be short). */
export function batchesPerEpoch(count: number, batchSize: number): number {
  return batchCount(count, batchSize);
}

/** The epoch's batches, in order. The consumer disposes each batch's tensors. */
export function feed(set: ImageSet, opts: FeedOptions): AsyncIterableIterator<Batch> {
  return epochBatches(set, { ...opts, training: opts.shuffle, prefetch: 2 });
}
