/**
 * The train loop's one door to batching: the data layer's `epochBatches`
 * (seeded shuffle per (seed, epoch), transforms per (seed, epoch, batch),
 * prefetch), so train, evaluate and predict read batches the same way.
 */
import type { TransformSpec } from '../../compiler/spec.js';
import type { Batch, ImageSet } from '../contracts.js';
import { batchCount, epochBatches } from '../data/batches.js';

export interface FeedOptions {
  readonly batchSize: number;
  /** Shuffle and apply the random (augmenting) transforms: training. False: eval semantics, set order. */
  readonly shuffle: boolean;
  readonly seed: number;
  /** 0-based epoch (shuffle and augmentation derive from (seed, epoch, batch)). */
  readonly epoch: number;
  readonly transforms: readonly TransformSpec[];
  readonly numClasses: number;
}

/** Number of batches an epoch over `count` samples has (the last one may be short). */
export function batchesPerEpoch(count: number, batchSize: number): number {
  return batchCount(count, batchSize);
}

/** The epoch's batches, in order. The consumer disposes each batch's tensors. */
export function feed(set: ImageSet, opts: FeedOptions): AsyncIterableIterator<Batch> {
  return epochBatches(set, { ...opts, training: opts.shuffle, prefetch: 2 });
}
