/**
 * conv2d_transpose trains on the wasm backend: its forward pass is
 * Conv2DBackpropInput and its gradients are Conv2D (input) and dlc's
 * Conv2DBackpropFilter (kernel), all registered on wasm; the gradients
 * equal the cpu backend's.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/runtime/backend/select.js';
import { maxRelDiff, onBoth, seeded } from '../backend/helpers.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('conv2d_transpose gradients on wasm', () => {
  it.each([
    [1, 'valid', [3, 2]],
    [2, 'same', [3, 3]],
    [3, 'valid', [2, 2]],
  ] as const)('stride %i, %s, kernel %j: equal to cpu', async (stride, pad, [kh, kw]) => {
    const [n, h, w, ci, co] = [2, 5, 4, 3, 6];
    const out = (size: number, k: number): number => (pad === 'same' ? size * stride : size * stride + Math.max(k - stride, 0));
    const grads = () => {
      const x = tf.tensor4d(seeded(n * h * w * ci, 1), [n, h, w, ci]);
      const f = tf.tensor4d(seeded(kh * kw * co * ci, 2), [kh, kw, co, ci]);
      const loss = (a: tf.Tensor, b: tf.Tensor) => {
        const y = tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [n, out(h, kh), out(w, kw), co], stride, pad);
        return tf.sum(tf.mul(y, tf.tensor(seeded(y.size, 3), y.shape)));
      };
      return tf.grads(loss)([x, f]);
    };
    const r = await onBoth(grads);
    expect(r.cpu.map((g) => g.length)).toEqual([n * h * w * ci, kh * kw * co * ci]);
    expect(maxRelDiff(r.cpu, r.wasm)).toBeLessThan(1e-4);
  });
});
