/**
 * The general example contract beyond images: feature vectors with real
 * targets, token ids with multi-label targets, through the same batch
 * pipeline (this thread and the worker), split and limits.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransformSpec } from '../../../src/compiler/spec.js';
import type { ExampleSet } from '../../../src/runtime/contracts.js';
import { BatchWorker, closeBatchWorkers } from '../../../src/runtime/data/batch-worker.js';
import { epochBatches, type EpochBatchOptions } from '../../../src/runtime/data/batches.js';
import { DataError } from '../../../src/runtime/data/errors.js';
import { checkExampleSet, limitBalanced, subset } from '../../../src/runtime/data/example-set.js';
import { splitValidation } from '../../../src/runtime/data/split.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(async () => {
  await closeBatchWorkers();
});

/** n samples of F float features (sample i, feature k → i + k/10) with 2 real targets (i·0.5, −i). */
function featureSet(n: number, f: number): ExampleSet {
  const values = Float32Array.from({ length: n * f }, (_, j) => Math.floor(j / f) + (j % f) / 10);
  const targets = Float32Array.from({ length: n * 2 }, (_, j) => (j % 2 === 0 ? Math.floor(j / 2) * 0.5 : -Math.floor(j / 2)));
  return { count: n, shape: [f], x: { dtype: 'float32', values }, target: { kind: 'real', width: 2 }, labels: new Int32Array(0), targets };
}

/** n sequences of T token ids (sample i, step t → 100·i + t) with 3 multi-label targets (bit k of i). */
function tokenSet(n: number, t: number): ExampleSet {
  const values = Int32Array.from({ length: n * t }, (_, j) => 100 * Math.floor(j / t) + (j % t));
  const targets = Float32Array.from({ length: n * 3 }, (_, j) => (Math.floor(j / 3) >> (j % 3)) & 1);
  return { count: n, shape: [t], x: { dtype: 'int32', values }, target: { kind: 'multi_label', width: 3 }, labels: new Int32Array(0), targets };
}

async function collect(set: ExampleSet, opts: EpochBatchOptions) {
  const out: { xs: number[]; ys: number[]; labels: number; shape: number[]; dtype: string; ysShape: number[] }[] = [];
  for await (const b of epochBatches(set, opts)) {
    out.push({ xs: Array.from(b.xs.dataSync()), ys: Array.from(b.ys.dataSync()), labels: b.labels.length, shape: b.xs.shape, dtype: b.xs.dtype, ysShape: b.ys.shape });
    tf.dispose([b.xs, b.ys]);
  }
  return out;
}

const base: EpochBatchOptions = { batchSize: 4, shuffle: true, seed: 3, epoch: 1, transforms: [], numClasses: 0 };

describe('a [f]-shaped set with real-valued targets', () => {
  const set = featureSet(10, 5);
  checkExampleSet(set, 'features');

  it('batches float32 [n, f] inputs as stored (no scaling) and the real targets as ys', async () => {
    const batches = await collect(set, { ...base, worker: false });
    expect(batches.map((b) => b.shape)).toEqual([[4, 5], [4, 5], [2, 5]]);
    expect(batches.every((b) => b.dtype === 'float32' && b.labels === 0)).toBe(true);
    expect(batches.map((b) => b.ysShape[1])).toEqual([2, 2, 2]);
    // Each row is intact and travels with its own targets, every sample once.
    const seen: number[] = [];
    for (const b of batches) {
      for (let r = 0; r < b.shape[0]; r++) {
        const row = b.xs.slice(r * 5, r * 5 + 5);
        const i = Math.round(row[0]);
        seen.push(i);
        expect(row).toEqual(Array.from({ length: 5 }, (_, k) => Math.fround(i + k / 10)));
        expect(b.ys.slice(r * 2, r * 2 + 2)).toEqual([i * 0.5, -i]);
      }
    }
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('gives the same batches from the worker thread', async () => {
    expect(await collect(set, { ...base, worker: true })).toEqual(await collect(set, { ...base, worker: false }));
  });

  it('refuses image transforms', async () => {
    const flip: TransformSpec = { kind: 'random_flip', mode: 'horizontal', path: '/data/transforms/train/0' };
    await expect(collect(set, { ...base, transforms: [flip] })).rejects.toThrow(DataError);
    await expect(collect(set, { ...base, transforms: [flip] })).rejects.toThrow(/float32 \[5\]/);
  });

  it('splits, limits and subsets as one group, keeping targets with their rows', () => {
    const { train, val } = splitValidation(set, 0.3, 1);
    expect([train.count, val.count]).toEqual([7, 3]);
    for (const part of [train, val]) {
      checkExampleSet(part, 'part');
      for (let r = 0; r < part.count; r++) expect(part.targets![2 * r + 1]).toBe(-Math.round(part.x.values[5 * r]));
    }
    expect(Array.from(limitBalanced(set, 3).x.values.filter((_, j) => j % 5 === 0))).toEqual([0, 1, 2]);
    const picked = subset(set, [9, 2]);
    expect(Array.from(picked.targets!)).toEqual([4.5, -9, 1, -2]);
  });
});

describe('a [t]-shaped set of int32 token ids with multi-label targets', () => {
  const set = tokenSet(9, 4);
  checkExampleSet(set, 'tokens');

  it('batches int32 [n, t] inputs and the 0/1 label vectors, the same in the worker', async () => {
    const local = await collect(set, { ...base, worker: false });
    expect(local.map((b) => [b.dtype, ...b.shape])).toEqual([['int32', 4, 4], ['int32', 4, 4], ['int32', 1, 4]]);
    for (const b of local) {
      for (let r = 0; r < b.shape[0]; r++) {
        const i = b.xs[r * 4] / 100;
        expect(b.xs.slice(r * 4, r * 4 + 4)).toEqual([0, 1, 2, 3].map((t) => 100 * i + t));
        expect(b.ys.slice(r * 3, r * 3 + 3)).toEqual([i & 1, (i >> 1) & 1, (i >> 2) & 1]);
      }
    }
    expect(await collect(set, { ...base, worker: true })).toEqual(local);
  });

  it('the worker thread itself builds token batches (not only the fallback)', async () => {
    const w = new BatchWorker(set);
    const out = await w.request({ indices: Int32Array.from([7, 2]), width: 3, transforms: [], training: true, seed: 1, epoch: 0, batch: 0 });
    await w.close();
    expect(out.xs).toBeInstanceOf(Int32Array);
    expect(out.shape).toEqual([2, 4]);
    expect(Array.from(out.xs)).toEqual([700, 701, 702, 703, 200, 201, 202, 203]);
    expect(Array.from(out.ys)).toEqual([1, 1, 1, 0, 1, 0]);
  });

  it('checkExampleSet rejects a multi-label value other than 0 or 1, and short targets', () => {
    const bad = { ...set, targets: Float32Array.from(set.targets!, (v, j) => (j === 4 ? 0.5 : v)) };
    expect(() => checkExampleSet(bad, 'bad')).toThrow(/multi-label target 0.5 of sample 1/);
    expect(() => checkExampleSet({ ...set, targets: set.targets!.subarray(3) }, 'short')).toThrow(/24 target values for 9 samples × 3/);
  });
});
