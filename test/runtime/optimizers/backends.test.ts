/**
 * dlc trains on the wasm backend when tfjs-node is missing: every loss (value
 * and gradient) and every optimizer must run there and agree with `cpu`.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import type { LossSpec, OptimizerSpec } from '../../../src/compiler/spec.js';
import { makeLoss } from '../../../src/runtime/losses/index.js';
import { makeOptimizer } from '../../../src/runtime/optimizers/index.js';

const LOSSES: LossSpec[] = [
  { kind: 'cross_entropy', label_smoothing: 0.1 },
  { kind: 'binary_cross_entropy', label_smoothing: 0.1 },
  { kind: 'mse' },
  { kind: 'huber', delta: 0.5 },
];
const OPTIMIZERS: OptimizerSpec[] = [
  { kind: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.01, clip_norm: 1, clip_value: 0.8 },
  { kind: 'adam', learning_rate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0.01 },
  { kind: 'adamw', learning_rate: 0.05, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weight_decay: 0.1 },
  { kind: 'rmsprop', learning_rate: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-8, weight_decay: 0 },
  { kind: 'adagrad', learning_rate: 0.1, initial_accumulator_value: 0.1, epsilon: 1e-10, weight_decay: 0 },
];
const LOGITS = [
  [1, 2, 3],
  [-4, 0.5, 8],
];
const TARGETS = [
  [1, 0, 0],
  [0, 0, 1],
];

/** Loss values, loss gradients and 4 optimizer steps' weights, all on the current backend. */
function runAll(): number[][] {
  const out: number[][] = [];
  for (const spec of LOSSES) {
    tf.tidy(() => {
      const f = makeLoss(spec);
      const y = tf.tensor2d(TARGETS);
      const x = tf.tensor2d(LOGITS);
      out.push([f(x, y).dataSync()[0], ...tf.grad((t: tf.Tensor) => f(t as tf.Tensor2D, y))(x).dataSync()]);
    });
  }
  for (const spec of OPTIMIZERS) {
    const opt = makeOptimizer(spec);
    const v = tf.variable(tf.tensor2d([[1, -2], [0.5, 3]]));
    for (let i = 0; i < 4; i++) {
      const g = tf.tidy(() => v.mul(tf.tensor2d([[1, 2], [-3, 0.5]])).add(0.1));
      opt.applyGradients([v], [g]);
      g.dispose();
    }
    out.push(Array.from(v.dataSync()));
    opt.dispose();
    v.dispose();
  }
  return out;
}

describe('wasm agrees with cpu', () => {
  it('losses, loss gradients and optimizer steps', async () => {
    await tf.setBackend('cpu');
    const cpu = runAll();
    expect(await tf.setBackend('wasm')).toBe(true);
    const wasm = runAll();
    wasm.forEach((row, i) => row.forEach((x, j) => expect(Math.abs(x - cpu[i][j])).toBeLessThan(1e-5 * Math.max(1, Math.abs(cpu[i][j])))));
    // Same backend, same inputs: identical bits run after run.
    expect(runAll()).toEqual(wasm);
  });
});
