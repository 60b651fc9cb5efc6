/**
 * The fused batch norm on the *threaded* wasm build (the default for a run
 * on one replica): its SIMD passes import the build's shared memory
 * (`wasmMemory`) and must give cpu's results there too. fused-batch-norm.test.ts
 * covers the single-threaded build (replicas) in detail; a process creates
 * the wasm module once, hence this separate file.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, withBackend, type BackendInfo } from '../../../src/runtime/backend/select.js';
import { batchNormSimdActive } from '../../../src/runtime/backend/wasm-training/kernels/batch-norm-simd.js';
import { defaultWasmThreads } from '../../../src/runtime/backend/wasm-training/threads.js';
import { DlcBatchNormalization } from '../../../src/runtime/model/torch-batch-norm.js';
import { maxRelDiff, seeded } from '../backend/helpers.js';

let info: BackendInfo;
beforeAll(async () => {
  info = await initBackend('wasm');
});

const ARGS = { axis: -1, momentum: 0.9, epsilon: 1e-3 };

/** y, ∂/∂x, ∂/∂γ, ∂/∂β and the moved running statistics of one training call. */
function trainingCall(layer: tf.layers.Layer, shape: number[]): Float32Array[] {
  const c = shape[shape.length - 1]!;
  const size = shape.reduce((a, b) => a * b, 1);
  layer.build(shape);
  const init = [tf.tensor1d(seeded(c, 1).map((v) => 1 + 0.5 * v)), tf.tensor1d(seeded(c, 2)), tf.zeros([c]), tf.ones([c])];
  layer.setWeights(init);
  tf.dispose(init);
  const x = tf.tensor(seeded(size, 3).map((v) => 2 + 3 * v), shape);
  const w = tf.tensor(seeded(size, 4), shape);
  const vars = layer.trainableWeights.map((v) => v.read() as tf.Variable);
  const f = (xs: tf.Tensor): tf.Scalar => tf.sum(tf.mul(layer.apply(xs, { training: true }) as tf.Tensor, w));
  const before = [tf.memory().numTensors, tf.backend().numDataIds()];
  const y = layer.apply(x, { training: true }) as tf.Tensor;
  const moved = layer.getWeights().slice(2).map((t) => (t.dataSync() as Float32Array).slice());
  const { value, grads } = tf.variableGrads(() => f(x), vars);
  const dx = tf.grad(f)(x);
  const out = [...[y, dx, grads[vars[0]!.name]!, grads[vars[1]!.name]!].map((t) => t.dataSync() as Float32Array), ...moved];
  tf.dispose([y, dx, value, ...Object.values(grads)]);
  expect([tf.memory().numTensors, tf.backend().numDataIds()]).toEqual(before);
  tf.dispose([x, w]);
  for (const v of layer.weights) v.dispose();
  return out;
}

describe('fused batch norm on the threaded wasm build', () => {
  it.skipIf(defaultWasmThreads() < 2)('imports the shared memory and matches tfjs\'s layer on cpu', async () => {
    expect(info.threads).toBeGreaterThan(1);
    expect(batchNormSimdActive()).toBe(true);
    for (const shape of [[4, 6, 6, 16], [2, 9, 9, 32], [3, 4, 4, 6]]) {
      const cpu = await withBackend('cpu', () => trainingCall(tf.layers.batchNormalization(ARGS), shape));
      const wasm = await withBackend('wasm', () => trainingCall(new DlcBatchNormalization(ARGS), shape));
      for (let i = 0; i < cpu.length; i++) expect(maxRelDiff([cpu[i]!], [wasm[i]!]), `shape ${JSON.stringify(shape)}, output ${i}`).toBeLessThan(1e-5);
    }
  });
});
