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

/**
 * Ties, ±0, ±Infinity and NaN mixed in: NaN never wins, -Infinity only ties
 * and loses, a window of only NaN/-Infinity gets no gradient.
 */
function special(size: number, seed: number): Float32Array {
  const extras = [Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -0, 0];
  const pick = seeded(size, seed + 1);
  const out = tied(size, seed).map((v, i) => (pick[i] > 0.4 ? extras[i % extras.length] : v));
  return out;
}

describe('maxPool gradient, 2×2 windows tiling x, wasm vs cpu (exact)', () => {
  // tile2x2's paths: channel pairs, an odd channel left over, and the exact
  // scalar fallback for windows holding NaN or -Infinity.
  it.each([1, 3, 4, 6])('%i channel(s)', async (c) => {
    const shape: [number, number, number, number] = [2, 6, 8, c];
    const size = shape.reduce((a, b) => a * b, 1);
    for (const values of [tied, seeded, special]) {
      const x = values(size, 21);
      // Whole windows of NaN and of -Infinity (batch 0, first two windows, channel 0).
      for (const [i, v] of [[0, Number.NaN], [2 * c, Number.NEGATIVE_INFINITY]] as Array<[number, number]>) {
        x[i] = x[i + c] = x[i + 8 * c] = x[i + 9 * c] = v;
      }
      // dy with -0 (the gradient must be +0) and one NaN.
      const weights = seeded(size / 4, 22).map((v, i) => (i % 5 === 0 ? -0 : i === 7 ? Number.NaN : v));
      const { cpu, wasm } = await onBoth(() => {
        const loss = (a: tf.Tensor) => {
          const y = tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid');
          return tf.sum(tf.mul(y, tf.tensor(weights, y.shape)));
        };
        return [tf.grad(loss)(tf.tensor4d(x, shape))];
      });
      expect(Array.from(wasm[0])).toEqual(Array.from(cpu[0]));
      expect(wasm[0].some((v) => Object.is(v, -0))).toBe(false);
    }
  });
});
