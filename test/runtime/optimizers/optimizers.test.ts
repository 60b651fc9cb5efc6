import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OptimizerSpec } from '../../../src/compiler/spec.js';
import { makeOptimizer } from '../../../src/runtime/optimizers/index.js';
import type { TrainableOptimizer } from '../../../src/runtime/contracts.js';
import { newRefState, refStep } from './reference.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// A small quadratic f(p) = Σ_v Σ_i ½·a_vi·(p_vi − c_vi)², over two variables of different shapes.
const INIT = [
  [0.5, -1.5, 2.0],
  [1.0, -0.25, 0.75, -2.0],
];
const SHAPES = [[3], [2, 2]];
const A = [
  [1.0, 4.0, 0.5],
  [2.0, 0.3, 1.5, 3.0],
];
const C = [
  [-1.0, 0.5, 0.0],
  [0.2, 1.0, -0.5, 0.4],
];

function jsGrads(params: number[][]): number[][] {
  return params.map((p, v) => p.map((x, i) => A[v][i] * (x - C[v][i])));
}

function makeVars(values: readonly (readonly number[])[] = INIT): tf.Variable[] {
  return tf.tidy(() => values.map((v, i) => tf.variable(tf.tensor(v as number[], SHAPES[i]), true)));
}

/** One training step through tf autodiff, as the train loop does it. */
function tfStep(opt: TrainableOptimizer, vars: tf.Variable[]): void {
  const { grads, value } = tf.variableGrads(() =>
    tf.tidy(() => {
      const terms = vars.map((v, i) => tf.sum(tf.mul(tf.mul(tf.tensor(A[i], SHAPES[i]), tf.square(tf.sub(v, tf.tensor(C[i], SHAPES[i])))), 0.5)));
      return tf.addN(terms) as tf.Scalar;
    }),
    vars,
  );
  opt.applyGradients(vars, vars.map((v) => grads[v.name]));
  tf.dispose([value, ...Object.values(grads)]);
}

const values = (vars: tf.Variable[]) => vars.map((v) => Array.from(v.dataSync()));

const common = { weight_decay: 0 } as const;
const CASES: [string, OptimizerSpec][] = [
  ['sgd plain', { kind: 'sgd', learning_rate: 0.1, momentum: 0, nesterov: false, ...common }],
  ['sgd momentum', { kind: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: false, ...common }],
  ['sgd nesterov', { kind: 'sgd', learning_rate: 0.05, momentum: 0.9, nesterov: true, ...common }],
  ['sgd weight decay', { kind: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: false, weight_decay: 0.01 }],
  ['adam', { kind: 'adam', learning_rate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, ...common }],
  ['adam L2', { kind: 'adam', learning_rate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0.1 }],
  ['adamw', { kind: 'adamw', learning_rate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weight_decay: 0.1 }],
  ['rmsprop', { kind: 'rmsprop', learning_rate: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-8, ...common }],
  ['rmsprop momentum+wd', { kind: 'rmsprop', learning_rate: 0.01, rho: 0.99, momentum: 0.5, epsilon: 1e-8, weight_decay: 0.05 }],
  ['adagrad', { kind: 'adagrad', learning_rate: 0.1, initial_accumulator_value: 0.1, epsilon: 1e-10, ...common }],
  ['sgd clip_norm', { kind: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: false, weight_decay: 0, clip_norm: 0.5 }],
  ['adam clip_value', { kind: 'adam', learning_rate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0, clip_value: 0.3 }],
  ['sgd clip both', { kind: 'sgd', learning_rate: 0.1, momentum: 0, nesterov: false, weight_decay: 0.01, clip_value: 1, clip_norm: 1.2 }],
];

describe('updates match PyTorch equations computed in plain JS', () => {
  it.each(CASES)('%s', (_name, spec) => {
    const opt = makeOptimizer(spec);
    const vars = makeVars();
    const ref = INIT.map((v) => v.slice());
    const state = newRefState();
    // The schedule changes learningRate between steps; the optimizer must use the new value at once.
    const lrs = [1, 1, 0.5, 0.5, 0.25, 1].map((f) => f * spec.learning_rate);
    for (const lr of lrs) {
      opt.learningRate = lr;
      refStep(spec, ref, jsGrads(ref), lr, state);
      tfStep(opt, vars);
      const got = values(vars);
      got.forEach((p, v) => p.forEach((x, i) => expect(x).toBeCloseTo(ref[v][i], 5)));
    }
    opt.dispose();
    tf.dispose(vars);
  });
});

