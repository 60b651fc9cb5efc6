/**
 * Integration: loss, optimizer, schedule and metrics driving a small
 * tfjs-layers model together, the way the train loop does.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OptimizerSpec } from '../../../src/compiler/spec.js';
import { makeLoss } from '../../../src/runtime/losses/index.js';
import { MetricsAccumulator } from '../../../src/runtime/metrics/index.js';
import { makeOptimizer } from '../../../src/runtime/optimizers/index.js';
import { makeSchedule } from '../../../src/runtime/schedules/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Three Gaussian blobs in 2-D, deterministic (a tiny LCG, no Math.random). */
function blobs(n: number): { xs: Float32Array; labels: Int32Array } {
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const centres = [
    [2, 0],
    [-1, 1.7],
    [-1, -1.7],
  ];
  const xs = new Float32Array(n * 2);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    labels[i] = c;
    xs[2 * i] = centres[c][0] + 0.6 * rnd();
    xs[2 * i + 1] = centres[c][1] + 0.6 * rnd();
  }
  return { xs, labels };
}

const common = { weight_decay: 1e-4 } as const;
const SPECS: [string, OptimizerSpec][] = [
  ['sgd', { kind: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: true, ...common }],
  ['adam', { kind: 'adam', learning_rate: 0.02, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, ...common }],
  ['adamw', { kind: 'adamw', learning_rate: 0.02, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0.01, clip_norm: 5 }],
  ['rmsprop', { kind: 'rmsprop', learning_rate: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-8, ...common }],
  ['adagrad', { kind: 'adagrad', learning_rate: 0.1, initial_accumulator_value: 0.1, epsilon: 1e-10, ...common, clip_value: 1 }],
];

describe('a small model learns with every optimizer', () => {
  it.each(SPECS)('%s', (_name, spec) => {
    const data = blobs(96);
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [2], units: 8, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const lossFn = makeLoss({ kind: 'cross_entropy', label_smoothing: 0.05 });
    const opt = makeOptimizer(spec);
    const batch = 32;
    const stepsPerEpoch = data.labels.length / batch;
    const epochs = 15;
    const schedule = makeSchedule({ kind: 'cosine', min_lr: 0, warmup_epochs: 1 }, spec.learning_rate, { stepsPerEpoch, epochs });
    const x = tf.tensor2d(data.xs, [data.labels.length, 2]);
    const y = tf.oneHot(tf.tensor1d(data.labels, 'int32'), 3).toFloat() as tf.Tensor2D;
    const evalLoss = () => tf.tidy(() => lossFn(model.predict(x) as tf.Tensor2D, y).dataSync()[0]);
    const before = evalLoss();
    let afterFirstEpoch = -1;
    let step = 0;
    for (let e = 0; e < epochs; e++) {
      for (let b = 0; b < stepsPerEpoch; b++) {
        opt.learningRate = schedule.lrAt(step++);
        const { value, grads } = tf.variableGrads(() => {
          const xb = x.slice([b * batch, 0], [batch, 2]);
          const yb = y.slice([b * batch, 0], [batch, 3]);
          return lossFn(model.apply(xb, { training: true }) as tf.Tensor2D, yb);
        }, vars);
        opt.applyGradients(vars, vars.map((v) => grads[v.name]));
        tf.dispose([value, ...Object.values(grads)]);
      }
      // Slots appear on the first step; after that the tensor count must not grow.
      if (e === 0) afterFirstEpoch = tf.memory().numTensors;
      else expect(tf.memory().numTensors).toBe(afterFirstEpoch);
    }
    const after = evalLoss();
    expect(after).toBeLessThan(before * 0.5);
    const acc = new MetricsAccumulator(3);
    const logits = model.predict(x) as tf.Tensor2D;
    acc.update(logits, data.labels);
    expect(acc.report().accuracy).toBeGreaterThan(0.9);
    tf.dispose([logits, x, y]);
    opt.dispose();
    model.dispose();
  });
});
