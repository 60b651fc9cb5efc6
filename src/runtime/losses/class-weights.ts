/**
 * Class weights of the training loss (`loss: {cross_entropy: {class_weight: …}}`),
 * resolved against the data once the training split is known:
 *
 *   balanced        w_c = N / (K · n_c)   (N training rows, K classes, n_c rows of class c;
 *                                          scikit-learn's "balanced"; a class with no
 *                                          training row gets 1, it never meets the loss)
 *   {name: w, …}    the named classes' weights, every other class 1
 *   [w_0, w_1, …]   as given (one per class index)
 *
 * The emitted PyTorch project resolves them the same way (dlc_runtime/losses.py
 * resolve_class_weights).
 */
import type { ClassWeightSpec } from '../../compiler/spec.js';

/** A class_weight that does not fit the data (unknown class name, wrong length); the message names the problem. */
export class ClassWeightError extends Error {}

/** One weight per class index, from the spec's form, the class names and the training split's labels. */
export function resolveClassWeights(spec: ClassWeightSpec, classNames: readonly string[], trainLabels: ArrayLike<number>, numClasses: number): number[] {
  const where = 'loss.cross_entropy.class_weight';
  if (spec === 'balanced') {
    const counts = new Array<number>(numClasses).fill(0);
    for (let i = 0; i < trainLabels.length; i++) counts[trainLabels[i]!]! += 1;
    const n = trainLabels.length;
    return counts.map((c) => (c > 0 ? n / (numClasses * c) : 1));
  }
  if (Array.isArray(spec)) {
    const list = spec as readonly number[];
    if (list.length !== numClasses) throw new ClassWeightError(`${where} lists ${list.length} weights but the data has ${numClasses} classes`);
    return [...list];
  }
  const named = spec as Readonly<Record<string, number>>;
  const out = new Array<number>(numClasses).fill(1);
  for (const [name, w] of Object.entries(named)) {
    const i = classNames.indexOf(name);
    if (i < 0) throw new ClassWeightError(`${where} names the class ${JSON.stringify(name)}, which the data does not have (classes: ${classNames.join(', ')})`);
    if (!(w > 0 && Number.isFinite(w))) throw new ClassWeightError(`${where}: the weight of ${JSON.stringify(name)} must be a positive number, got ${w}`);
    out[i] = w;
  }
  return out;
}