describe('hand-computed first steps', () => {
  it('sgd momentum: v1 = g, v2 = μ·v1 + g', () => {
    const opt = makeOptimizer({ kind: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: false, weight_decay: 0 });
    const p = tf.variable(tf.tensor1d([1]));
    opt.applyGradients([p], [tf.tensor1d([2])]); // v = 2, p = 1 − 0.2 = 0.8
    expect(p.dataSync()[0]).toBeCloseTo(0.8, 6);
    opt.applyGradients([p], [tf.tensor1d([2])]); // v = 3.8, p = 0.8 − 0.38 = 0.42
    expect(p.dataSync()[0]).toBeCloseTo(0.42, 6);
    opt.dispose();
  });

  it('sgd nesterov: p −= lr·(g + μ·v)', () => {
    const opt = makeOptimizer({ kind: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0 });
    const p = tf.variable(tf.tensor1d([1]));
    opt.applyGradients([p], [tf.tensor1d([2])]); // v = 2, step 0.1·(2 + 1.8) = 0.38
    expect(p.dataSync()[0]).toBeCloseTo(0.62, 6);
    opt.dispose();
  });

  it('adam: first step moves every coordinate by ≈ lr·sign(g)', () => {
    const opt = makeOptimizer({ kind: 'adam', learning_rate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0 });
    const p = tf.variable(tf.tensor1d([1, 1, 1]));
    opt.applyGradients([p], [tf.tensor1d([3, -0.001, 100])]);
    expect(Array.from(p.dataSync())).toEqual([0.99, 1.01, 0.99].map((v) => expect.closeTo(v, 5)));
    opt.dispose();
  });
});

describe('weight decay', () => {
  it('adamw decays decoupled: with zero gradient p ← p·(1 − lr·wd) exactly', () => {
    const opt = makeOptimizer({ kind: 'adamw', learning_rate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0.5 });
    const p = tf.variable(tf.tensor1d([2, -4]));
    opt.applyGradients([p], [tf.zeros([2])]);
    expect(Array.from(p.dataSync())).toEqual([2 * 0.95, -4 * 0.95].map((v) => expect.closeTo(v, 6)));
    opt.dispose();
  });

  it('adam with weight_decay is coupled L2: the decay goes through the moments (first step ≈ lr·sign(p))', () => {
    const opt = makeOptimizer({ kind: 'adam', learning_rate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0.5 });
    const p = tf.variable(tf.tensor1d([2, -4]));
    opt.applyGradients([p], [tf.zeros([2])]);
    expect(Array.from(p.dataSync())).toEqual([1.9, -3.9].map((v) => expect.closeTo(v, 5)));
    opt.dispose();
  });

  it('sgd weight_decay adds wd·p to the gradient', () => {
    const opt = makeOptimizer({ kind: 'sgd', learning_rate: 0.1, momentum: 0, nesterov: false, weight_decay: 0.5 });
    const p = tf.variable(tf.tensor1d([2]));
    opt.applyGradients([p], [tf.tensor1d([1])]); // g = 1 + 1 = 2 → 2 − 0.2
    expect(p.dataSync()[0]).toBeCloseTo(1.8, 6);
    opt.dispose();
  });
});

describe('clipping', () => {
  it('clip_norm scales all gradients by one global factor', () => {
    const opt = makeOptimizer({ kind: 'sgd', learning_rate: 1, momentum: 0, nesterov: false, weight_decay: 0, clip_norm: 1 });
    const a = tf.variable(tf.tensor1d([0, 0]));
    const b = tf.variable(tf.tensor1d([0]));
    // global norm of (3, 0) and (4) is 5 → each gradient × 1/5
    opt.applyGradients([a, b], [tf.tensor1d([3, 0]), tf.tensor1d([4])]);
    expect(Array.from(a.dataSync())).toEqual([-0.6, 0].map((v) => expect.closeTo(v, 5)));
    expect(b.dataSync()[0]).toBeCloseTo(-0.8, 5);
    opt.dispose();
  });

  it('clip_norm leaves gradients under the norm unchanged', () => {
    const opt = makeOptimizer({ kind: 'sgd', learning_rate: 1, momentum: 0, nesterov: false, weight_decay: 0, clip_norm: 10 });
    const a = tf.variable(tf.tensor1d([0, 0]));
    opt.applyGradients([a], [tf.tensor1d([3, 4])]);
    expect(Array.from(a.dataSync())).toEqual([-3, -4].map((v) => expect.closeTo(v, 5)));
    opt.dispose();
  });

  it('clip_value clips elementwise', () => {
    const opt = makeOptimizer({ kind: 'sgd', learning_rate: 1, momentum: 0, nesterov: false, weight_decay: 0, clip_value: 0.5 });
    const a = tf.variable(tf.tensor1d([0, 0, 0]));
    opt.applyGradients([a], [tf.tensor1d([3, -0.2, -7])]);
    expect(Array.from(a.dataSync())).toEqual([-0.5, 0.2, 0.5].map((v) => expect.closeTo(v, 6)));
    opt.dispose();
  });
});

