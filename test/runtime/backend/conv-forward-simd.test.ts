/**
 * dlc's wasm SIMD forward convolution (simd/conv-forward.ts): on its own
 * against a float64 reference (both register blocks, strides, height
 * dilation, padding, bias, ReLU, odd channel counts), and as the wasm
 * `Conv2D` / `FusedConv2D` kernels against the cpu backend (outputs, and
 * the input gradient, whose convolutions go through `Conv2D`).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/runtime/backend/select.js';
import { chooseConvForm, setSimdConv } from '../../../src/runtime/backend/wasm-training/kernels/conv2d-forward.js';
import { CONV_BLOCKS, setConvBlock, simdConv2d } from '../../../src/runtime/backend/wasm-training/simd/conv-forward.js';
import type { ConvGeometry } from '../../../src/runtime/backend/wasm-training/simd/conv-geometry.js';
import { maxRelDiff, onBoth, seeded } from './helpers.js';

function reference(x: Float32Array, xs: number[], w: Float32Array, bias: Float32Array | undefined, ys: number[], g: ConvGeometry, relu: boolean): Float32Array {
  const [n, h, wd, ci] = xs as [number, number, number, number];
  const [, ho, wo, co] = ys as [number, number, number, number];
  const out = new Float32Array(n * ho * wo * co);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < ho; y++)
      for (let xx = 0; xx < wo; xx++)
        for (let c = 0; c < co; c++) {
          let s = bias ? bias[c]! : 0;
          for (let a = 0; a < g.filterHeight; a++)
            for (let bb = 0; bb < g.filterWidth; bb++) {
              const r = y * g.strideHeight + a * g.dilationHeight - g.padTop;
              const col = xx * g.strideWidth + bb - g.padLeft;
              if (r < 0 || r >= h || col < 0 || col >= wd) continue;
              for (let i = 0; i < ci; i++) s += x[((b * h + r) * wd + col) * ci + i]! * w[((a * g.filterWidth + bb) * ci + i) * co + c]!;
            }
          out[((b * ho + y) * wo + xx) * co + c] = relu ? Math.max(s, 0) : s;
        }
  return out;
}

const geom = (kh: number, kw: number, sh: number, sw: number, dh: number, padTop: number, padLeft: number): ConvGeometry => ({
  filterHeight: kh,
  filterWidth: kw,
  strideHeight: sh,
  strideWidth: sw,
  dilationHeight: dh,
  dilationWidth: 1,
  padTop,
  padLeft,
});

describe('wasm SIMD forward convolution', () => {
  afterEach(() => setConvBlock(undefined));
  // [label, x shape, output shape, geometry]
  const cases: Array<[string, number[], number[], ConvGeometry]> = [
    ['3×3 same', [2, 7, 6, 5], [2, 7, 6, 9], geom(3, 3, 1, 1, 1, 1, 1)],
    ['3×3 stride 2 valid', [3, 9, 8, 3], [3, 4, 3, 13], geom(3, 3, 2, 2, 1, 0, 0)],
    ['1×1 stride 2', [2, 8, 8, 16], [2, 4, 4, 32], geom(1, 1, 2, 2, 1, 0, 0)],
    ['3×3 height dilation 2', [1, 10, 10, 8], [1, 6, 8, 16], geom(3, 3, 1, 1, 2, 0, 0)],
    ['3×3 on a 2×2 map', [4, 2, 2, 12], [4, 2, 2, 24], geom(3, 3, 1, 1, 1, 1, 1)],
    ['2×3, strides 1×2', [2, 7, 9, 4], [2, 6, 4, 8], geom(2, 3, 1, 2, 1, 0, 0)],
    ['one input channel', [2, 7, 7, 1], [2, 7, 7, 32], geom(3, 3, 1, 1, 1, 1, 1)],
  ];
  it.each(cases)('%s: both blocks, with/without bias and ReLU, match a float64 reference', (_, xs, ys, g) => {
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
    const x = seeded(size(xs), 1);
    const w = seeded(g.filterHeight * g.filterWidth * xs[3]! * ys[3]!, 2);
    const bias = seeded(ys[3]!, 3);
    for (const block of CONV_BLOCKS) {
      setConvBlock(block);
      for (const [b, relu] of [[undefined, false], [bias, true], [bias, false]] as Array<[Float32Array | undefined, boolean]>) {
        const out = new Float32Array(size(ys)).fill(NaN); // every element must be written
        simdConv2d(x, xs, w, b, ys, g, relu, out);
        expect(maxRelDiff([reference(x, xs, w, b, ys, g, relu)], [out]), `block ${block.join('x')}, relu ${relu}`).toBeLessThan(1e-5);
      }
    }
  });

  it('chooses XNNPACK for 1×1 kernels and single-channel rows, the GEMM for 3×3 layers', () => {
    expect(chooseConvForm(16, 1, 1)).toBe('xnnpack');
    expect(chooseConvForm(1, 3, 3)).toBe('xnnpack');
    expect(chooseConvForm(3, 3, 3)).toBe('simd');
    expect(chooseConvForm(64, 3, 3)).toBe('simd');
    expect(chooseConvForm(64, 3, 3, 2)).toBe('xnnpack'); // a threaded XNNPACK pool keeps the forward convs
  });
});

describe('Conv2D / FusedConv2D on wasm vs cpu', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterEach(() => setSimdConv(true));

  const shapes: Array<[number, number, number, number, number, number, 'same' | 'valid']> = [
    [2, 8, 9, 3, 16, 1, 'same'],
    [2, 8, 8, 16, 32, 2, 'same'],
    [3, 4, 4, 32, 20, 1, 'same'],
    [2, 7, 7, 8, 12, 2, 'valid'],
  ];
  it.each(shapes)('n %i, %i×%i, %i→%i, stride %i, %s: conv, fused bias+ReLU and both gradients', async (n, h, w, ci, co, stride, pad) => {
    setSimdConv('force'); // whatever the thread pool (the GEMM is kept off threaded builds by choice)
    const run = () => {
      const x = tf.tensor4d(seeded(n * h * w * ci, 1), [n, h, w, ci]);
      const f = tf.tensor4d(seeded(9 * ci * co, 2), [3, 3, ci, co]);
      const bias = tf.tensor1d(seeded(co, 4));
      const plain = tf.conv2d(x, f, stride, pad);
      const fused = tf.fused.conv2d({ x, filter: f, strides: stride, pad, bias, activation: 'relu' });
      const r = tf.tensor(seeded(plain.size, 3), plain.shape);
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.relu(tf.add(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), bias)), r)))([x, f]);
      return [plain, fused, ...grads];
    };
    const { cpu, wasm } = await onBoth(run);
    expect(maxRelDiff(cpu, wasm)).toBeLessThan(1e-4);
  });

  it('gives the same values with the SIMD GEMM switched off (XNNPACK)', async () => {
    const run = () => [tf.conv2d(tf.tensor4d(seeded(2 * 6 * 6 * 8, 1), [2, 6, 6, 8]), tf.tensor4d(seeded(9 * 8 * 16, 2), [3, 3, 8, 16]), 1, 'same')];
    setSimdConv('force');
    const { wasm: simd } = await onBoth(run);
    setSimdConv(false);
    const { wasm: xnnpack } = await onBoth(run);
    expect(maxRelDiff(xnnpack, simd)).toBeLessThan(1e-5);
  });
});
