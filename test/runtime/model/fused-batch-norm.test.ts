/**
 * Batch norm in training on wasm takes dlc's fused kernels
 * (backend/wasm-training/kernels/batch-norm.ts via model/sync-batch-norm.ts):
 * output, ∂/∂x, ∂/∂γ, ∂/∂β and the running statistics against tfjs's own
 * layer on the cpu backend (the unfused reference), within 1e-5 relative,
 * for Keras and PyTorch conventions, several shapes (channel counts that are
 * and are not multiples of 8 and of 4), inputs far from zero mean, and no
 * leaked tensors or wasm buffers. Also: the fused path really runs (its
 * kernels appear in a profile, tfjs's FusedBatchNorm does not), both
 * implementations of the passes (wasm SIMD for C a multiple of 4, JS
 * loops otherwise or when SIMD is off) agree with cpu, the
 * one-replica synced layer on wasm agrees with it, inference is untouched,
 * and the switch turns it off.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, withBackend } from '../../../src/runtime/backend/select.js';
import { setWasmFusedBatchNorm } from '../../../src/runtime/backend/wasm-training/kernels/batch-norm.js';
import { batchNormSimdActive, setBatchNormSimd } from '../../../src/runtime/backend/wasm-training/kernels/batch-norm-simd.js';
import { attachBatchNormSync } from '../../../src/runtime/model/sync-batch-norm.js';
import { DlcBatchNormalization, TorchBatchNormalization } from '../../../src/runtime/model/torch-batch-norm.js';
import { maxRelDiff, seeded } from '../backend/helpers.js';

beforeAll(async () => {
  await initBackend('wasm', { threads: 1 });
});

type Kind = 'keras' | 'torch' | 'tfjs';
const ARGS = { axis: -1, momentum: 0.9, epsilon: 1e-3 };

function makeLayer(kind: Kind): tf.layers.Layer {
  if (kind === 'torch') return new TorchBatchNormalization(ARGS);
  if (kind === 'keras') return new DlcBatchNormalization(ARGS);
  return tf.layers.batchNormalization(ARGS);
}

interface Result {
  /** y, dx, dγ, dβ, moving mean, moving variance. */
  values: Float32Array[];
  kernels: string[];
}

/**
 * One training call of a fresh layer on `backend`: seeded x (shifted by
 * `offset`), γ, β and running statistics; loss Σ y·w with a seeded w.
 */
async function run(backend: 'cpu' | 'wasm', kind: Kind, shape: number[], offset: number, sync = false): Promise<Result> {
  return withBackend(backend, async () => {
    const c = shape[shape.length - 1]!;
    const size = shape.reduce((a, b) => a * b, 1);
    const layer = makeLayer(kind);
    layer.build(shape);
    const setWeights = (): void => {
      const ws = [
        tf.tensor1d(seeded(c, 11).map((v) => 1 + 0.5 * v)),
        tf.tensor1d(seeded(c, 12)),
        tf.tensor1d(seeded(c, 13).map((v) => offset + v)),
        tf.tensor1d(seeded(c, 14).map((v) => 1.5 + v)),
      ];
      layer.setWeights(ws);
      tf.dispose(ws);
    };
    setWeights();
    if (sync) {
      // attachBatchNormSync reads only the model's layers.
      expect(attachBatchNormSync({ layers: [layer] } as unknown as tf.LayersModel, { gather: (local) => [local] })).toBe(1);
    }
    const x = tf.tensor(seeded(size, 21).map((v) => offset + 3 * v), shape);
    const w = tf.tensor(seeded(size, 22), shape);
    const vars = layer.trainableWeights.map((v) => v.read() as tf.Variable);
    const f = (xs: tf.Tensor): tf.Scalar => tf.sum(tf.mul(layer.apply(xs, { training: true }) as tf.Tensor, w));
    const profile = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => f(x), vars);
      value.dispose();
      tf.dispose(grads);
    });
    const kernels = profile.kernels.map((k) => k.name);
    // The running statistics after one training call; then from the same start again, checking for leaks.
    const moved = layer.getWeights().slice(2).map((t) => t.dataSync() as Float32Array);
    setWeights();
    const before = [tf.memory().numTensors, tf.backend().numDataIds()];
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const { value, grads } = tf.variableGrads(() => f(x), vars);
    const dx = tf.grad((xs: tf.Tensor) => f(xs))(x);
    const values = [y, dx, grads[vars[0]!.name]!, grads[vars[1]!.name]!].map((t) => t.dataSync() as Float32Array);
    tf.dispose([y, dx, value, ...Object.values(grads)]);
    const after = [tf.memory().numTensors, tf.backend().numDataIds()];
    expect(after, `tensors and ${backend} buffers before/after the training calls`).toEqual(before);
    tf.dispose([x, w]);
    for (const v of layer.weights) v.dispose();
    return { values: [...values, ...moved], kernels };
  });
}

