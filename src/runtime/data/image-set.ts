/** Small helpers over ImageSet (uint8 NHWC + int32 labels). */
import type { ImageSet } from '../contracts.js';
import { DataError } from './errors.js';

/** Bytes per image. */
export function imageSize(shape: readonly [number, number, number]): number {
  return shape[0] * shape[1] * shape[2];
}

/** Uint8Array in shared memory, so a batch worker can read it without a copy. */
export function sharedBytes(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(length));
}

/** The samples at `indices`, in that order (copies, into shared memory). */
export function subset(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = imageSize(set.shape);
  const images = sharedBytes(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    images.set(set.images.subarray(j * size, (j + 1) * size), i * size);
    labels[i] = set.labels[j];
  }
  return { images, labels, count: indices.length, shape: set.shape };
}

/** Checks the invariants ImageSet promises (lengths, label range); `what` names the source in errors. */
export function checkImageSet(set: ImageSet, numClasses: number, what: string): void {
  if (set.images.length !== set.count * imageSize(set.shape)) {
    throw new DataError(`image bytes ${set.images.length} ≠ count ${set.count} × ${set.shape.join('×')}`, what);
  }
  if (set.labels.length !== set.count) {
    throw new DataError(`${set.labels.length} labels for ${set.count} images`, what);
  }
  for (let i = 0; i < set.count; i++) {
    const l = set.labels[i];
    if (l < 0 || l >= numClasses) {
      throw new DataError(`label ${l} of sample ${i} is out of range 0..${numClasses - 1}`, what);
    }
  }
}

/** Sample indices of each label, in set order (balanced limits and the validation split). */
export function indicesByClass(set: ImageSet): Map<number, number[]> {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < set.count; i++) {
    const l = set.labels[i];
    let list = byClass.get(l);
    if (!list) byClass.set(l, (list = []));
    list.push(i);
  }
  return byClass;
}

/**
 * At most `limit` samples, balanced across classes: takes the first samples
 * of each class round-robin (deterministic, independent of the seed, so the
 * test subset never changes between runs), keeping the original order.
 */
export function limitBalanced(set: ImageSet, limit: number | undefined): ImageSet {
  if (limit === undefined || limit >= set.count) return set;
  const byClass = indicesByClass(set);
  const lists = [...byClass.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  const chosen: number[] = [];
  for (let round = 0; chosen.length < limit; round++) {
    for (const list of lists) {
      if (round < list.length && chosen.length < limit) chosen.push(list[round]);
    }
  }
  chosen.sort((a, b) => a - b);
  return subset(set, chosen);
}
