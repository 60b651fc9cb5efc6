/**
 * The wasm backend's conv gradients (dlc's Conv2DBackpropFilter and
 * Conv2DBackpropInput) against the cpu backend's, through tf.grads.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/runtime/backend/select.js';
import { registerWasmTrainingKernels } from '../../../src/runtime/backend/wasm-training/kernels/register.js';
import { chooseFilterGradForm, geometryOf } from '../../../src/runtime/backend/wasm-training/kernels/conv2d-backprop-filter.js';
import { maxRelDiff, onBoth, seeded } from './helpers.js';

const TOL = 1e-4;

/** Gradients of Σ conv2d(x, w) · r with respect to x and w (r makes dy non-uniform). */
function convGrads(shape: { n: number; h: number; w: number; ci: number; co: number; k: number }, stride: number, pad: 'same' | 'valid') {
  return () => {
    const x = tf.tensor4d(seeded(shape.n * shape.h * shape.w * shape.ci, 1), [shape.n, shape.h, shape.w, shape.ci]);
    const w = tf.tensor4d(seeded(shape.k * shape.k * shape.ci * shape.co, 2), [shape.k, shape.k, shape.ci, shape.co]);
    const loss = (a: tf.Tensor, b: tf.Tensor) => {
      const y = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad);
      return tf.sum(tf.mul(y, tf.tensor(seeded(y.size, 3), y.shape)));
    };
    return tf.grads(loss)([x, w]);
  };
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('wasm kernel registration', () => {
  it('adds the missing training kernels and replaces the slow ones', () => {
    const r = registerWasmTrainingKernels();
    expect([...r.added].sort()).toEqual(
      ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'UnsortedSegmentSum', 'DlcBatchNormApply', 'DlcBatchNormInputGrad'].sort(),
    );
    expect([...r.replaced].sort()).toEqual(['BatchMatMul', 'Conv2D', 'Conv2DBackpropInput', 'FusedConv2D', 'Identity', 'MaxPoolGrad', 'Sum', 'Tile']);
    expect(registerWasmTrainingKernels()).toBe(r); // idempotent
  });
});

