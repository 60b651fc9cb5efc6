/**
 * dlc_runtime's optimizers (torch.optim with dlc's hyper-parameter mapping, dlc's clipping
 * order, per-step lr) make the same updates as dlc's: 20 steps from the same weights with
 * the same gradient sequence and a changing learning rate end at the same weights (1e-5
 * relative, float32) for every optimizer, with weight decay and clipping on.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OptimizerSpec } from '../../../src/compiler/spec.js';
import { makeOptimizer } from '../../../src/runtime/optimizers/index.js';
import { PYTHON, runPython } from './python.js';

const SPECS: OptimizerSpec[] = [
  { kind: 'sgd', learning_rate: 0.1, weight_decay: 0, momentum: 0.9, nesterov: false },
  { kind: 'sgd', learning_rate: 0.05, weight_decay: 5e-4, momentum: 0.9, nesterov: true, clip_norm: 1.5 },
  { kind: 'sgd', learning_rate: 0.2, weight_decay: 0.01, momentum: 0, nesterov: false, clip_value: 0.3 },
  { kind: 'adam', learning_rate: 0.01, weight_decay: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  { kind: 'adam', learning_rate: 0.003, weight_decay: 1e-3, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, clip_value: 0.5, clip_norm: 2 },
  { kind: 'adamw', learning_rate: 0.01, weight_decay: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  { kind: 'rmsprop', learning_rate: 0.01, weight_decay: 1e-4, rho: 0.9, momentum: 0.5, epsilon: 1e-7 },
  { kind: 'rmsprop', learning_rate: 0.001, weight_decay: 0, rho: 0.95, momentum: 0, epsilon: 1e-8 },
  { kind: 'adagrad', learning_rate: 0.05, weight_decay: 1e-3, initial_accumulator_value: 0.1, epsilon: 1e-7 },
];
const SHAPES = [[3, 4], [4], [2, 2, 3]];
const STEPS = 20;

function pseudoRandom(seed: number, n: number, scale: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.fround((s / 2147483648 - 0.5) * scale);
  });
}
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const INIT = SHAPES.map((s, i) => pseudoRandom(100 + i, size(s), 2));
const GRADS = Array.from({ length: STEPS }, (_, k) => SHAPES.map((s, i) => pseudoRandom(1000 * k + i, size(s), k % 5 === 0 ? 8 : 1)));
const LRS = Array.from({ length: STEPS }, (_, k) => 1 - k / (2 * STEPS));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.skipIf(!PYTHON)('dlc_runtime optimizers = dlc optimizers', () => {
  it('20 steps of every optimizer reach the same weights', () => {
    const js = SPECS.map((spec) => {
      const vars = SHAPES.map((s, i) => tf.variable(tf.tensor(INIT[i], s)));
      const opt = makeOptimizer(spec);
      for (let k = 0; k < STEPS; k++) {
        opt.learningRate = spec.learning_rate * LRS[k];
        const grads = SHAPES.map((s, i) => tf.tensor(GRADS[k][i], s));
        opt.applyGradients(vars, grads);
        tf.dispose(grads);
      }
      const out = vars.map((v) => Array.from(v.dataSync()));
      opt.dispose();
      tf.dispose(vars);
      return out;
    });
    const py = runPython<number[][][]>(
      `import torch
from dlc_runtime.optim import make_optimizer, set_lr, clip_gradients
out = []
for spec in INPUT['specs']:
    ps = [torch.tensor(v, dtype=torch.float32).reshape(s).requires_grad_() for v, s in zip(INPUT['init'], INPUT['shapes'])]
    opt = make_optimizer(spec, ps)
    for k in range(INPUT['steps']):
        set_lr(opt, spec['learning_rate'] * INPUT['lrs'][k])
        for p, g, s in zip(ps, INPUT['grads'][k], INPUT['shapes']):
            p.grad = torch.tensor(g, dtype=torch.float32).reshape(s)
        clip_gradients(ps, spec)
        opt.step()
    out.append([p.detach().reshape(-1).tolist() for p in ps])
print(json.dumps(out))`,
      { specs: SPECS, init: INIT, shapes: SHAPES, grads: GRADS, lrs: LRS, steps: STEPS },
    );
    SPECS.forEach((spec, s) => {
      js[s].forEach((w, i) => {
        const moved = w.some((v, j) => Math.abs(v - INIT[i][j]) > 1e-4);
        expect(moved, `${spec.kind}: weights moved`).toBe(true);
        w.forEach((v, j) => {
          const p = py[s][i][j];
          // Relative, with a floor of 0.01 (the weights are O(1): a weight crossing zero has float32 rounding of O(1e-8)).
          const rel = Math.abs(p - v) / Math.max(Math.abs(v), 1e-2);
          if (rel > 1e-5) expect.fail(`${JSON.stringify(spec)}: weight ${i}[${j}] torch ${p} vs dlc ${v} (rel ${rel.toExponential(2)})`);
        });
      });
    });
  });
});
