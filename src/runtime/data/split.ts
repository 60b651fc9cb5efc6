/** Carving a validation set out of the training set. */
import type { ExampleSet } from '../contracts.js';
import { indicesByClass, subset } from './example-set.js';
import { rngFor, shuffleInPlace, STREAM } from './random.js';

/**
 * Seeded, stratified split: each class gives the same fraction of its
 * samples (largest-remainder rounding, so val has exactly
 * round(fraction × count) samples), chosen by a shuffle seeded by `seed`.
 * Both parts keep the original sample order. fraction 0 → empty val.
 */
export function splitValidation(set: ExampleSet, fraction: number, seed: number): { train: ExampleSet; val: ExampleSet } {
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`validation fraction must be in [0, 1), got ${fraction}`);
  let want = Math.round(fraction * set.count);
  if (fraction > 0 && set.count >= 2) want = Math.min(Math.max(want, 1), set.count - 1);
  const byClass = indicesByClass(set);
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const quotas = classes.map((k) => (byClass.get(k)!.length * want) / set.count);
  const take = quotas.map(Math.floor);
  let left = want - take.reduce((a, b) => a + b, 0);
  const order = classes.map((_, i) => i).sort((a, b) => quotas[b] - take[b] - (quotas[a] - take[a]) || a - b);
  for (const i of order) {
    if (left <= 0) break;
    take[i]++;
    left--;
  }
  const isVal = new Uint8Array(set.count);
  classes.forEach((k, ci) => {
    const idx = shuffleInPlace(Int32Array.from(byClass.get(k)!), rngFor(seed, STREAM.split, k));
    for (let j = 0; j < take[ci]; j++) isVal[idx[j]] = 1;
  });
  const trainIdx: number[] = [];
  const valIdx: number[] = [];
  for (let i = 0; i < set.count; i++) (isVal[i] ? valIdx : trainIdx).push(i);
  return { train: valIdx.length === 0 ? set : subset(set, trainIdx), val: subset(set, valIdx) };
}
