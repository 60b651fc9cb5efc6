/**
 * dlc's wasm MaxPoolGrad against cpu's: bit-identical, ties included (the
 * first maximum in row-major window order gets the gradient).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/runtime/backend/select.js';
import { onBoth, seeded } from './helpers.js';

beforeAll(async () => {
  await initBackend('wasm');
});

/** Values from {-1, 0, 1, 2}: most windows contain ties. */
function tied(size: number, seed: number): Float32Array {
  return seeded(size, seed).map((v) => Math.floor(v * 2) + 1);
}

describe('maxPool gradient, wasm vs cpu (exact)', () => {
  it.each([
    [2, 2, 'valid', 8],
    [2, 2, 'same', 7],
    [2, 2, 'valid', 7],
    [3, 2, 'same', 8],
    [3, 2, 'valid', 9],
    [3, 1, 'same', 6],
    [3, 3, 'valid', 9],
    [1, 1, 'valid', 5],
  ] as Array<[number, number, 'same' | 'valid', number]>)('filter %i, stride %i, %s, input %i', async (f, s, pad, h) => {
    for (const values of [tied, seeded]) {
      const { cpu, wasm } = await onBoth(() => {
        const x = tf.tensor4d(values(2 * h * (h + 1) * 3, 11), [2, h, h + 1, 3]);
        const loss = (a: tf.Tensor) => {
          const y = tf.maxPool(a as tf.Tensor4D, f, s, pad);
          return tf.sum(tf.mul(y, tf.tensor(seeded(y.size, 12), y.shape)));
        };
        return [tf.grad(loss)(x)];
      });
      expect(Array.from(wasm[0])).toEqual(Array.from(cpu[0]));
    }
  });
});
