/**
 * The squeeze-excitation pattern (issue 14) is expressible with `multiply`
 * broadcasting a gate over the feature map — as a [C] gate from dense layers
 * after global_avg_pool2d, or as a [1, 1, C] gate from 1×1 convolutions after
 * a reshape — and is torchvision's `ops.SqueezeExcitation` (fc1 1×1 conv,
 * ReLU, fc2 1×1 conv, sigmoid, scale): the parameter counts equal
 * torchvision's, the block's output with dlc's weights loaded into
 * torchvision's module equals dlc's (tfjs) within 1e-5, and the PyTorch
 * target's model.py gives dlc's logits.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPytorch } from '../../../src/codegen/pytorch/index.js';
import { compile } from '../../../src/compiler/compile.js';
import type { IR } from '../../../src/compiler/ir.js';
import { buildModel } from '../../../src/runtime/model/build-model.js';
import { PYTHON, runPython, writeFiles } from './python.js';

const C = 16;
const S = 4;
const HEAD = `name: se
data:
  dataset: synthetic
  synthetic: {train_samples: 8, test_samples: 4, shape: [6, 5, 3], classes: 3}
model:
  layers:
    - conv2d: {name: feat, filters: ${C}, kernel_size: 3, padding: 1}
    - global_avg_pool2d: {name: squeeze}
`;
const TAIL = `    - multiply: {name: se, inputs: [feat, fc2]}
    - global_avg_pool2d
    - dense: {units: 3}
`;
/** The two spellings of the gate: dense layers on the pooled [C], or 1×1 convolutions on a [1, 1, C] reshape. */
const FORMS = {
  dense: `    - dense: {name: fc1, units: ${S}, activation: relu}
    - dense: {name: fc2, units: ${C}, activation: sigmoid}
`,
  conv: `    - reshape: {target_shape: [1, 1, ${C}]}
    - conv2d: {name: fc1, filters: ${S}, kernel_size: 1, activation: relu}
    - conv2d: {name: fc2, filters: ${C}, kernel_size: 1, activation: sigmoid}
`,
} as const;

function irOf(form: keyof typeof FORMS): IR {
  const r = compile(HEAD + FORMS[form] + TAIL, { file: `se-${form}.yaml` });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ir!;
}

