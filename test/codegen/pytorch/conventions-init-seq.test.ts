/**
 * `conventions: pytorch` initial weights of the sequence kinds (issue 14; ops/recipe.ts
 * pytorchSequenceInit): embedding is normal(0, 1) as nn.Embedding; lstm / gru (and the cell
 * bidirectional wraps) draw kernel, recurrent kernel and bias from uniform(±1/√units) as
 * nn.LSTM / nn.GRU. The tfjs model dlc's runtime builds has them, the emitted TypeScript
 * prints the same initializers, and the pytorch target's build_model() starts from exactly
 * the same values; `keras` keeps Glorot / orthogonal / zero bias.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPytorch } from '../../../src/codegen/pytorch/index.js';
import { buildModelView } from '../../../src/codegen/tfjs-node-ts/model-view.js';
import type { IR } from '../../../src/compiler/ir.js';
import type { OpKind } from '../../../src/compiler/ops/index.js';
import type { Shape } from '../../../src/compiler/ops/op-def.js';
import type { Conventions } from '../../../src/compiler/spec.js';
import { applyNode, layerFactory } from '../../../src/runtime/model/layers.js';
import { oneOpIR as sharedOneOpIR, PY_FRESH_MODEL } from './one-op.js';
import { PYTHON, runPython, writeFiles } from './python.js';

const SEED = 13;
const CASES: readonly (readonly [OpKind, unknown, Shape, number?])[] = [
  ['embedding', { input_dim: 300, output_dim: 8 }, [5]],
  ['lstm', { units: 6 }, [5, 3], 6],
  ['gru', { units: 5, return_sequences: true }, [4, 3], 5],
  ['bidirectional', { layer: 'lstm', units: 4 }, [5, 3], 4],
  ['bidirectional', { layer: 'gru', units: 3, merge_mode: 'sum' }, [5, 2], 3],
];

function oneOpIR(kind: OpKind, raw: unknown, input: Shape, conventions: Conventions): IR {
  return sharedOneOpIR(kind, raw, input, conventions, SEED, kind === 'embedding' ? 'int32' : 'float32');
}

/** Each weight of the tfjs model dlc's runtime builds from the IR, by `<layer>/<weight>`. */
function tfjsWeights(ir: IR, input: Shape, dtype: 'int32' | 'float32'): Record<string, number[]> {
  const inp = tf.input({ shape: [...input], dtype });
  const model = tf.model({ inputs: inp, outputs: applyNode(ir.nodes[1], [inp], (s) => s.seed) });
  const out: Record<string, number[]> = {};
  for (const w of model.weights) out[w.name.replace(/_\d+$/, '')] = Array.from(w.read().dataSync());
  model.dispose();
  return out;
}

const tmp = mkdtempSync(join(tmpdir(), 'dlc-torch-init-seq-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('conventions: pytorch initial weights of the sequence kinds', () => {
  it.each(CASES.map((c, i) => [`${c[0]} #${i + 1}`, c] as const))('%s: PyTorch ranges in the runtime model, keras unchanged, the printed TypeScript the same', (_n, [kind, raw, input, units]) => {
    const dtype = kind === 'embedding' ? 'int32' : 'float32';
    const ir = oneOpIR(kind, raw, input, 'pytorch');
    const w = tfjsWeights(ir, input, dtype);
    const keras = tfjsWeights(oneOpIR(kind, raw, input, 'keras'), input, dtype);
    expect(Object.keys(w).sort()).toEqual(Object.keys(keras).sort());
    if (kind === 'embedding') {
      const e = Object.values(w)[0];
      const mean = e.reduce((s, v) => s + v, 0) / e.length;
      const std = Math.sqrt(e.reduce((s, v) => s + (v - mean) ** 2, 0) / e.length);
      // 2,400 draws of normal(0, 1); Keras's glorot uniform here has std ≈ 0.08.
      expect(Math.abs(mean)).toBeLessThan(0.1);
      expect(std).toBeGreaterThan(0.93);
      expect(std).toBeLessThan(1.07);
    } else {
      const bound = 1 / Math.sqrt(units!);
      for (const [name, values] of Object.entries(w)) {
        const maxAbs = Math.max(...values.map(Math.abs));
        expect(maxAbs, name).toBeLessThanOrEqual(bound * (1 + 1e-6));
        expect(maxAbs, name).toBeGreaterThan(bound * 0.6);
      }
      const kerasBias = Object.entries(keras).filter(([k]) => k.endsWith('/bias'));
      expect(kerasBias.length).toBeGreaterThan(0);
      for (const [, b] of kerasBias) expect(b.every((v) => v === 0)).toBe(true);
    }
    // The emitted model.ts's configs build the same layers (same initializers, so the same weights).
    const steps = buildModelView(ir).steps;
    const printed = steps.map((s) => layerFactory(s.factory)(new Function('tf', `return { ${s.args.map((a) => `${a.key}: ${a.valueCode}`).join(', ')} };`)(tf) as Record<string, unknown>));
    const inp = tf.input({ shape: [...input], dtype });
    const y = printed.reduce<tf.SymbolicTensor>((x, l) => l.apply(x) as tf.SymbolicTensor, inp);
    const m = tf.model({ inputs: inp, outputs: y });
    const again: Record<string, number[]> = {};
    for (const v of m.weights) again[v.name.replace(/_\d+$/, '')] = Array.from(v.read().dataSync());
    expect(Object.values(again)).toEqual(Object.values(w));
    m.dispose();
  });

  it.skipIf(!PYTHON)("the pytorch target's build_model() starts from exactly dlc's weights", () => {
    const cases = CASES.map(([kind, raw, input], i) => {
      const ir = oneOpIR(kind, raw, input, 'pytorch');
      const dir = join(tmp, `${kind}_${i}`);
      writeFiles(dir, renderPytorch(ir, { specFile: 'ops.yaml' }));
      const inp = tf.input({ shape: [...input], dtype: kind === 'embedding' ? 'int32' : 'float32' });
      const model = tf.model({ inputs: inp, outputs: applyNode(ir.nodes[1], [inp], (s) => s.seed) });
      const tfjs: Record<string, number[]> = {};
      for (const layer of model.layers) layer.weights.forEach((v) => (tfjs[`${layer.name}/${v.originalName.split('/').slice(1).join('/')}`] = Array.from(v.read().dataSync())));
      model.dispose();
      return { name: `${kind} #${i + 1}`, dir, tfjs };
    });
    const got = runPython<Record<string, number[]>[]>(
      `${PY_FRESH_MODEL}
out = []
for c in INPUT:
    model, export_tfjs_weights = fresh_model(c['dir'])
    out.append({k: v.reshape(-1).tolist() for k, v in export_tfjs_weights(model).items()})
print(json.dumps(out))`,
      cases.map(({ dir }) => ({ dir })),
    );
    cases.forEach((c, i) => {
      expect(Object.values(got[i]).flat(), c.name).toEqual(Object.values(c.tfjs).flat());
      expect(Object.values(got[i]).flat().length, c.name).toBeGreaterThan(0);
    });
  });
});
