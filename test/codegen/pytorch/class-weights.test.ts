/**
 * Class weights (loss.cross_entropy.class_weight): dlc's weighted softmax
 * cross-entropy equals PyTorch's `CrossEntropyLoss(weight=w, reduction='sum',
 * label_smoothing=ε)(x, y) / B` on a batch (Keras's class_weight convention:
 * divided by the batch size), and the emitted project's dlc_runtime losses.py
 * gives the same number and resolves `balanced` and named weights the same way.
 * PyTorch's default reduction='mean' divides by Σ_i w_{y_i} instead — shown
 * to differ, so the convention is a real choice, not a coincidence.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluationLoss, makeLoss, resolveClassWeights, withClassWeights } from '../../../src/runtime/losses/index.js';
import type { LossSpec } from '../../../src/compiler/spec.js';
import { PYTHON, runPython } from './python.js';

const B = 11;
const K = 4;
function pseudoRandom(seed: number, n: number, scale: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.fround((s / 2147483648 - 0.5) * scale);
  });
}
const LOGITS = pseudoRandom(5, B * K, 6);
const LABELS = [0, 1, 1, 1, 2, 1, 3, 1, 1, 0, 1];
const NAMES = ['drizzle', 'rain', 'snow', 'sun'];

function dlcLoss(spec: LossSpec, weights?: readonly number[]): number {
  return tf.tidy(() => {
    const x = tf.tensor2d(LOGITS, [B, K]);
    const y = tf.oneHot(tf.tensor1d(LABELS, 'int32'), K).toFloat() as tf.Tensor2D;
    return makeLoss(withClassWeights(spec, weights))(x, y).dataSync()[0]!;
  });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('resolveClassWeights', () => {
  it('balanced is N / (K · n_c) over the training labels; absent classes get 1', () => {
    const w = resolveClassWeights('balanced', NAMES, LABELS, K);
    expect(w).toEqual([11 / (4 * 2), 11 / (4 * 7), 11 / (4 * 1), 11 / (4 * 1)]);
    // Mean weight over the training rows is 1: the loss keeps its scale.
    expect(LABELS.reduce((a, y) => a + w[y]!, 0) / LABELS.length).toBeCloseTo(1, 12);
    expect(resolveClassWeights('balanced', NAMES, [0, 0, 1], K)).toEqual([3 / 8, 3 / 4, 1, 1]);
  });

  it('names weigh their classes (others 1); unknown names and wrong lengths are errors naming the problem', () => {
    expect(resolveClassWeights({ snow: 4, drizzle: 2 }, NAMES, LABELS, K)).toEqual([2, 1, 4, 1]);
    expect(resolveClassWeights([1, 2, 3, 4], NAMES, LABELS, K)).toEqual([1, 2, 3, 4]);
    expect(() => resolveClassWeights({ fog: 3 }, NAMES, LABELS, K)).toThrow(/class_weight names the class "fog", which the data does not have \(classes: drizzle, rain, snow, sun\)/);
    expect(() => resolveClassWeights([1, 2], NAMES, LABELS, K)).toThrow(/lists 2 weights but the data has 4 classes/);
  });

  it('the weighted loss differs from the plain one; the evaluation loss ignores class_weight', () => {
    const spec: LossSpec = { kind: 'cross_entropy', label_smoothing: 0, class_weight: 'balanced' };
    const w = resolveClassWeights('balanced', NAMES, LABELS, K);
    const plain = dlcLoss({ kind: 'cross_entropy', label_smoothing: 0 });
    expect(Math.abs(dlcLoss(spec, w) - plain)).toBeGreaterThan(1e-3);
    // An unresolved form ('balanced') never weighs by itself, and evaluationLoss drops a resolved one too.
    expect(dlcLoss(spec)).toBeCloseTo(plain, 6);
    const ev = tf.tidy(() => evaluationLoss(withClassWeights(spec, w))(tf.tensor2d(LOGITS, [B, K]), tf.oneHot(tf.tensor1d(LABELS, 'int32'), K).toFloat() as tf.Tensor2D).dataSync()[0]!);
    expect(ev).toBeCloseTo(plain, 6);
  });
});

describe.skipIf(!PYTHON)('weighted cross-entropy = PyTorch', () => {
  it('label_smoothing 0 and 0.1: dlc = CrossEntropyLoss(weight, reduction=sum)/B = dlc_runtime make_loss; same resolved weights', () => {
    const weights = [2, 0.5, 4, 1.25];
    // One interpreter for every case (importing torch is the slow part).
    const py = runPython<{ cases: { eps: number; torchSum: number; torchMean: number; runtime: number }[]; balanced: number[]; named: number[] }>(
      `
import torch
from dlc_runtime.losses import make_loss, resolve_class_weights
x = torch.tensor(INPUT['x'], dtype=torch.float32).reshape(${B}, ${K})
y = torch.tensor(INPUT['y'])
w = torch.tensor(INPUT['w'], dtype=torch.float32)
cases = []
for eps in (0.0, 0.1):
    s = torch.nn.CrossEntropyLoss(weight=w, reduction='sum', label_smoothing=eps)(x, y) / ${B}
    m = torch.nn.CrossEntropyLoss(weight=w, label_smoothing=eps)(x, y)
    spec = {'kind': 'cross_entropy', 'label_smoothing': eps, 'class_weight': 'balanced'}
    rt = make_loss(spec, INPUT['w'])(x, torch.nn.functional.one_hot(y, ${K}).float())
    cases.append({'eps': eps, 'torchSum': float(s), 'torchMean': float(m), 'runtime': float(rt)})
print(json.dumps({'cases': cases,
  'balanced': resolve_class_weights('balanced', INPUT['names'], INPUT['y'], ${K}),
  'named': resolve_class_weights({'snow': 4, 'drizzle': 2}, INPUT['names'], INPUT['y'], ${K})}))
`,
      { x: LOGITS, y: LABELS, w: weights, names: NAMES },
    );
    expect(py.cases).toHaveLength(2);
    for (const c of py.cases) {
      const ours = dlcLoss({ kind: 'cross_entropy', label_smoothing: c.eps }, weights);
      expect(Math.abs(ours - c.torchSum), `eps ${c.eps}`).toBeLessThan(1e-5 * Math.abs(c.torchSum));
      expect(Math.abs(c.runtime - c.torchSum), `eps ${c.eps}`).toBeLessThan(1e-5 * Math.abs(c.torchSum));
      // PyTorch's reduction='mean' divides by the batch's Σ w_{y_i} (here ≠ B): not dlc's convention.
      expect(Math.abs(c.torchMean - c.torchSum)).toBeGreaterThan(1e-2);
    }
    expect(py.balanced).toEqual(resolveClassWeights('balanced', NAMES, LABELS, K));
    expect(py.named).toEqual(resolveClassWeights({ snow: 4, drizzle: 2 }, NAMES, LABELS, K));
  });
});
