/**
 * A small conv net built the way dlc's model builder builds them (tfjs
 * layers: conv + relu, which tfjs runs as a fused conv, max-pool, a
 * depthwise conv, dense), trained for two SGD-momentum steps: gradients and
 * weights on wasm match cpu, runs repeat bit for bit, and nothing leaks.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend, withBackend } from '../../../src/runtime/backend/select.js';
import { maxRelDiff, seeded, valuesOn } from './helpers.js';

function buildModel(): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [12, 12, 3], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'valid', activation: 'relu' }),
      tf.layers.conv2d({ filters: 8, kernelSize: 1, strides: 1 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10 }),
    ],
  });
  // Same initial weights on every backend (layers' initialisers draw from tfjs's RNG).
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(seeded(w.size, 100 + i).map((v) => v * 0.3), w.shape)));
  return model;
}

/**
 * One step of SGD with momentum (v ← 0.9·v + g; w ← w − 0.05·v), written out
 * rather than tf.train.momentum, which leaks a scalar per instance in tfjs 4.22.
 */
function sgdStep(model: tf.LayersModel, velocity: tf.Variable[], lossFn: () => tf.Scalar): tf.Tensor[] {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(lossFn, vars);
  const ordered = vars.map((v) => grads[v.name]);
  tf.tidy(() => {
    vars.forEach((v, i) => {
      velocity[i].assign(tf.add(tf.mul(velocity[i], 0.9), ordered[i]));
      v.assign(tf.sub(v, tf.mul(velocity[i], 0.05)));
    });
  });
  value.dispose();
  return ordered;
}

/** Gradients of the first step and weights after two steps of SGD with momentum. */
function twoSteps(): tf.Tensor[] {
  const model = buildModel();
  const x = tf.tensor4d(seeded(6 * 12 * 12 * 3, 1), [6, 12, 12, 3]);
  const labels = tf.oneHot(tf.tensor1d([0, 3, 9, 1, 3, 5], 'int32'), 10);
  const lossFn = () => tf.losses.softmaxCrossEntropy(labels, model.apply(x) as tf.Tensor) as tf.Scalar;
  const velocity = model.trainableWeights.map((w) => tf.variable(tf.zerosLike(w.read())));
  const firstGrads = sgdStep(model, velocity, lossFn);
  tf.dispose(sgdStep(model, velocity, lossFn));
  const weights = model.getWeights().map((w) => w.clone());
  tf.dispose(velocity);
  model.dispose();
  return [...firstGrads, ...weights];
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('a conv net training step, wasm vs cpu', () => {
  it('has the same gradients and weights (relative 1e-4)', async () => {
    const cpu = await valuesOn('cpu', twoSteps);
    const wasm = await valuesOn('wasm', twoSteps); // valuesOn also asserts no tensor leaked
    expect(cpu.length).toBe(wasm.length);
    expect(maxRelDiff(cpu, wasm)).toBeLessThan(1e-4);
    // Nonzero gradients for every weight: the step really trained each layer.
    for (const g of cpu.slice(0, cpu.length / 2)) expect(g.some((v) => v !== 0)).toBe(true);
  });

  it('repeats bit for bit on wasm', async () => {
    const a = await valuesOn('wasm', twoSteps);
    const b = await valuesOn('wasm', twoSteps);
    expect(maxRelDiff(a, b)).toBe(0);
  });

  it('keeps the tensor count flat over repeated steps', async () => {
    await withBackend('wasm', () => {
      const model = buildModel();
      const velocity = model.trainableWeights.map((w) => tf.variable(tf.zerosLike(w.read())));
      const x = tf.tensor4d(seeded(4 * 12 * 12 * 3, 1), [4, 12, 12, 3]);
      const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 10);
      const before = tf.memory().numTensors;
      for (let step = 0; step < 4; step++) {
        tf.dispose(sgdStep(model, velocity, () => tf.losses.softmaxCrossEntropy(labels, model.apply(x) as tf.Tensor) as tf.Scalar));
        expect(tf.memory().numTensors).toBe(before);
      }
      tf.dispose([x, labels, ...velocity]);
      model.dispose();
    });
  });

  it('does not grow the wasm heap over many steps (no leaked XNNPACK operators or buffers)', async () => {
    await withBackend('wasm', () => {
      // Wide 3×3 layers: a leaked operator (packed weights, ~150 KB here) per step would show within 30 steps.
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [8, 8, 64], filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({ filters: 64, kernelSize: 3, strides: 2, padding: 'same' }),
          tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 10 }),
        ],
      });
      const velocity = model.trainableWeights.map((w) => tf.variable(tf.zerosLike(w.read())));
      const x = tf.tensor4d(seeded(4 * 8 * 8 * 64, 1), [4, 8, 8, 64]);
      const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 10);
      const heap = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
      const step = () => tf.dispose(sgdStep(model, velocity, () => tf.losses.softmaxCrossEntropy(labels, model.apply(x) as tf.Tensor) as tf.Scalar));
      for (let i = 0; i < 5; i++) step();
      const before = heap();
      for (let i = 0; i < 30; i++) step();
      expect(heap()).toBe(before);
      tf.dispose([x, labels, ...velocity]);
      model.dispose();
    });
  });
});
