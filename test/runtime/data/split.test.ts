import { describe, expect, it } from 'vitest';
import type { ExampleSet } from '../../../src/runtime/contracts.js';
import { limitBalanced } from '../../../src/runtime/data/example-set.js';
import { splitValidation } from '../../../src/runtime/data/split.js';
import { loadSynthetic } from '../../../src/runtime/data/synthetic.js';
import { mixSeed, mulberry32, permutation } from '../../../src/runtime/data/random.js';
import { patternSet } from './fixtures.js';

/** Identifies samples by their first pixel bytes (patternSet makes them distinct). */
const ids = (set: ExampleSet) => {
  const per = set.shape[0] * set.shape[1] * set.shape[2];
  return Array.from({ length: set.count }, (_, i) => Array.from(set.x.values.subarray(i * per, i * per + 2)).join(','));
};

describe('splitValidation', () => {
  const set = patternSet(30, 2, 2, 1, 3);

  it('is deterministic per seed, disjoint and complete', () => {
    const a = splitValidation(set, 0.2, 7);
    const b = splitValidation(set, 0.2, 7);
    expect(ids(a.val)).toEqual(ids(b.val));
    expect(a.val.count).toBe(6);
    expect(a.train.count).toBe(24);
    const all = new Set([...ids(a.train), ...ids(a.val)]);
    expect(all.size).toBe(30);
    expect(ids(splitValidation(set, 0.2, 8).val)).not.toEqual(ids(a.val));
  });

  it('is stratified by class', () => {
    const { val } = splitValidation(set, 0.2, 1);
    const per = [0, 0, 0];
    val.labels.forEach((l) => per[l]++);
    expect(per).toEqual([2, 2, 2]);
  });

  it('fraction 0 gives an empty val; a tiny fraction still gives one sample', () => {
    expect(splitValidation(set, 0, 1).val.count).toBe(0);
    expect(splitValidation(set, 0, 1).train.count).toBe(30);
    expect(splitValidation(set, 0.001, 1).val.count).toBe(1);
    expect(() => splitValidation(set, 1, 1)).toThrow(RangeError);
  });
});

describe('limitBalanced', () => {
  it('takes classes round-robin, keeps order', () => {
    const set = patternSet(12, 1, 1, 1, 3);
    const l = limitBalanced(set, 5);
    expect([...l.labels]).toEqual([0, 1, 2, 0, 1]);
    expect(limitBalanced(set, 100)).toBe(set);
  });
});

describe('random', () => {
  it('mulberry32 is deterministic, keyed seeds differ', () => {
    const a = mulberry32(mixSeed(1, 2, 3));
    const b = mulberry32(mixSeed(1, 2, 3));
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    expect(mixSeed(1, 2, 3)).not.toBe(mixSeed(1, 3, 2));
    expect([...permutation(10, mulberry32(5))].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('synthetic', () => {
  const spec = { train_samples: 40, test_samples: 10, shape: [8, 8, 3] as const, classes: 4 };

  it('is deterministic from the seed and balanced', () => {
    const a = loadSynthetic(spec, 3);
    const b = loadSynthetic(spec, 3);
    expect(a.train.x.values).toEqual(b.train.x.values);
    expect(a.test.labels).toEqual(b.test.labels);
    expect(loadSynthetic(spec, 4).train.x.values).not.toEqual(a.train.x.values);
    const per = [0, 0, 0, 0];
    a.train.labels.forEach((l) => per[l]++);
    expect(per).toEqual([10, 10, 10, 10]);
    expect(a.train.shape).toEqual([8, 8, 3]);
  });

  it('is learnable: nearest class mean on train classifies test well', () => {
    const ds = loadSynthetic({ ...spec, train_samples: 200, test_samples: 100 }, 1);
    const per = 8 * 8 * 3;
    const means = Array.from({ length: 4 }, () => new Float64Array(per));
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < ds.train.count; i++) {
      const l = ds.train.labels[i];
      counts[l]++;
      for (let j = 0; j < per; j++) means[l][j] += ds.train.x.values[i * per + j];
    }
    means.forEach((m, k) => m.forEach((_, j) => (m[j] /= counts[k])));
    let right = 0;
    for (let i = 0; i < ds.test.count; i++) {
      let best = -1;
      let bestD = Infinity;
      means.forEach((m, k) => {
        let d = 0;
        for (let j = 0; j < per; j++) d += (ds.test.x.values[i * per + j] - m[j]) ** 2;
        if (d < bestD) [bestD, best] = [d, k];
      });
      if (best === ds.test.labels[i]) right++;
    }
    expect(right / ds.test.count).toBeGreaterThan(0.9);
  });
});
