/**
 * Helpers over ExampleSet (inputs of any rank and dtype, class / multi-label
 * / real targets): constructors, invariants, subsets and the balanced limit.
 */
import type { ExampleInputs, ExampleSet, ExampleTarget } from '../contracts.js';
import { DataError } from './errors.js';

/** Values per sample: the product of the sample shape. */
export function sampleSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Target values per sample: the class count (one-hot) or the target width. */
export function targetWidth(target: ExampleTarget): number {
  return target.kind === 'class' ? target.classes : target.width;
}

/** Uint8Array in shared memory, so a batch worker can read it without a copy. */
export function sharedBytes(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(length));
}

/** An empty array like `x`'s values, of `length` elements, in shared memory. */
function sharedLike(x: ExampleInputs, length: number): ExampleInputs {
  switch (x.dtype) {
    case 'uint8':
      return { dtype: 'uint8', values: sharedBytes(length), divisor: x.divisor };
    case 'float32':
      return { dtype: 'float32', values: new Float32Array(new SharedArrayBuffer(4 * length)) };
    case 'int32':
      return { dtype: 'int32', values: new Int32Array(new SharedArrayBuffer(4 * length)) };
  }
}

/**
 * An image set as the image loaders make it: uint8 pixels [h, w, c] that the
 * batches scale to [0, 1] (divided by 255), with class-index labels.
 */
export function imageSet(pixels: Uint8Array, labels: Int32Array, shape: readonly [number, number, number], classes: number): ExampleSet {
  return { count: labels.length, shape, x: { dtype: 'uint8', values: pixels, divisor: 255 }, target: { kind: 'class', classes }, labels };
}

/** True when the set holds images: [h, w, c] inputs that are not token ids (what the transforms apply to). */
export function isImageShaped(set: ExampleSet): boolean {
  return set.shape.length === 3 && set.x.dtype !== 'int32';
}

/** The samples at `indices`, in that order (copies, into shared memory). */
export function subset(set: ExampleSet, indices: ArrayLike<number>): ExampleSet {
  const size = sampleSize(set.shape);
  const x = sharedLike(set.x, indices.length * size);
  const isClass = set.target.kind === 'class';
  const labels = new Int32Array(isClass ? indices.length : 0);
  const width = targetWidth(set.target);
  const targets = set.targets && !isClass ? new Float32Array(indices.length * width) : undefined;
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    // The union's arms hold the same array kind on both sides (sharedLike keeps the dtype).
    (x.values as Uint8Array).set((set.x.values as Uint8Array).subarray(j * size, (j + 1) * size), i * size);
    if (isClass) labels[i] = set.labels[j];
    if (targets) targets.set(set.targets!.subarray(j * width, (j + 1) * width), i * width);
  }
  return { count: indices.length, shape: set.shape, x, target: set.target, labels, ...(targets ? { targets } : {}) };
}

/** Checks the invariants ExampleSet promises (lengths, label range, target width); `what` names the source in errors. */
export function checkExampleSet(set: ExampleSet, what: string, numClasses?: number): void {
  if (set.x.values.length !== set.count * sampleSize(set.shape)) {
    throw new DataError(`input values ${set.x.values.length} ≠ count ${set.count} × ${set.shape.join('×')}`, what);
  }
  if (set.target.kind === 'class') {
    const classes = set.target.classes;
    if (numClasses !== undefined && numClasses !== classes) throw new DataError(`the set has ${classes} classes, ${numClasses} class names`, what);
    if (set.labels.length !== set.count) throw new DataError(`${set.labels.length} labels for ${set.count} samples`, what);
    for (let i = 0; i < set.count; i++) {
      const l = set.labels[i];
      if (l < 0 || l >= classes) throw new DataError(`label ${l} of sample ${i} is out of range 0..${classes - 1}`, what);
    }
    return;
  }
  const want = set.count * set.target.width;
  if (set.targets?.length !== want) throw new DataError(`${set.targets?.length ?? 0} target values for ${set.count} samples × ${set.target.width}`, what);
  if (set.target.kind === 'multi_label') {
    for (let i = 0; i < want; i++) {
      const v = set.targets[i];
      if (v !== 0 && v !== 1) throw new DataError(`multi-label target ${v} of sample ${Math.floor(i / set.target.width)} is not 0 or 1`, what);
    }
  }
}

/**
 * Sample indices of each label, in set order (balanced limits and the
 * validation split). Sets without class targets are one group.
 */
export function indicesByClass(set: ExampleSet): Map<number, number[]> {
  const byClass = new Map<number, number[]>();
  const isClass = set.target.kind === 'class';
  for (let i = 0; i < set.count; i++) {
    const l = isClass ? set.labels[i] : 0;
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
export function limitBalanced(set: ExampleSet, limit: number | undefined): ExampleSet {
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