describe('state', () => {
  it.each(CASES)('%s: getState/setState resumes bit for bit', (_name, spec) => {
    const opt = makeOptimizer(spec);
    const vars = makeVars();
    for (let i = 0; i < 3; i++) tfStep(opt, vars);
    const saved = opt.getState();
    const savedWeights = values(vars);
    for (let i = 0; i < 3; i++) tfStep(opt, vars);
    const uninterrupted = vars.map((v) => v.dataSync().slice());

    // A fresh optimizer and fresh variables (new names), as a resumed process would have.
    const resumedOpt = makeOptimizer(spec);
    resumedOpt.setState(JSON.parse(JSON.stringify(saved.map((s) => ({ ...s, values: Array.from(s.values) })))).map((s: { name: string; shape: number[]; values: number[] }) => ({ ...s, values: Float32Array.from(s.values) })));
    const resumedVars = makeVars(savedWeights);
    for (let i = 0; i < 3; i++) tfStep(resumedOpt, resumedVars);
    resumedVars.forEach((v, i) => expect(v.dataSync()).toEqual(uninterrupted[i]));
    expect(resumedOpt.getState().map((s) => [s.name.split('/').slice(0, 2).join('/'), Array.from(s.values)])).toEqual(
      opt.getState().map((s) => [s.name.split('/').slice(0, 2).join('/'), Array.from(s.values)]),
    );

    opt.dispose();
    resumedOpt.dispose();
    tf.dispose([...vars, ...resumedVars]);
  });

  it('names entries by variable index and slot, plus the step counter', () => {
    const opt = makeOptimizer({ kind: 'adam', learning_rate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0 });
    const vars = makeVars();
    tfStep(opt, vars);
    tfStep(opt, vars);
    const state = opt.getState();
    expect(state.map((s) => s.name)).toEqual(['step', `0/m/${vars[0].name}`, `0/v/${vars[0].name}`, `1/m/${vars[1].name}`, `1/v/${vars[1].name}`]);
    expect(Array.from(state[0].values)).toEqual([0, 2]);
    expect(state[3].shape).toEqual([2, 2]);
    opt.dispose();
    tf.dispose(vars);
  });

  it('rejects state whose shapes do not fit the variables', () => {
    const opt = makeOptimizer({ kind: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: false, weight_decay: 0 });
    opt.setState([
      { name: 'step', shape: [2], values: new Float32Array([0, 1]) },
      { name: '0/momentum/x', shape: [2], values: new Float32Array([1, 2]) },
    ]);
    const vars = makeVars();
    expect(() => tfStep(opt, vars)).toThrow(/shape/);
    expect(() => opt.setState([{ name: '0/m/x', shape: [1], values: new Float32Array([1]) }])).toThrow(/slot "m"/);
    opt.dispose();
    tf.dispose(vars);
  });
});

describe('failed calls change nothing', () => {
  it('a gradient of the wrong shape throws before any variable or the step counter moves', () => {
    const opt = makeOptimizer({ kind: 'adam', learning_rate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0 });
    const vars = makeVars();
    tfStep(opt, vars);
    const before = values(vars);
    const stateBefore = opt.getState();
    const grads = [tf.ones([3]), tf.ones([4])];
    expect(() => opt.applyGradients(vars, grads)).toThrow(/shape/);
    expect(() => opt.applyGradients(vars, grads.slice(0, 1))).toThrow(/2 variables but 1 gradients/);
    expect(values(vars)).toEqual(before);
    expect(opt.getState()).toEqual(stateBefore);
    tf.dispose([...grads, ...vars]);
    opt.dispose();
  });
});

describe('no tensor leaks', () => {
  it.each(CASES)('%s', (_name, spec) => {
    const start = tf.memory().numTensors;
    const opt = makeOptimizer(spec);
    const vars = makeVars();
    tfStep(opt, vars);
    const afterFirst = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) tfStep(opt, vars);
    expect(tf.memory().numTensors).toBe(afterFirst);
    opt.setState(opt.getState());
    tfStep(opt, vars);
    expect(tf.memory().numTensors).toBe(afterFirst);
    opt.dispose();
    tf.dispose(vars);
    expect(tf.memory().numTensors).toBe(start);
  });
});

describe('updates match PyTorch 1.13 (torch.optim, recorded in fixtures/torch-optimizers.json)', () => {
  const torchRef = JSON.parse(readFileSync(new URL('./fixtures/torch-optimizers.json', import.meta.url), 'utf8')) as {
    lr_factors: number[];
    cases: Record<string, number[][][]>;
  };

  it.each(CASES)('%s', (name, spec) => {
    const expected = torchRef.cases[name];
    expect(expected, `no torch reference for "${name}": rerun gen_torch_reference.py`).toBeDefined();
    const opt = makeOptimizer(spec);
    const vars = makeVars();
    torchRef.lr_factors.forEach((f, step) => {
      opt.learningRate = f * spec.learning_rate;
      tfStep(opt, vars);
      values(vars).forEach((p, v) => p.forEach((x, i) => expect(Math.abs(x - expected[step][v][i])).toBeLessThan(2e-6 * Math.max(1, Math.abs(x)))));
    });
    opt.dispose();
    tf.dispose(vars);
  });
});