describe('conv2d gradients, wasm vs cpu', () => {
  const cases: Array<[number, 'same' | 'valid', number, number]> = [];
  for (const stride of [1, 2, 3]) for (const pad of ['same', 'valid'] as const) for (const k of [1, 3, 5]) for (const h of [7, 8]) cases.push([stride, pad, k, h]);
  it.each(cases)('stride %i, %s, kernel %i, input %i×(h+1)', async (stride, pad, k, h) => {
    const { cpu, wasm } = await onBoth(convGrads({ n: 2, h, w: h + 1, ci: 3, co: 4, k }, stride, pad));
    expect(wasm[0].length).toBe(2 * h * (h + 1) * 3);
    expect(maxRelDiff(cpu, wasm)).toBeLessThan(TOL);
  });

  // Few input channels, many output channels: the filter gradient takes the im2col + matmul form.
  const firstLayer: Array<[number, 'same' | 'valid', number]> = [];
  for (const stride of [1, 2, 3]) for (const pad of ['same', 'valid'] as const) for (const k of [3, 5]) firstLayer.push([stride, pad, k]);
  it.each(firstLayer)('first-layer shape (3→40 channels): stride %i, %s, kernel %i', async (stride, pad, k) => {
    const { cpu, wasm } = await onBoth(convGrads({ n: 2, h: 9, w: 8, ci: 3, co: 40, k }, stride, pad));
    expect(maxRelDiff(cpu, wasm)).toBeLessThan(TOL);
  });

  // Maps smaller than the kernel (the last blocks of a deep net), batch 1.
  it.each([
    [1, 1, 3, 'same'],
    [2, 2, 3, 'same'],
    [2, 3, 5, 'same'],
    [1, 1, 1, 'valid'],
    [3, 3, 3, 'valid'],
  ] as Array<[number, number, number, 'same' | 'valid']>)('tiny map %i×%i, kernel %i, %s, batch 1', async (h, w, k, pad) => {
    for (const stride of [1, 2]) {
      const { cpu, wasm } = await onBoth(convGrads({ n: 1, h, w, ci: 5, co: 6, k }, stride, pad));
      expect(maxRelDiff(cpu, wasm)).toBeLessThan(TOL);
    }
  });

  // The cases above run dlc's SIMD GEMM (filter-grad-simd.test.ts runs every form); without wasm SIMD:
  it('picks the XNNPACK filter-gradient form by shape when there is no SIMD GEMM', () => {
    const form = (n: number, h: number, ci: number, co: number, k: number, stride: number, pad: 'same' | 'valid') =>
      chooseFilterGradForm([n, h, h + 1, ci], [n, 0, 0, co], geometryOf(tf.backend_util.computeConv2DInfo([n, h, h + 1, ci], [k, k, ci, co], stride, 1, pad)), false);
    expect(form(2, 8, 3, 4, 3, 1, 'same')).toBe('swapped'); // 8×9 map, stride 1
    expect(form(2, 7, 3, 4, 3, 1, 'same')).toBe('conv'); // 7×8 < 64 positions
    expect(form(2, 8, 3, 40, 3, 1, 'same')).toBe('im2col'); // 27 patch values ≤ 40 channels
    expect(form(2, 8, 3, 40, 5, 1, 'same')).toBe('swapped');
    expect(form(2, 8, 3, 40, 3, 2, 'same')).toBe('im2col'); // strided: the older rule (≤ 2 passes over dy)
    expect(form(2, 8, 3, 4, 3, 2, 'same')).toBe('conv');
  });

  // Explicit padding larger than the kernel makes the swapped form's own padding negative: cropped instead.
  it.each([
    [[[0, 0], [4, 4], [2, 2], [0, 0]]],
    [[[0, 0], [0, 3], [1, 0], [0, 0]]],
  ] as Array<[[[number, number], [number, number], [number, number], [number, number]]]>)('explicit padding %j on an 8×9 map', async (pad) => {
    const run = () => {
      const x = tf.tensor4d(seeded(2 * 8 * 9 * 3, 1), [2, 8, 9, 3]);
      const w = tf.tensor4d(seeded(3 * 3 * 3 * 5, 2), [3, 3, 3, 5]);
      const loss = (a: tf.Tensor, b: tf.Tensor) => {
        const y = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad);
        return tf.sum(tf.mul(y, tf.tensor(seeded(y.size, 3), y.shape)));
      };
      return tf.grads(loss)([x, w]);
    };
    const { cpu, wasm } = await onBoth(run);
    expect(maxRelDiff(cpu, wasm)).toBeLessThan(TOL);
  });

  it('matches on a wider layer (32 channels in and out)', async () => {
    const { cpu, wasm } = await onBoth(convGrads({ n: 3, h: 6, w: 6, ci: 32, co: 32, k: 3 }, 1, 'same'));
    expect(maxRelDiff(cpu, wasm)).toBeLessThan(TOL);
    const big = await onBoth(convGrads({ n: 2, h: 8, w: 8, ci: 16, co: 16, k: 3 }, 1, 'same')); // swapped form, ResNet-like
    expect(maxRelDiff(big.cpu, big.wasm)).toBeLessThan(TOL);
  });
});

describe('conv2dTranspose (Conv2DBackpropInput with explicit padding), wasm vs cpu', () => {
  // pad 4 with a 3×3 kernel makes the equivalent forward conv's padding negative: cropped instead.
  it.each([
    [1, 0],
    [2, 1],
    [2, 4],
    [3, 'same'],
    [2, 'valid'],
  ] as Array<[number, number | 'same' | 'valid']>)('stride %i, pad %s', async (stride, pad) => {
    const fn = () => {
      const x = tf.tensor4d(seeded(2 * 5 * 6 * 4, 5), [2, 5, 6, 4]);
      const w = tf.tensor4d(seeded(3 * 3 * 3 * 4, 6), [3, 3, 3, 4]);
      const p = typeof pad === 'number' ? pad : 0;
      const outH = pad === 'same' ? 5 * stride : pad === 'valid' ? (5 - 1) * stride + 3 : (5 - 1) * stride + 3 - 2 * p;
      const outW = pad === 'same' ? 6 * stride : pad === 'valid' ? (6 - 1) * stride + 3 : (6 - 1) * stride + 3 - 2 * p;
      return [tf.conv2dTranspose(x, w, [2, outH, outW, 3], stride, pad)];
    };
    const { cpu, wasm } = await onBoth(fn);
    expect(maxRelDiff(cpu, wasm)).toBeLessThan(TOL);
  });
});
