/**
 * dlc's wasm SIMD GEMM for the convolution filter gradient
 * (src/runtime/backend/wasm-training/simd/): the kernel on its own against a
 * float64 reference (every register block, strides, dilations, padding,
 * channel counts that are not multiples of the block), and every form of
 * Conv2DBackpropFilter on wasm against the cpu backend through tf.grads.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/runtime/backend/select.js';
import {
  chooseFilterGradForm,
  type FilterGradForm,
  geometryOf,
  setFilterGradForm,
} from '../../../src/runtime/backend/wasm-training/kernels/conv2d-backprop-filter.js';
import {
  filterGradModuleBytes,
  GEMM_BLOCKS,
  simdFilterGrad,
  simdFilterGradAvailable,
} from '../../../src/runtime/backend/wasm-training/simd/filter-grad-gemm.js';
import { maxRelDiff, onBoth, seeded } from './helpers.js';
import type { ConvGeometry } from '../../../src/runtime/backend/wasm-training/simd/conv-geometry.js';

/** dW by the definition, in float64, over the positions that read x (not padding). */
function reference(x: Float32Array, xs: number[], dy: Float32Array, ds: number[], g: ConvGeometry): Float32Array {
  const [n, h, w, ci] = xs as [number, number, number, number];
  const [, ho, wo, co] = ds as [number, number, number, number];
  const out = new Float64Array(g.filterHeight * g.filterWidth * ci * co);
  for (let a = 0; a < g.filterHeight; a++)
    for (let b = 0; b < g.filterWidth; b++)
      for (let bn = 0; bn < n; bn++)
        for (let y = 0; y < ho; y++)
          for (let xx = 0; xx < wo; xx++) {
            const r = y * g.strideHeight + a * g.dilationHeight - g.padTop;
            const c = xx * g.strideWidth + b * g.dilationWidth - g.padLeft;
            if (r < 0 || r >= h || c < 0 || c >= w) continue;
            for (let i = 0; i < ci; i++) {
              const xv = x[((bn * h + r) * w + c) * ci + i]!;
              for (let o = 0; o < co; o++) out[((a * g.filterWidth + b) * ci + i) * co + o]! += xv * dy[((bn * ho + y) * wo + xx) * co + o]!;
            }
          }
  return Float32Array.from(out);
}

const geom = (k: number, s: number, d: number, pad: number, kw = k, sw = s, dw = d, padLeft = pad): ConvGeometry => ({
  filterHeight: k,
  filterWidth: kw,
  strideHeight: s,
  strideWidth: sw,
  dilationHeight: d,
  dilationWidth: dw,
  padTop: pad,
  padLeft,
});

/** Output size of a conv along one axis. */
const outSize = (size: number, k: number, s: number, d: number, pad: number) => Math.floor((size + 2 * pad - (k - 1) * d - 1) / s) + 1;

describe('wasm SIMD filter-gradient GEMM', () => {
  it('builds a module the engine accepts (wasm SIMD)', () => {
    const bytes = filterGradModuleBytes();
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const wasm = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    expect(wasm.validate(bytes)).toBe(true);
    expect(simdFilterGradAvailable()).toBe(true);
  });

  // [n, h, w, ci, co, geometry]: maps smaller and larger than the kernel, same/valid padding,
  // strides, dilations (per tap, not merged), 1×1 projections, channels off the block sizes.
  const cases: Array<[string, number, number, number, number, number, ConvGeometry]> = [
    ['3×3 same', 2, 7, 6, 5, 9, geom(3, 1, 1, 1)],
    ['3×3 same, wide', 3, 6, 6, 16, 32, geom(3, 1, 1, 1)],
    ['3×3 same, 2×2 map', 4, 2, 2, 12, 24, geom(3, 1, 1, 1)],
    ['3×3 same, 1×1 map', 3, 1, 1, 8, 8, geom(3, 1, 1, 1)],
    ['3×3 stride 2 valid', 3, 9, 8, 3, 13, geom(3, 2, 1, 0)],
    ['3×3 stride 2 same', 2, 8, 8, 6, 7, geom(3, 2, 1, 0, 3, 2, 1, 0)],
    ['1×1 stride 2', 2, 5, 5, 3, 5, geom(1, 2, 1, 0)],
    ['3×3 dilation 2', 2, 8, 8, 6, 7, geom(3, 1, 2, 2)],
    ['3×3, stride 1×2, dilation 2×1', 1, 10, 10, 8, 16, geom(3, 1, 2, 0, 3, 2, 1, 1)],
    ['5×5 same', 2, 6, 6, 5, 3, geom(5, 1, 1, 2)],
    ['3×3 first layer, 1 channel', 2, 7, 7, 1, 32, geom(3, 1, 1, 1)],
    ['3×2 asymmetric, stride 3', 2, 9, 10, 4, 4, geom(3, 3, 1, 1, 2, 3, 1, 0)],
  ];
  it.each(cases)('%s: every register block matches a float64 reference', (_, n, h, w, ci, co, g) => {
    const ho = outSize(h, g.filterHeight, g.strideHeight, g.dilationHeight, g.padTop);
    const wo = outSize(w, g.filterWidth, g.strideWidth, g.dilationWidth, g.padLeft);
    const xs = [n, h, w, ci];
    const ds = [n, ho, wo, co];
    const x = seeded(n * h * w * ci, 11);
    const dy = seeded(n * ho * wo * co, 12);
    const want = reference(x, xs, dy, ds, g);
    for (const block of GEMM_BLOCKS) {
      const out = new Float32Array(want.length).fill(NaN); // every element must be written
      simdFilterGrad(x, xs, dy, ds, g, out, block);
      expect(maxRelDiff([want], [out]), `block ${block.join('x')}`).toBeLessThan(1e-5);
    }
  });

  it('is deterministic and independent of what ran before (memory reuse, growth)', () => {
    const g = geom(3, 1, 1, 1);
    const run = (n: number, ci: number, co: number) => {
      const x = seeded(n * 8 * 8 * ci, 5);
      const dy = seeded(n * 8 * 8 * co, 6);
      const out = new Float32Array(9 * ci * co);
      simdFilterGrad(x, [n, 8, 8, ci], dy, [n, 8, 8, co], g, out);
      return out;
    };
    const first = run(2, 4, 8);
    run(64, 32, 64); // larger: grows the module's memory, leaves other values in it
    expect(run(2, 4, 8)).toEqual(first);
  });

  it('propagates NaN from x to the filter entries it feeds, and only those', () => {
    const g = geom(1, 1, 1, 0);
    const x = seeded(1 * 2 * 2 * 4, 1);
    x[2] = NaN; // position 0, channel 2
    const dy = seeded(1 * 2 * 2 * 8, 2);
    const out = new Float32Array(4 * 8);
    simdFilterGrad(x, [1, 2, 2, 4], dy, [1, 2, 2, 8], g, out);
    for (let ci = 0; ci < 4; ci++) for (let co = 0; co < 8; co++) expect(Number.isNaN(out[ci * 8 + co]), `${ci},${co}`).toBe(ci === 2);
  });
});

