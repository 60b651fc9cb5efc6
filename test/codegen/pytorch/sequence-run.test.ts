/**
 * 20 Adam steps of small text models (token ids → embedding → lstm / gru / bidirectional →
 * dense) on tfjs with dlc's own training step (runtime/train/step.ts, dlc's Adam and
 * cross-entropy) and on the emitted PyTorch model.py with dlc_runtime's optimizer and loss,
 * from the same weights (dlc's initial weights exported from tfjs and loaded with
 * dlc_runtime.weights — the path a torch run takes when it must start exactly where dlc
 * starts: the recurrent kernels' orthogonal init agrees only to float32 rounding) and the
 * same batches: every step's loss within 1e-4 relative, the final weights within 1e-4.
 * Sequences end in padding (id 0): the unmasked lstm runs torch's fused LSTM, the masked model's
 * gru (both directions) a Python step loop and its lstm the fused LSTM over the padded rows (right
 * padding); the per-op chains (model-ops.test.ts) have zeros anywhere, so there the lstm loops.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPytorch } from '../../../src/codegen/pytorch/index.js';
import type { OptimizerSpec } from '../../../src/compiler/spec.js';
import { normalizeLayer } from '../../../src/compiler/front/normalize-layer.js';
import type { IR, IRNode } from '../../../src/compiler/ir.js';
import { lowerAttrs } from '../../../src/compiler/lower/lower.js';
import { OPS, type OpKind } from '../../../src/compiler/ops/index.js';
import type { Shape } from '../../../src/compiler/ops/op-def.js';
import { nodeRecipes } from '../../../src/compiler/ops/recipe.js';
import { LOSS_IMPLS } from '../../../src/runtime/losses/index.js';
import { applyNode } from '../../../src/runtime/model/layers.js';
import { makeOptimizer } from '../../../src/runtime/optimizers/index.js';
import { trainableVariables, trainStep } from '../../../src/runtime/train/step.js';
import { tinySpec } from '../../runtime/model/ir-fixtures.js';
import { PYTHON, runPython, writeFiles } from './python.js';

const SEED = 5;
const STEPS = 20;
const BATCH = 8;
const STEPS_LEN = 7;
const VOCAB = 11;
const CLASSES = 3;
const ADAM: OptimizerSpec = { kind: 'adam', learning_rate: 0.01, weight_decay: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

const MODELS: Record<string, readonly (readonly [OpKind, unknown])[]> = {
  'lstm (fused)': [['embedding', { input_dim: VOCAB, output_dim: 6 }], ['lstm', { units: 8 }], ['dense', { units: CLASSES }]],
  'masked bidirectional gru → lstm': [
    ['embedding', { input_dim: VOCAB, output_dim: 5, mask_zero: true }],
    ['bidirectional', { layer: 'gru', units: 4, return_sequences: true }],
    ['lstm', { units: 6 }],
    ['dense', { units: CLASSES }],
  ],
};

function textIR(ops: readonly (readonly [OpKind, unknown])[]): IR {
  const source = { file: 'text.yaml', path: '/model/layers/0', line: 1, col: 1 };
  const base = { macs: 0, named: true, source };
  const input: Shape = [STEPS_LEN];
  const bare: Omit<IRNode, 'layers'>[] = [{ ...base, params: { trainable: 0, nonTrainable: 0 }, id: 'input', op: 'input', attrs: { shape: input }, inputs: [], shape: input }];
  ops.forEach(([kind, raw], i) => {
    const attrs = lowerAttrs(normalizeLayer({ [kind]: raw }, `/model/layers/${i}`));
    const prev = bare[bare.length - 1];
    const f = OPS[kind].infer(attrs as never, [prev.shape]);
    bare.push({ ...base, params: f.params, id: `l${i}_${kind}`, op: kind, attrs, inputs: [prev.id], shape: f.shape });
  });
  const recipes = nodeRecipes(bare, SEED);
  const nodes = bare.map((n, i) => ({ ...n, layers: recipes[i] }));
  return { file: 'text.yaml', spec: { ...tinySpec(), seed: SEED }, nodes, outputId: nodes[nodes.length - 1].id, inputShape: input as never, numClasses: CLASSES } as IR;
}

/** Batches of token ids, each sequence padded with zeros after a random length ≥ 2; the label follows the first token. */
function batches(): { ids: number[]; labels: number[] }[] {
  let s = 17;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: STEPS }, () => {
    const ids: number[] = [];
    const labels: number[] = [];
    for (let r = 0; r < BATCH; r++) {
      const len = 2 + Math.floor(rnd() * (STEPS_LEN - 1));
      const row = Array.from({ length: STEPS_LEN }, (_, t) => (t < len ? 1 + Math.floor(rnd() * (VOCAB - 1)) : 0));
      ids.push(...row);
      labels.push(row[0] % CLASSES);
    }
    return { ids, labels };
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'dlc-torch-seq-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.skipIf(!PYTHON)('text models: 20 Adam steps on tfjs (dlc) and on the emitted PyTorch model agree', () => {
  it.each(Object.keys(MODELS))('%s', (name) => {
    const ir = textIR(MODELS[name]);
    const dir = join(tmp, name.replace(/\W+/g, '_'));
    writeFiles(dir, renderPytorch(ir, { specFile: 'text.yaml' }));
    const inp = tf.input({ shape: [STEPS_LEN] });
    let y = inp;
    for (const node of ir.nodes.slice(1)) y = applyNode(node, [y], (r) => r.seed);
    const model = tf.model({ inputs: inp, outputs: y });
    const initial: Record<string, { shape: number[]; values: number[] }> = {};
    for (const w of model.weights) initial[w.originalName] = { shape: w.shape as number[], values: Array.from(w.read().dataSync()) };
    const data = batches();
    const vars = trainableVariables(model);
    const lossFn = LOSS_IMPLS.cross_entropy({ kind: 'cross_entropy', label_smoothing: 0 } as never);
    const opt = makeOptimizer(ADAM);
    const losses = data.map((b, index) => {
      const xs = tf.tensor(b.ids, [BATCH, STEPS_LEN], 'int32');
      const ys = tf.oneHot(tf.tensor1d(b.labels, 'int32'), CLASSES).toFloat() as tf.Tensor2D;
      const r = trainStep(model, vars, lossFn, opt, { xs, ys, labels: Int32Array.from(b.labels), size: BATCH, index });
      tf.dispose([xs, ys]);
      return r.loss;
    });
    const final: Record<string, number[]> = {};
    for (const w of model.weights) final[w.originalName] = Array.from(w.read().dataSync());
    opt.dispose();
    model.dispose();

    const got = runPython<{ losses: number[]; weights: Record<string, number[]>; params: number }>(
      `import numpy as np, torch
sys.path.insert(0, INPUT['dir'])
from model import Model
from dlc_runtime.weights import export_tfjs_weights, load_tfjs_weights
from dlc_runtime.optim import make_optimizer, clip_gradients
from dlc_runtime.losses import make_loss
torch.manual_seed(0)
model = Model()
load_tfjs_weights(model, {k: np.array(v['values'], dtype=np.float32).reshape(v['shape']) for k, v in INPUT['initial'].items()})
model.train()
params = [p for p in model.parameters() if p.requires_grad]
opt = make_optimizer(INPUT['adam'], params)
loss_fn = make_loss({'kind': 'cross_entropy', 'label_smoothing': 0})
losses = []
for b in INPUT['batches']:
    x = torch.tensor(b['ids'], dtype=torch.int32).reshape(-1, INPUT['len'])
    t = torch.nn.functional.one_hot(torch.tensor(b['labels']), INPUT['classes']).float()
    loss = loss_fn(model(x), t)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    clip_gradients(params, INPUT['adam'])
    opt.step()
    losses.append(float(loss))
print(json.dumps({'losses': losses, 'params': sum(p.numel() for p in params), 'weights': {k: v.reshape(-1).tolist() for k, v in export_tfjs_weights(model).items()}}))`,
      { dir, initial, adam: ADAM, batches: data, len: STEPS_LEN, classes: CLASSES },
    );
    expect(got.params).toBe(ir.nodes.reduce((t, n) => t + n.params.trainable, 0));
    losses.forEach((l, i) => expect(Math.abs(got.losses[i] - l) / l, `step ${i + 1} loss ${got.losses[i]} vs ${l}`).toBeLessThan(1e-4));
    // The weights moved (equal weights are not equal by standing still).
    expect(Math.max(...Object.entries(final).flatMap(([k, w]) => w.map((v, j) => Math.abs(v - initial[k].values[j]))))).toBeGreaterThan(0.05);
    expect(Object.keys(got.weights).sort()).toEqual(Object.keys(final).sort());
    let worst = 0;
    for (const [k, w] of Object.entries(final)) {
      const scale = Math.max(...w.map(Math.abs), 1e-3);
      w.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - got.weights[k][j]) / Math.max(Math.abs(v), scale * 1e-2))));
    }
    expect(worst).toBeLessThan(1e-4);
  });
});
