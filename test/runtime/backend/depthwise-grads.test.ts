/**
 * dlc's wasm depthwise-conv gradients against cpu's (tf.grads), and, for
 * dilation 2 (which tf.grads refuses and cpu's backprop kernels ignore),
 * against a reference built on cpu from an equivalent undilated conv.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/runtime/backend/select.js';
import { maxRelDiff, onBoth, seeded, valuesOn } from './helpers.js';

const TOL = 1e-4;

beforeAll(async () => {
  await initBackend('wasm');
});

describe('depthwiseConv2d gradients, wasm vs cpu', () => {
  const cases: Array<[number, 'same' | 'valid', number, number, number]> = [];
  for (const stride of [1, 2, 3]) for (const pad of ['same', 'valid'] as const) for (const k of [1, 3, 5]) for (const m of [1, 2]) cases.push([stride, pad, k, m, stride === 2 ? 8 : 7]);
  it.each(cases)('stride %i, %s, kernel %i, multiplier %i, input %i', async (stride, pad, k, m, h) => {
    const { cpu, wasm } = await onBoth(() => {
      const x = tf.tensor4d(seeded(2 * h * (h + 1) * 3, 1), [2, h, h + 1, 3]);
      const w = tf.tensor4d(seeded(k * k * 3 * m, 2), [k, k, 3, m]);
      const loss = (a: tf.Tensor, b: tf.Tensor) => {
        const y = tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad);
        return tf.sum(tf.mul(y, tf.tensor(seeded(y.size, 3), y.shape)));
      };
      return tf.grads(loss)([x, w]);
    });
    expect(maxRelDiff(cpu, wasm)).toBeLessThan(TOL);
  });
});

/** A k×k filter spread to ((k-1)d+1)² with zeros between taps: the same conv without dilation. */
function spread(w: Float32Array, k: number, c: number, m: number, d: number): { values: Float32Array; size: number } {
  const size = (k - 1) * d + 1;
  const out = new Float32Array(size * size * c * m);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) for (let i = 0; i < c * m; i++) out[((a * d) * size + b * d) * c * m + i] = w[(a * k + b) * c * m + i];
  return { values: out, size };
}

describe('depthwise backprop kernels with dilation 2, wasm vs reference', () => {
  it.each([
    ['same', 3, 1],
    ['valid', 3, 2],
    ['same', 2, 2],
  ] as Array<['same' | 'valid', number, number]>)('%s, kernel %i, multiplier %i', async (pad, k, m) => {
    const d = 2;
    const [n, h, w, c] = [2, 9, 8, 3];
    const xv = seeded(n * h * w * c, 7);
    const wv = seeded(k * k * c * m, 8);
    const big = spread(wv, k, c, m, d);
    // Reference on cpu: gradients of the equivalent undilated conv; the filter's are read at the taps.
    const [dxRef, dwBig, dyValues] = await valuesOn('cpu', () => {
      const x = tf.tensor4d(xv, [n, h, w, c]);
      const wb = tf.tensor4d(big.values, [big.size, big.size, c, m]);
      const y = tf.depthwiseConv2d(x, wb, 1, pad);
      const r = tf.tensor(seeded(y.size, 9), y.shape);
      const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad), r)))([x, wb]);
      return [gx, gw, r];
    });
    const dwRef = new Float32Array(k * k * c * m);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) for (let i = 0; i < c * m; i++) dwRef[(a * k + b) * c * m + i] = dwBig[((a * d) * big.size + b * d) * c * m + i];
    const ho = pad === 'same' ? h : h - (k - 1) * d;
    const wo = pad === 'same' ? w : w - (k - 1) * d;
    const got = await valuesOn('wasm', () => {
      const x = tf.tensor4d(xv, [n, h, w, c]);
      const f = tf.tensor4d(wv, [k, k, c, m]);
      const dy = tf.tensor4d(dyValues, [n, ho, wo, c * m]);
      const common = { strides: [1, 1], dilations: [d, d], pad };
      const dx = tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: f }, { ...common, inputShape: [n, h, w, c] } as unknown as tf.NamedAttrMap) as tf.Tensor;
      const dw = tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...common, filterShape: [k, k, c, m] } as unknown as tf.NamedAttrMap) as tf.Tensor;
      return [dx, dw];
    });
    expect(maxRelDiff([dxRef, dwRef], got)).toBeLessThan(TOL);
  });
});
