/**
 * dlc's PyTorch-style pooling layers (runtime/model/torch-pool.ts) train on
 * the wasm backend: forward outputs and the input gradients equal the cpu
 * backend's (−∞ padding for max pooling, the divisor map for averages,
 * ceil mode's extra padding, 1-D, adaptive bins by slices).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/runtime/backend/select.js';
import { dlcAdaptivePool2d, dlcTorchPool } from '../../../src/runtime/model/torch-pool.js';
import { maxRelDiff, onBoth, seeded } from '../backend/helpers.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const CASES: readonly [string, () => tf.layers.Layer, number[]][] = [
  ['max 3×3 s2 p1 (ResNet stem)', () => dlcTorchPool({ mode: 'max', poolSize: [3, 3], strides: [2, 2], padding: [1, 1], ceilMode: false }), [9, 8, 3]],
  ['max 3×3 s2 ceil', () => dlcTorchPool({ mode: 'max', poolSize: [3, 3], strides: [2, 2], padding: [0, 0], ceilMode: true }), [8, 7, 2]],
  ['avg 3×3 s2 p1 ceil, count_include_pad false', () => dlcTorchPool({ mode: 'avg', poolSize: [3, 3], strides: [2, 2], padding: [1, 1], ceilMode: true, countIncludePad: false }), [7, 6, 2]],
  ['avg [3, 2] s1 p[1, 1] count_include_pad', () => dlcTorchPool({ mode: 'avg', poolSize: [3, 2], strides: [1, 1], padding: [1, 1], ceilMode: false, countIncludePad: true }), [5, 4, 2]],
  ['max 1-D k3 s2 p1 ceil', () => dlcTorchPool({ mode: 'max', poolSize: [3], strides: [2], padding: [1], ceilMode: true }), [10, 3]],
  ['avg 1-D k3 s2 p1 exclude', () => dlcTorchPool({ mode: 'avg', poolSize: [3], strides: [2], padding: [1], ceilMode: true, countIncludePad: false }), [9, 2]],
  ['adaptive avg 9×11 → 4×3', () => dlcAdaptivePool2d({ mode: 'avg', outputSize: [4, 3] }), [9, 11, 2]],
  ['adaptive max 7×5 → 3×2', () => dlcAdaptivePool2d({ mode: 'max', outputSize: [3, 2] }), [7, 5, 2]],
  ['adaptive avg 14×14 → 7×7 (a plain pool)', () => dlcAdaptivePool2d({ mode: 'avg', outputSize: [7, 7] }), [14, 14, 2]],
];

describe('PyTorch pooling on wasm', () => {
  it.each(CASES)('%s: forward and input gradient equal cpu', async (_name, make, input) => {
    const run = () => {
      const layer = make();
      const x = tf.tensor(seeded(2 * input.reduce((a, b) => a * b, 1), 3), [2, ...input]);
      const y = layer.apply(x) as tf.Tensor;
      const w = tf.tensor(seeded(y.size, 4), y.shape);
      const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, w)))(x);
      return [y, dx];
    };
    const r = await onBoth(run);
    expect(r.cpu[1].length).toBe(2 * input.reduce((a, b) => a * b, 1));
    expect(r.cpu.every((v) => v.every(Number.isFinite))).toBe(true);
    expect(r.cpu[1].some((v) => v !== 0)).toBe(true);
    expect(maxRelDiff(r.cpu, r.wasm)).toBeLessThan(1e-5);
  });
});
