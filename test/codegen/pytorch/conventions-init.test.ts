/**
 * `conventions: pytorch` initial weights (ops/recipe.ts pytorchInit): every
 * conv/dense kernel and bias is drawn from uniform(±1/√fan_in) with
 * PyTorch's own fan-in (torch.nn.init._calculate_fan_in_and_fan_out on the
 * torch module's weight), and the pytorch target's build_model() starts from
 * exactly the weights dlc's tfjs runtime builds; `keras` keeps Glorot kernels
 * and zero biases.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPytorch } from '../../../src/codegen/pytorch/index.js';
import type { InitializerRecipe, IR } from '../../../src/compiler/ir.js';
import type { OpKind } from '../../../src/compiler/ops/index.js';
import type { Shape } from '../../../src/compiler/ops/op-def.js';
import type { Conventions } from '../../../src/compiler/spec.js';
import { applyNode } from '../../../src/runtime/model/layers.js';
import { oneOpIR as sharedOneOpIR, PY_FRESH_MODEL } from './one-op.js';
import { PYTHON, runPython, writeFiles } from './python.js';

const SEED = 13;
const CASES: readonly (readonly [OpKind, unknown, Shape])[] = [
  ['conv2d', { filters: 5, kernel_size: 3 }, [6, 6, 4]],
  ['conv2d', { filters: 3, kernel_size: [3, 1], padding: 1, use_bias: false }, [6, 5, 2]],
  ['depthwise_conv2d', { kernel_size: 3, depth_multiplier: 2, padding: 'same' }, [6, 6, 3]],
  ['conv2d_transpose', { filters: 4, kernel_size: 3, strides: 2 }, [4, 4, 3]],
  ['dense', { units: 7 }, [12]],
  // grouped (dlcGroupedConv2d): PyTorch's fan-in is k·k·Cin/G
  ['conv2d', { filters: 6, kernel_size: 3, groups: 2 }, [6, 6, 4]],
];

function oneOpIR(kind: OpKind, raw: unknown, input: Shape, conventions: Conventions): IR {
  return sharedOneOpIR(kind, raw, input, conventions, SEED);
}

/** Each weight of the tfjs model dlc's runtime builds from the IR, by `<layer>/<weight>`. */
function tfjsWeights(ir: IR, input: Shape): Record<string, number[]> {
  const inp = tf.input({ shape: [...input] });
  const model = tf.model({ inputs: inp, outputs: applyNode(ir.nodes[1], [inp], (s) => s.seed) });
  const out: Record<string, number[]> = {};
  for (const layer of model.layers) layer.weights.forEach((w) => (out[`${layer.name}/${w.originalName.split('/').pop()}`] = Array.from(w.read().dataSync())));
  model.dispose();
  return out;
}

const tmp = mkdtempSync(join(tmpdir(), 'dlc-torch-init-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('conventions: pytorch initial weights (recipes)', () => {
  it('kernels and biases are uniform(±1/√fan_in) recipes with PyTorch fan-ins; keras keeps Glorot and no bias initializer', () => {
    const fanIns = [3 * 3 * 4, 3 * 1 * 2, 3 * 3, 4 * 3 * 3, 12, (3 * 3 * 4) / 2];
    CASES.forEach(([kind, raw, input], i) => {
      const main = oneOpIR(kind, raw, input, 'pytorch').nodes[1].layers.find((c) => c.part === 'main')!;
      const key = kind === 'depthwise_conv2d' ? 'depthwiseInitializer' : 'kernelInitializer';
      const kernel = main.args[key] as InitializerRecipe;
      expect(kernel, kind).toMatchObject({ init: 'randomUniform', limit: 1 / Math.sqrt(fanIns[i]) });
      if (main.args.useBias === false) expect(main.args.biasInitializer).toBeUndefined();
      else expect(main.args.biasInitializer, kind).toMatchObject({ init: 'randomUniform', limit: 1 / Math.sqrt(fanIns[i]) });
      const keras = oneOpIR(kind, raw, input, 'keras').nodes[1].layers.find((c) => c.part === 'main')!;
      expect((keras.args[key] as InitializerRecipe).init).toBe('glorotUniform');
      expect(keras.args.biasInitializer).toBeUndefined();
      // Same kernel seed under both: only the range differs.
      expect(kernel.seed).toBe((keras.args[key] as InitializerRecipe).seed);
    });
  });
});

describe.skipIf(!PYTHON)('conventions: pytorch initial weights = PyTorch ranges, and the pytorch target starts from them', () => {
  it('every tfjs weight lies in ±1/√(torch fan_in), spans most of it, and build_model() gives the same values', () => {
    const cases = CASES.map(([kind, raw, input], i) => {
      const ir = oneOpIR(kind, raw, input, 'pytorch');
      const dir = join(tmp, `${kind}_${i}`);
      writeFiles(dir, renderPytorch(ir, { specFile: 'ops.yaml' }));
      return { name: `${kind} #${i}`, dir, tfjs: tfjsWeights(ir, input) };
    });
    const got = runPython<{ initial: Record<string, number[]>; bounds: Record<string, number> }[]>(
      `${PY_FRESH_MODEL}
import math, torch
out = []
for c in INPUT:
    model, export_tfjs_weights = fresh_model(c['dir'])
    initial = {k: v.reshape(-1).tolist() for k, v in export_tfjs_weights(model).items()}
    bounds = {}
    for name, mod in model.named_modules():
        if isinstance(mod, (torch.nn.Conv2d, torch.nn.ConvTranspose2d, torch.nn.Linear)):
            fan_in, _ = torch.nn.init._calculate_fan_in_and_fan_out(mod.weight)
            bounds[name] = 1 / math.sqrt(fan_in)
    out.append({'initial': initial, 'bounds': bounds})
print(json.dumps(out))`,
      cases.map(({ dir }) => ({ dir })),
    );
    cases.forEach((c, i) => {
      expect(got[i].initial, `${c.name} initial weights`).toEqual(c.tfjs);
      const bounds = Object.values(got[i].bounds);
      expect(bounds, c.name).toHaveLength(1);
      const [bound] = bounds;
      const all = Object.values(c.tfjs).flat();
      const maxAbs = Math.max(...all.map(Math.abs));
      expect(maxAbs, c.name).toBeLessThanOrEqual(bound * (1 + 1e-6));
      expect(maxAbs, c.name).toBeGreaterThan(bound * 0.7);
      // Biases are drawn, not zero.
      const bias = Object.entries(c.tfjs).find(([k]) => k.endsWith('/bias'));
      if (bias) expect(bias[1].some((v) => v !== 0), c.name).toBe(true);
    });
  });
});
