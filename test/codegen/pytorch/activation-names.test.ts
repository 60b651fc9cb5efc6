/**
 * `activation: relu6 | silu | swish | mish | hard_sigmoid | hard_swish` (issue 14): dlc's tfjs model
 * computes PyTorch's definitions (F.relu6, F.silu, F.mish, F.hardsigmoid, F.hardswish) on a dense layer's
 * output, and the pytorch target prints a model giving the same outputs.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPytorch } from '../../../src/codegen/pytorch/index.js';
import { normalizeLayer } from '../../../src/compiler/front/normalize-layer.js';
import type { IR, IRNode } from '../../../src/compiler/ir.js';
import { lowerAttrs } from '../../../src/compiler/lower/lower.js';
import { OPS } from '../../../src/compiler/ops/index.js';
import { nodeRecipes } from '../../../src/compiler/ops/recipe.js';
import { applyNode } from '../../../src/runtime/model/layers.js';
import { tinySpec } from '../../runtime/model/ir-fixtures.js';
import { PYTHON, runPython, writeFiles } from './python.js';

const softplus = (x: number) => Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
/** PyTorch's definitions. */
const REF: Record<string, (x: number) => number> = {
  relu6: (x) => Math.min(Math.max(x, 0), 6),
  silu: (x) => x * sigmoid(x),
  swish: (x) => x * sigmoid(x),
  mish: (x) => x * Math.tanh(softplus(x)),
  hard_sigmoid: (x) => Math.min(Math.max(x / 6 + 0.5, 0), 1),
  hard_swish: (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6,
};
const IN = 4;
const UNITS = 9;

function denseIR(activation: string): IR {
  const attrs = lowerAttrs(normalizeLayer({ dense: { units: UNITS, activation } }, '/model/layers/0'));
  const input = [IN];
  const shape = OPS.dense.infer(attrs as never, [input]).shape;
  const source = { file: 'a.yaml', path: '/model/layers/0', line: 1, col: 1 };
  const base = { params: { trainable: 0, nonTrainable: 0 }, macs: 0, named: true, source };
  const bare: Omit<IRNode, 'layers'>[] = [
    { ...base, id: 'input', op: 'input', attrs: { shape: input }, inputs: [], shape: input },
    { ...base, id: 'fc', op: 'dense', attrs, inputs: ['input'], shape },
  ];
  const recipes = nodeRecipes(bare, 3, 'float32', 'pytorch');
  const nodes = bare.map((n, i) => ({ ...n, layers: recipes[i] }));
  return { file: 'a.yaml', spec: { ...tinySpec(), seed: 3 }, nodes, outputId: 'fc', inputShape: input, numClasses: 2 } as unknown as IR;
}

/** Inputs spanning both sides of every kink (0, 6) and the saturating ends. */
const X = Array.from({ length: 3 * IN }, (_, i) => (i - 6) * 1.7);

function tfjsRun(ir: IR): { pre: number[]; out: number[] } {
  const inp = tf.input({ shape: [IN] });
  const model = tf.model({ inputs: inp, outputs: applyNode(ir.nodes[1], [inp], (s) => s.seed) });
  // Weights that push pre-activations past 6 and below −6.
  const [k, b] = model.layers[1].getWeights();
  model.layers[1].setWeights([tf.mul(tf.onesLike(k), 1.5), tf.zerosLike(b)]);
  const x = tf.tensor(X, [3, IN]);
  const out = Array.from((model.predict(x) as tf.Tensor).dataSync());
  const pre = Array.from(tf.matMul(x, tf.mul(tf.onesLike(k), 1.5)).dataSync());
  model.dispose();
  return { pre, out };
}

const tmp = mkdtempSync(join(tmpdir(), 'dlc-act-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('PyTorch activation names', () => {
  it.each(Object.keys(REF))('%s on a dense layer = PyTorch definition (1e-6)', (name) => {
    const { pre, out } = tfjsRun(denseIR(name));
    expect(Math.max(...pre)).toBeGreaterThan(6);
    expect(Math.min(...pre)).toBeLessThan(-6);
    out.forEach((y, i) => expect(Math.abs(y - REF[name](pre[i])), `${name}(${pre[i]})`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(y))));
  });
});

describe.skipIf(!PYTHON)('PyTorch activation names in the pytorch target', () => {
  it('the printed model gives the tfjs outputs', () => {
    const names = Object.keys(REF);
    const want = names.map((n) => tfjsRun(denseIR(n)).out);
    const dirs = names.map((n) => {
      const dir = join(tmp, n);
      writeFiles(dir, renderPytorch(denseIR(n), { specFile: 'a.yaml' }));
      return dir;
    });
    const got = runPython<number[][]>(
      `import importlib, sys, torch
out = []
for d in INPUT['dirs']:
    sys.path.insert(0, d)
    for m in [k for k in sys.modules if k == 'model' or k.startswith('dlc_runtime')]:
        del sys.modules[m]
    model = importlib.import_module('model').build_model().eval()
    sys.path.pop(0)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.full_like(p, 1.5) if p.dim() == 2 else torch.zeros_like(p))
        out.append(model(torch.tensor(INPUT['x'], dtype=torch.float32).reshape(3, -1)).reshape(-1).tolist())
print(json.dumps(out))`,
      { dirs, x: X },
    );
    names.forEach((n, i) => got[i].forEach((y, j) => expect(Math.abs(y - want[i][j]), n).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(y)))));
  });
});
