/**
 * tfjs's AvgPoolGrad divides every window by kh·kw while its padded forward
 * divides by the real pixels; dlc's correction (runtime/backend/avg-pool-grad.ts,
 * registered by initBackend on cpu and wasm) makes the gradient of
 * `avgPool(x, 'same' | explicit pads)` the transpose of the forward: equal to
 * the gradient of the same average built from zero padding, a 'valid' pool and
 * the per-window divisor, and to PyTorch's numbers on a small case.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/runtime/backend/select.js';
import { maxRelDiff, onBoth, seeded } from './helpers.js';

beforeAll(async () => {
  await initBackend('cpu');
  await initBackend('wasm');
});

type Pad = 'same' | 'valid' | [[number, number], [number, number]];
const CASES: readonly [string, number[], number, number, Pad][] = [
  ['3×3 s1 same', [2, 5, 6, 3], 3, 1, 'same'],
  ['2×2 s2 same, odd sizes', [2, 5, 7, 2], 2, 2, 'same'],
  ['3×3 s2 same', [1, 8, 7, 2], 3, 2, 'same'],
  ['3×3 s2 explicit [[1, 2], [0, 1]]', [2, 6, 5, 2], 3, 2, [[1, 2], [0, 1]]],
  ['2×2 s2 valid (the original kernel)', [2, 6, 4, 2], 2, 2, 'valid'],
];

/** The average with the pad made explicit: Σ(window) / real pixels, from ops whose gradients tfjs gets right. */
function reference(x: tf.Tensor4D, k: number, s: number, pad: Pad): tf.Tensor4D {
  const [, h, w] = x.shape;
  const info = tf.backend_util.computePool2DInfo(x.shape, k, s, 1, pad === 'valid' || pad === 'same' ? pad : [[0, 0], ...pad, [0, 0]]);
  const { top, left, bottom, right } = info.padInfo;
  const { outHeight: ho, outWidth: wo } = info;
  const padded = tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]);
  const count = (o: number, st: number, p: number, n: number) => Math.min(n, o * st - p + k) - Math.max(0, o * st - p);
  const factor = Array.from({ length: ho * wo }, (_, i) => (k * k) / (count(Math.floor(i / wo), s, top, h) * count(i % wo, s, left, w)));
  return tf.mul(tf.avgPool(padded, k, s, 'valid'), tf.tensor4d(factor, [1, ho, wo, 1]));
}

describe('AvgPoolGrad correction', () => {
  it.each(CASES)('%s: gradient = the explicit-padding reference, on cpu and wasm', async (_name, shape, k, s, pad) => {
    const tfPad = pad === 'valid' || pad === 'same' ? pad : ([[0, 0], ...pad, [0, 0]] as tf.backend_util.ExplicitPadding);
    const run = () => {
      const x = tf.tensor4d(seeded(shape.reduce((a, b) => a * b, 1), 5), shape as [number, number, number, number]);
      const y = tf.avgPool(x, k, s, tfPad);
      const w = tf.tensor(seeded(y.size, 6), y.shape);
      const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(t as tf.Tensor4D, k, s, tfPad), w)))(x);
      const ref = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(reference(t as tf.Tensor4D, k, s, pad), w)))(x);
      return [y, reference(x, k, s, pad), dx, ref];
    };
    const r = await onBoth(run);
    for (const [backend, [y, yRef, dx, ref]] of Object.entries(r)) {
      expect(maxRelDiff([y], [yRef]), `${backend} forward`).toBeLessThan(1e-6);
      expect(maxRelDiff([dx], [ref]), `${backend} gradient`).toBeLessThan(1e-6);
    }
    expect(maxRelDiff(r.cpu, r.wasm)).toBeLessThan(1e-6);
  });

  it("gives PyTorch's gradient of avg_pool2d(3, 1, padding=1, count_include_pad=False) on a 3×3 input", async () => {
    // torch: x = ones(1, 1, 3, 3); F.avg_pool2d(x, 3, 1, 1, count_include_pad=False).sum().backward(); x.grad
    const torch = [0.694444, 1.111111, 0.694444, 1.111111, 1.777778, 1.111111, 0.694444, 1.111111, 0.694444];
    const r = await onBoth(() => [tf.grad((t: tf.Tensor) => tf.sum(tf.avgPool(t as tf.Tensor4D, 3, 1, 'same')))(tf.ones([1, 3, 3, 1]) as tf.Tensor4D)]);
    for (const got of [r.cpu[0], r.wasm[0]]) Array.from(got).forEach((v, i) => expect(v).toBeCloseTo(torch[i], 5));
  });
});
