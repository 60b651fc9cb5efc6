import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransformSpec } from '../../../src/compiler/spec.js';
import type { Batch } from '../../../src/runtime/contracts.js';
import { BatchWorker, closeBatchWorkers } from '../../../src/runtime/data/batch-worker.js';
import { epochBatches, type EpochBatchOptions } from '../../../src/runtime/data/batches.js';
import { patternSet } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(async () => {
  await closeBatchWorkers();
});

const set = patternSet(23, 4, 4, 2, 3);
const base: EpochBatchOptions = { batchSize: 5, shuffle: true, seed: 11, epoch: 0, transforms: [], numClasses: 3 };

/** Collects batches as plain data and disposes their tensors. */
async function collect(opts: EpochBatchOptions) {
  const out: { xs: number[]; ys: number[]; labels: number[]; size: number; index: number; shape: number[] }[] = [];
  for await (const b of epochBatches(set, opts)) {
    out.push({ xs: Array.from(b.xs.dataSync()), ys: Array.from(b.ys.dataSync()), labels: [...b.labels], size: b.size, index: b.index, shape: b.xs.shape });
    b.xs.dispose();
    b.ys.dispose();
  }
  return out;
}

/** First pixel of each sample in batch order: identifies samples (patternSet makes them distinct). */
const firstPixels = (batches: Awaited<ReturnType<typeof collect>>) =>
  batches.flatMap((b) => Array.from({ length: b.size }, (_, i) => Math.round(b.xs[i * 32] * 255)));

describe('epochBatches', () => {
  it('covers every sample exactly once, keeps the last partial batch, scales to [0,1], one-hot labels', async () => {
    const batches = await collect(base);
    expect(batches.map((b) => b.size)).toEqual([5, 5, 5, 5, 3]);
    expect(batches.map((b) => b.index)).toEqual([0, 1, 2, 3, 4]);
    expect(batches[0].shape).toEqual([5, 4, 4, 2]);
    const ids = firstPixels(batches).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 23 }, (_, n) => (n * 7) & 0xff).sort((a, b) => a - b));
    for (const b of batches) {
      expect(Math.max(...b.xs)).toBeLessThanOrEqual(1);
      b.labels.forEach((l, i) => expect(b.ys.slice(i * 3, i * 3 + 3)).toEqual([0, 1, 2].map((k) => (k === l ? 1 : 0))));
    }
    // Labels travel with their images.
    const pairs = batches.flatMap((b) => b.labels.map((l, i) => [Math.round(b.xs[i * 32] * 255), l]));
    for (const [px, l] of pairs) expect(l).toBe(((px / 7) | 0) % 3);
  });

  it('is deterministic for (seed, epoch), different across epochs and seeds; unshuffled keeps order', async () => {
    const a = firstPixels(await collect(base));
    expect(firstPixels(await collect(base))).toEqual(a);
    expect(firstPixels(await collect({ ...base, epoch: 1 }))).not.toEqual(a);
    expect(firstPixels(await collect({ ...base, seed: 12 }))).not.toEqual(a);
    expect(firstPixels(await collect({ ...base, shuffle: false }))).toEqual(Array.from({ length: 23 }, (_, n) => (n * 7) & 0xff));
  });

  it('gives the same batches with and without prefetch', async () => {
    const transforms: TransformSpec[] = [{ kind: 'random_flip', mode: 'both', path: '/t/0' }];
    const a = await collect({ ...base, transforms, prefetch: 0 });
    const b = await collect({ ...base, transforms, prefetch: 3 });
    expect(b).toEqual(a);
  });

  it('leaks no tensors, also when the consumer stops early', async () => {
    const transforms: TransformSpec[] = [
      { kind: 'random_crop', size: 4, padding: 1, path: '/t/0' },
      { kind: 'normalize', mean: [0.5], std: [0.25], path: '/t/1' },
    ];
    await collect({ ...base, transforms }); // warm-up
    const before = tf.memory().numTensors;
    await collect({ ...base, transforms });
    expect(tf.memory().numTensors).toBe(before);
    const it = epochBatches(set, { ...base, transforms });
    const first = (await it.next()).value as Batch;
    first.xs.dispose();
    first.ys.dispose();
    await it.return?.(undefined);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('applies random transforms only when training (default: when shuffling)', async () => {
    const transforms: TransformSpec[] = [{ kind: 'random_flip', mode: 'horizontal', path: '/t/0' }];
    const plain = await collect({ ...base, shuffle: false });
    expect(await collect({ ...base, shuffle: false, transforms })).toEqual(plain);
    expect(await collect({ ...base, shuffle: false, transforms, training: true })).not.toEqual(plain);
  });

  it('gives identical batches from the worker thread and from this thread', async () => {
    const transforms: TransformSpec[] = [
      { kind: 'random_crop', size: 4, padding: 1, path: '/t/0' },
      { kind: 'random_flip', mode: 'both', path: '/t/1' },
      { kind: 'random_rotation', degrees: 20, path: '/t/2' },
      { kind: 'cutout', size: 2, path: '/t/3' },
      { kind: 'normalize', mean: [0.5, 0.4], std: [0.2, 0.3], path: '/t/4' },
    ];
    const here = await collect({ ...base, transforms, worker: false });
    const there = await collect({ ...base, transforms, worker: true, prefetch: 2 });
    expect(there).toEqual(here);
    // The worker is reused across epochs; the second epoch differs from the first.
    const second = await collect({ ...base, transforms, worker: true, epoch: 1 });
    expect(second).toEqual(await collect({ ...base, transforms, worker: false, epoch: 1 }));
    expect(second).not.toEqual(here);
  });

  it('checks transforms against the image shape before producing batches', async () => {
    const bad: TransformSpec[] = [{ kind: 'normalize', mean: [0.5, 0.5, 0.5], std: [1, 1, 1], path: '/data/transforms/train/0' }];
    await expect(collect({ ...base, transforms: bad })).rejects.toThrow(/\/data\/transforms\/train\/0: normalize mean has 3 values/);
  });

  it('falls back to this thread when the worker goes away mid-epoch, with the same batches', async () => {
    const transforms: TransformSpec[] = [{ kind: 'random_flip', mode: 'both', path: '/t/0' }];
    const want = await collect({ ...base, transforms, worker: false });
    const got: number[][] = [];
    for await (const b of epochBatches(set, { ...base, transforms, worker: true })) {
      got.push(Array.from(b.xs.dataSync()));
      b.xs.dispose();
      b.ys.dispose();
      if (b.index === 1) await closeBatchWorkers();
    }
    expect(got).toEqual(want.map((b) => b.xs));
  });

  it('rejects a label outside numClasses instead of writing into the next one-hot row', async () => {
    await expect(collect({ ...base, numClasses: 2, worker: false })).rejects.toThrow(/label 2 of sample \d+ is outside 0\.\.1/);
    await expect(collect({ ...base, numClasses: 2, worker: true })).rejects.toThrow(/label 2 of sample \d+ is outside 0\.\.1/);
  });

  it('the worker thread really builds batches (not only the fallback)', async () => {
    const w = new BatchWorker(set);
    const out = await w.request({ indices: Int32Array.from([0, 4]), width: 3, transforms: [], training: true, seed: 1, epoch: 0, batch: 0 });
    await w.close();
    expect(out.shape).toEqual([2, 4, 4, 2]);
    expect([...out.labels]).toEqual([0, 1]);
    expect(Math.round(out.xs[32] * 255)).toBe(28); // sample 4's first byte: 4 * 7
  });
});
