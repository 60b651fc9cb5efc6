/**
 * The non-class losses of the PyTorch target (templates/pytorch/dlc_runtime/losses.py) against
 * dlc's (src/runtime/losses/): mse, mae, huber (δ as torch.nn.HuberLoss(delta=δ) = dlc's
 * 0.5·q² + δ·(d − q)) and binary cross-entropy (with label smoothing) give the same value and
 * the same gradient with respect to the outputs, within 1e-6 — on outputs that include the
 * corner cases where frameworks' gradients differ: an error of exactly 0, |error| = δ, and a
 * logit of exactly 0 (tfjs's |x| has gradient −1 at 0, torch's 0: without matching it, bce's
 * gradient at a zero logit would be −t instead of sigmoid(0) − t).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LossSpec } from '../../../src/compiler/spec.js';
import { makeLoss } from '../../../src/runtime/losses/index.js';
import { PYTHON, runPython } from './python.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SHAPE: [number, number] = [4, 3];
// Outputs and targets with exact zeros of the error (rows 0, 2), |error| = 1.5 = δ (row 1), zero logits.
const OUT = [0, 0.25, -1.5, 2, -0.5, 1, 0.75, 0, -2.25, 3, -3, 0];
const REAL = [0, -0.5, -1.5, 0.5, -2, 1, 0.75, 1, 0.5, 0.2, -1, 0];
const BITS = [0, 1, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1];
const CASES: [string, LossSpec, number[]][] = [
  ['mse', { kind: 'mse' } as LossSpec, REAL],
  ['mae', { kind: 'mae' } as LossSpec, REAL],
  ['huber δ=1.5', { kind: 'huber', delta: 1.5 } as LossSpec, REAL],
  ['huber δ=1', { kind: 'huber', delta: 1 } as LossSpec, REAL],
  ['binary_cross_entropy', { kind: 'binary_cross_entropy', label_smoothing: 0 } as LossSpec, BITS],
  ['binary_cross_entropy, smoothing 0.1', { kind: 'binary_cross_entropy', label_smoothing: 0.1 } as LossSpec, BITS],
];

describe.skipIf(!PYTHON)('PyTorch target: real / multi-label losses are dlc\'s (values and gradients)', () => {
  it('every case within 1e-6, zero errors, |error| = δ and zero logits included', () => {
    const want = CASES.map(([, spec, targets]) => {
      const fn = makeLoss(spec);
      const t = tf.tensor2d(targets, SHAPE);
      const x = tf.tensor2d(OUT, SHAPE);
      const { value, grad } = tf.valueAndGrad((o: tf.Tensor) => fn(o as tf.Tensor2D, t))(x);
      const r = { value: value.dataSync()[0]!, grad: Array.from(grad.dataSync()) };
      tf.dispose([t, x, value, grad]);
      return r;
    });
    const got = runPython<{ value: number; grad: number[] }[]>(
      `import torch
from dlc_runtime.losses import make_loss
out = []
for spec, targets in INPUT['cases']:
    x = torch.tensor(INPUT['out'], dtype=torch.float32).reshape(4, 3).requires_grad_()
    loss = make_loss(spec)(x, torch.tensor(targets, dtype=torch.float32).reshape(4, 3))
    loss.backward()
    out.append({'value': float(loss), 'grad': x.grad.reshape(-1).tolist()})
print(json.dumps(out))`,
      { out: OUT, cases: CASES.map(([, spec, targets]) => [spec, targets]) },
    );
    CASES.forEach(([label], i) => {
      expect(Math.abs(got[i]!.value - want[i]!.value), `${label} value ${got[i]!.value} vs ${want[i]!.value}`).toBeLessThan(1e-6);
      want[i]!.grad.forEach((g, j) => expect(Math.abs(got[i]!.grad[j]! - g), `${label} d/dout[${j}]: ${got[i]!.grad[j]} vs ${g}`).toBeLessThan(1e-6));
    });
  });
});