const tmp = mkdtempSync(join(tmpdir(), 'dlc-se-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('squeeze-excitation with multiply', () => {
  it.each(Object.keys(FORMS) as (keyof typeof FORMS)[])('%s gate: the block infers [H, W, C] from [H, W, C] × gate', (form) => {
    const ir = irOf(form);
    const se = ir.nodes.find((n) => n.id === 'se')!;
    expect(se.shape).toEqual([6, 5, C]);
    const gate = ir.nodes.find((n) => n.id === 'fc2')!;
    expect(gate.shape).toEqual(form === 'dense' ? [C] : [1, 1, C]);
  });

  it('multiply reports shapes that do not broadcast, at the layer', () => {
    const r = compile(HEAD + `    - dense: {name: fc2, units: 5}\n` + TAIL, { file: 'se-bad.yaml' });
    const d = r.diagnostics.find((x) => x.code === 'DLC124');
    expect(d, JSON.stringify(r.diagnostics.map((x) => [x.code, x.message]))).toBeDefined();
    expect(d!.message).toContain('6×5×16 and 5');
    expect([d!.line, d!.path]).toEqual([10, '/model/layers/3/multiply/inputs']);
  });

  it.skipIf(!PYTHON)('both gates = torchvision.ops.SqueezeExcitation: parameters, outputs, and the printed model.py', () => {
    let rs = 3;
    const rnd = () => (rs = (rs * 1103515245 + 12345) % 2147483648) / 2147483648;
    const cases = (Object.keys(FORMS) as (keyof typeof FORMS)[]).map((form) => {
      const ir = irOf(form);
      const blockParams = ir.nodes.filter((n) => ['squeeze', 'fc1', 'fc2', 'se'].includes(n.id) || n.op === 'reshape').reduce((s, n) => s + n.params.trainable + n.params.nonTrainable, 0);
      const model = buildModel(ir);
      const probe = tf.model({ inputs: model.inputs, outputs: [model.getLayer('feat').output as tf.SymbolicTensor, model.getLayer('se').output as tf.SymbolicTensor] });
      // Random weights (biases too), so nothing is an identity by accident.
      model.setWeights(model.getWeights().map((w) => tf.tensor(Array.from({ length: w.size }, () => rnd() * 2 - 1), w.shape)));
      const weights: Record<string, { shape: number[]; values: number[] }> = {};
      for (const l of model.layers) for (const w of l.weights) weights[`${l.name}/${w.originalName.split('/').pop()}`] = { shape: [...w.shape] as number[], values: Array.from(w.read().dataSync()) };
      const x = tf.tensor(Array.from({ length: 2 * 6 * 5 * 3 }, () => rnd() * 2 - 1), [2, 6, 5, 3]);
      const [feat, se] = (probe.predict(x) as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
      const logits = Array.from((model.predict(x) as tf.Tensor).dataSync());
      const dir = join(tmp, form);
      writeFiles(dir, renderPytorch(ir, { specFile: `se-${form}.yaml` }));
      const input = { dir, weights, feat, x: Array.from(x.dataSync()) };
      tf.dispose(x);
      model.dispose();
      return { form, blockParams, se, logits, input };
    });
    const got = runPython<{ params: number; shapes: number[][]; block: number[]; logits: number[] }[]>(
      `import sys, numpy as np, torch
from torchvision.ops import SqueezeExcitation
def conv_weight(k):  # dense [C, S] or 1x1 conv [1, 1, C, S] kernel -> torch [S, C, 1, 1]
    k = torch.from_numpy(k)
    return (k.t() if k.dim() == 2 else k.permute(3, 2, 0, 1)).reshape(k.shape[-1], -1, 1, 1)
out = []
for c in INPUT:
    sys.path.insert(0, c['dir'])
    for m in [k for k in sys.modules if k == 'model' or k.startswith('dlc_runtime')]:
        del sys.modules[m]
    from model import build_model
    from dlc_runtime.weights import load_tfjs_weights
    sys.path.pop(0)
    W = {k: np.array(v['values'], dtype=np.float32).reshape(v['shape']) for k, v in c['weights'].items()}
    block = SqueezeExcitation(${C}, ${S})
    with torch.no_grad():
        block.fc1.weight.copy_(conv_weight(W['fc1/kernel'])); block.fc1.bias.copy_(torch.from_numpy(W['fc1/bias']))
        block.fc2.weight.copy_(conv_weight(W['fc2/kernel'])); block.fc2.bias.copy_(torch.from_numpy(W['fc2/bias']))
        feat = torch.tensor(c['feat']).reshape(2, 6, 5, ${C}).permute(0, 3, 1, 2)
        se = block(feat).permute(0, 2, 3, 1).reshape(-1).tolist()
        m = build_model()
        load_tfjs_weights(m, W)
        m.eval()
        logits = m(torch.tensor(c['x']).reshape(2, 6, 5, 3)).reshape(-1).tolist()
    out.append({'params': sum(p.numel() for p in block.parameters()), 'shapes': [list(p.shape) for p in block.parameters()], 'block': se, 'logits': logits})
print(json.dumps(out))`,
      cases.map((c) => c.input),
    );
    const rel = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]) / Math.max(Math.abs(v), 1e-3)));
    cases.forEach((c, i) => {
      expect(got[i].shapes, c.form).toEqual([[S, C, 1, 1], [S], [C, S, 1, 1], [C]]);
      expect(c.blockParams, c.form).toBe(got[i].params);
      expect(c.blockParams, c.form).toBe(C * S + S + S * C + C);
      expect(got[i].block, c.form).toHaveLength(c.se.length);
      expect(rel(c.se, got[i].block), `${c.form}: SE block`).toBeLessThan(1e-5);
      expect(rel(c.logits, got[i].logits), `${c.form}: model.py logits`).toBeLessThan(1e-5);
    });
  });
});