describe('Conv2DBackpropFilter on wasm, every form vs cpu', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterEach(() => setFilterGradForm(undefined));

  const TOL = 1e-4;
  /** Gradient of Σ conv2d(x, w) · r with respect to w. */
  const filterGrad = (n: number, h: number, w: number, ci: number, co: number, k: number, stride: number, pad: 'same' | 'valid') => () => {
    const x = tf.tensor4d(seeded(n * h * w * ci, 1), [n, h, w, ci]);
    const f = tf.tensor4d(seeded(k * k * ci * co, 2), [k, k, ci, co]);
    const loss = (a: tf.Tensor) => {
      const y = tf.conv2d(x, a as tf.Tensor4D, stride, pad);
      return tf.sum(tf.mul(y, tf.tensor(seeded(y.size, 3), y.shape)));
    };
    return [tf.grad(loss)(f)];
  };
  const shapes: Array<[number, number, number, number, number, number, number, 'same' | 'valid']> = [
    [2, 8, 9, 3, 4, 3, 1, 'same'],
    [2, 7, 8, 3, 40, 3, 2, 'same'],
    [2, 8, 8, 16, 16, 3, 1, 'same'],
    [3, 4, 4, 32, 64, 3, 1, 'same'],
    [2, 2, 2, 24, 32, 3, 1, 'same'],
    [2, 9, 9, 8, 12, 1, 2, 'valid'],
    [1, 7, 8, 5, 6, 5, 3, 'valid'],
  ];
  for (const form of ['simd', 'conv', 'swapped', 'im2col'] as FilterGradForm[]) {
    it.each(shapes)(`${form}: n %i, %i×%i, %i→%i, kernel %i, stride %i, %s`, async (n, h, w, ci, co, k, stride, pad) => {
      setFilterGradForm(form);
      const { cpu, wasm } = await onBoth(filterGrad(n, h, w, ci, co, k, stride, pad));
      expect(maxRelDiff(cpu, wasm)).toBeLessThan(TOL);
    });
  }

  it('chooses the SIMD GEMM wherever wasm SIMD compiles, the XNNPACK forms by shape otherwise', () => {
    const choose = (shape: [number, number, number, number], k: number, co: number, stride: number, simd: boolean) =>
      chooseFilterGradForm(shape, [shape[0], 0, 0, co], geometryOf(tf.backend_util.computeConv2DInfo(shape, [k, k, shape[3], co], stride, 1, 'same')), simd);
    expect(choose([32, 32, 32, 3], 3, 16, 1, true)).toBe('simd');
    expect(choose([64, 16, 16, 32], 1, 64, 2, true)).toBe('simd');
    expect(choose([32, 2, 2, 128], 3, 256, 1, true)).toBe('simd');
    expect(choose([32, 16, 16, 16], 3, 32, 1, false)).toBe('swapped');
    expect(choose([32, 32, 32, 3], 3, 16, 1, false)).toBe('swapped');
    expect(choose([32, 2, 2, 128], 3, 256, 1, false)).toBe('conv');
    expect(choose([64, 28, 28, 1], 3, 32, 1, false)).toBe('im2col');
  });
});
