/**
 * dlc's wasm `BatchMatMul` for transposed operands (transpose, then the
 * backend's XNNPACK product) against the cpu backend: every transpose
 * combination, batched and broadcast shapes, a dense layer's gradients.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/runtime/backend/select.js';
import { maxRelDiff, onBoth, seeded } from './helpers.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('BatchMatMul with transposes, wasm vs cpu', () => {
  // [a shape, b shape, transposeA, transposeB]
  const cases: Array<[number[], number[], boolean, boolean]> = [
    [[5, 7], [7, 3], false, false],
    [[7, 5], [7, 3], true, false],
    [[5, 7], [3, 7], false, true],
    [[7, 5], [3, 7], true, true],
    [[4, 6, 9], [4, 6, 2], true, false],
    [[4, 9, 6], [1, 2, 6], false, true], // broadcast batch
    [[2, 3, 6, 9], [2, 3, 8, 6], true, true],
    [[1, 1], [1, 1], true, true],
  ];
  it.each(cases)('a %j, b %j, transposeA %s, transposeB %s', async (as, bs, ta, tb) => {
    const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
    const { cpu, wasm } = await onBoth(() => [tf.matMul(tf.tensor(seeded(size(as), 1), as), tf.tensor(seeded(size(bs), 2), bs), ta, tb)]);
    expect(wasm[0]!.length).toBe(cpu[0]!.length);
    expect(maxRelDiff(cpu, wasm)).toBeLessThan(1e-5);
  });

  it("gives a dense layer's gradients (dx = dy·Wᵀ, dW = xᵀ·dy) as cpu does", async () => {
    const run = () => {
      const x = tf.tensor2d(seeded(16 * 300, 3), [16, 300]);
      const w = tf.tensor2d(seeded(300 * 24, 4), [300, 24]);
      const r = tf.tensor2d(seeded(16 * 24, 5), [16, 24]);
      return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), r)))([x, w]);
    };
    const { cpu, wasm } = await onBoth(run);
    expect(maxRelDiff(cpu, wasm)).toBeLessThan(1e-5);
  });
});