const SHAPES: Array<[number[], number]> = [
  [[4, 5, 6, 16], 0], // 8-channel groups
  [[3, 7, 5, 5], 0], // C not a multiple of 4
  [[2, 3, 3, 12], 0.5], // C a multiple of 4, not of 8
  [[8, 24], -2], // dense-style [N, C]
  [[6, 4, 4, 8], 20], // mean far from 0 (cancellation)
  [[2, 33, 33, 32], 0], // several row blocks with a partial last one
];

describe('fused batch norm (wasm) vs tfjs batch norm (cpu)', () => {
  it.each(SHAPES)('keras conventions, shape %j, offset %d', async (shape, offset) => {
    const cpu = await run('cpu', 'tfjs', shape, offset);
    const wasm = await run('wasm', 'keras', shape, offset);
    expect(wasm.kernels).toContain('DlcBatchNormApply');
    expect(wasm.kernels).toContain('DlcBatchNormInputGrad');
    expect(wasm.kernels).not.toContain('FusedBatchNorm');
    for (let i = 0; i < cpu.values.length; i++) expect(maxRelDiff([cpu.values[i]!], [wasm.values[i]!]), `output ${i}`).toBeLessThan(1e-5);
  });

  it.each(SHAPES.filter(([shape]) => shape[shape.length - 1]! % 4 === 0))('JS loops instead of SIMD, shape %j, offset %d', async (shape, offset) => {
    const cpu = await run('cpu', 'tfjs', shape, offset);
    setBatchNormSimd(false);
    let wasm: Result;
    try {
      expect(await withBackend('wasm', () => batchNormSimdActive())).toBe(false);
      wasm = await run('wasm', 'keras', shape, offset);
    } finally {
      setBatchNormSimd(true);
    }
    expect(wasm.kernels).toContain('DlcBatchNormApply');
    for (let i = 0; i < cpu.values.length; i++) expect(maxRelDiff([cpu.values[i]!], [wasm.values[i]!]), `output ${i}`).toBeLessThan(1e-5);
  });

  it('uses the SIMD passes on the single-threaded wasm build', async () => {
    expect(await withBackend('wasm', () => batchNormSimdActive())).toBe(true);
  });

  it.each(SHAPES.slice(0, 3))('pytorch conventions (unbiased running variance), shape %j', async (shape, offset) => {
    const cpu = await run('cpu', 'torch', shape, offset);
    const wasm = await run('wasm', 'torch', shape, offset);
    expect(wasm.kernels).toContain('DlcBatchNormApply');
    for (let i = 0; i < cpu.values.length; i++) expect(maxRelDiff([cpu.values[i]!], [wasm.values[i]!]), `output ${i}`).toBeLessThan(1e-5);
    // And it is not the Keras update (the running variance differs by the n/(n−1) correction).
    const keras = await run('cpu', 'tfjs', shape, offset);
    expect(maxRelDiff([keras.values[5]!], [wasm.values[5]!])).toBeGreaterThan(1e-4);
  });

  it('the one-replica synced layer on wasm is fused too and agrees with the cpu synced layer', async () => {
    const shape = [3, 7, 5, 5];
    const cpu = await run('cpu', 'tfjs', shape, 1, true);
    const wasm = await run('wasm', 'tfjs', shape, 1, true);
    expect(cpu.kernels).not.toContain('DlcBatchNormApply');
    expect(wasm.kernels).toContain('DlcBatchNormApply');
    for (let i = 0; i < cpu.values.length; i++) expect(maxRelDiff([cpu.values[i]!], [wasm.values[i]!]), `output ${i}`).toBeLessThan(1e-5);
  });

  it.each([[[4, 3, 3, 5]], [[4, 5, 2, 16]]])('a wasm slice given the other slice\'s messages gets the whole batch\'s gradient, shape %j', async (shape) => {
    const c = shape[3]!;
    const size = shape.reduce((p, q) => p * q, 1);
    const half = size / 2;
    const xs = seeded(size, 31).map((v) => 0.5 + 2 * v);
    const ws = seeded(size, 32);
    const gamma = seeded(c, 33).map((v) => 1 + 0.5 * v);
    const beta = seeded(c, 34);
    const make = (): tf.layers.Layer => {
      const l = tf.layers.batchNormalization(ARGS);
      l.build([shape[0]! / 2, ...shape.slice(1)]);
      const init = [tf.tensor1d(gamma), tf.tensor1d(beta), tf.zeros([c]), tf.ones([c])];
      l.setWeights(init);
      tf.dispose(init);
      return l;
    };
    const loss = (l: tf.layers.Layer, x: tf.Tensor, w: tf.Tensor): tf.Scalar => tf.sum(tf.mul(l.apply(x, { training: true }) as tf.Tensor, w));
    // Reference: tfjs's layer on cpu over the whole batch; the first half's rows of ∂L/∂x.
    const ref = await withBackend('cpu', () => tf.tidy(() => {
      const l = make();
      const w = tf.tensor(ws, shape);
      return tf.grad((x: tf.Tensor) => loss(l, x, w))(tf.tensor(xs, shape)).dataSync().slice(0, half) as Float32Array;
    }));
    // The second slice's messages, in float64 from the values: [n, mean, M2] forward, [Σg, Σg·x̂] backward (g = γ·w).
    const rows = size / c;
    const col = (arr: Float32Array, ch: number, from: number, to: number): number[] => Array.from({ length: to - from }, (_, r) => arr[(from + r) * c + ch]!);
    const fwd = new Float64Array(1 + 2 * c);
    const bwd = new Float64Array(2 * c);
    fwd[0] = rows / 2;
    for (let ch = 0; ch < c; ch++) {
      const other = col(xs, ch, rows / 2, rows);
      const all = col(xs, ch, 0, rows);
      const m = other.reduce((p, q) => p + q, 0) / other.length;
      fwd[1 + ch] = m;
      fwd[1 + c + ch] = other.reduce((p, q) => p + (q - m) ** 2, 0);
      const mAll = all.reduce((p, q) => p + q, 0) / rows;
      const rstd = 1 / Math.sqrt(all.reduce((p, q) => p + (q - mAll) ** 2, 0) / rows + ARGS.epsilon);
      const wo = col(ws, ch, rows / 2, rows);
      for (let r = 0; r < other.length; r++) {
        const g = gamma[ch]! * wo[r]!;
        bwd[ch] += g;
        bwd[c + ch] += g * (other[r]! - mAll) * rstd;
      }
    }
    const mine = await withBackend('wasm', async () => {
      const l = make();
      const replies = [fwd, bwd];
      attachBatchNormSync({ layers: [l] } as unknown as tf.LayersModel, { gather: (local) => [local.slice(), replies.shift()!] });
      const before = [tf.memory().numTensors, tf.backend().numDataIds()];
      const p = await tf.profile(() => tf.tidy(() => {
        const w = tf.tensor(ws.slice(0, half), [shape[0]! / 2, ...shape.slice(1)]);
        return tf.grad((x: tf.Tensor) => loss(l, x, w))(tf.tensor(xs.slice(0, half), w.shape)).dataSync() as Float32Array;
      }));
      expect(replies).toEqual([]);
      expect(p.kernels.map((k) => k.name)).toContain('DlcBatchNormInputGrad');
      expect([tf.memory().numTensors, tf.backend().numDataIds()]).toEqual(before);
      return p.result as Float32Array;
    });
    expect(maxRelDiff([ref], [mine])).toBeLessThan(1e-5);
    // Normalised with its own statistics, the slice would get another gradient (the test can fail).
    const alone = await withBackend('wasm', () => tf.tidy(() => {
      const l = make();
      const w = tf.tensor(ws.slice(0, half), [shape[0]! / 2, ...shape.slice(1)]);
      return tf.grad((x: tf.Tensor) => loss(l, x, w))(tf.tensor(xs.slice(0, half), w.shape)).dataSync() as Float32Array;
    }));
    expect(maxRelDiff([ref], [alone])).toBeGreaterThan(1e-2);
  });

  it('switched off, wasm runs tfjs\'s batch norm (same results)', async () => {
    const shape = [4, 5, 6, 16];
    setWasmFusedBatchNorm(false);
    let off: Result;
    try {
      off = await run('wasm', 'keras', shape, 0);
    } finally {
      setWasmFusedBatchNorm(true);
    }
    expect(off.kernels).not.toContain('DlcBatchNormApply');
    expect(off.kernels).toContain('FusedBatchNorm');
    const on = await run('wasm', 'keras', shape, 0);
    for (let i = 0; i < on.values.length; i++) expect(maxRelDiff([off.values[i]!], [on.values[i]!]), `output ${i}`).toBeLessThan(1e-5);
  });

  it('inference (training false) is tfjs\'s: running statistics, no fused kernel', async () => {
    await withBackend('wasm', async () => {
      const layer = new DlcBatchNormalization(ARGS);
      layer.build([2, 3, 3, 8]);
      const x = tf.tensor(seeded(2 * 3 * 3 * 8, 5), [2, 3, 3, 8]);
      const ref = tf.layers.batchNormalization(ARGS);
      ref.build([2, 3, 3, 8]);
      ref.setWeights(layer.getWeights());
      const p = await tf.profile(() => (layer.apply(x, { training: false }) as tf.Tensor).dispose());
      expect(p.kernels.map((k) => k.name)).not.toContain('DlcBatchNormApply');
      const a = layer.apply(x) as tf.Tensor;
      const b = ref.apply(x) as tf.Tensor;
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      tf.dispose([x, a, b]);
      for (const v of [...layer.weights, ...ref.weights]) v.dispose();
    });
  });
});
