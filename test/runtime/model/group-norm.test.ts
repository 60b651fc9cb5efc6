/**
 * group_norm (dlcGroupNorm, runtime/model/group-norm.ts): the forward pass
 * equals a direct per-sample, per-group computation (PyTorch nn.GroupNorm:
 * contiguous channel groups, biased variance, per-channel γ/β); one SGD step
 * on wasm (loss, gradients of γ, β and the input, weights after) equals the
 * cpu backend's; a checkpoint reloads it; a channel count the groups do not
 * divide is DLC125 at `groups`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/compile.js';
import type { IRNode } from '../../../src/compiler/ir.js';
import { lowerAttrs } from '../../../src/compiler/lower/lower.js';
import { normalizeLayer } from '../../../src/compiler/front/normalize-layer.js';
import { OPS } from '../../../src/compiler/ops/index.js';
import { buildContext } from '../../../src/compiler/ops/recipe.js';
import { initBackend } from '../../../src/runtime/backend/select.js';
import { loadModelFiles, modelFiles, MODEL_JSON, WEIGHTS_BIN } from '../../../src/runtime/checkpoint/model-files.js';
import { applyNode } from '../../../src/runtime/model/layers.js';
import { maxRelDiff, onBoth, seeded } from '../backend/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dlc-group-norm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await initBackend('wasm');
});

type Case = readonly [attrs: unknown, shape: readonly number[]];
const CASES: readonly Case[] = [
  [{ groups: 2 }, [4, 3, 6]],
  [{ groups: 3, epsilon: 1e-3 }, [5, 6]],
  [4, [8]],
  [1, [3, 3, 4]],
];

function opModel(raw: unknown, shape: readonly number[]): tf.LayersModel {
  const attrs = lowerAttrs(normalizeLayer({ group_norm: raw }, '/model/layers/0'));
  const calls = OPS.group_norm.build(attrs as never, buildContext('m.gn', 'm_gn', 5));
  const input = tf.input({ shape: [...shape] });
  const model = tf.model({ inputs: input, outputs: applyNode({ id: 'm.gn', layers: calls } as unknown as IRNode, [input], (s) => s.seed) });
  // γ around 1, β around 0, not the identity.
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(seeded(w.size, 40 + i).map((v) => (i === 0 ? 1 + 0.5 * v : 0.5 * v)), w.shape)));
  return model;
}

/** PyTorch's GroupNorm, written out on a channels-last array: rows of `positions` × `c`. */
function reference(x: Float32Array, n: number, positions: number, c: number, g: number, eps: number, gamma: Float32Array, beta: Float32Array): Float64Array {
  const out = new Float64Array(x.length);
  const per = c / g;
  for (let s = 0; s < n; s++) {
    for (let k = 0; k < g; k++) {
      const idx: number[] = [];
      for (let p = 0; p < positions; p++) for (let j = 0; j < per; j++) idx.push(s * positions * c + p * c + k * per + j);
      const mean = idx.reduce((a, i) => a + x[i]!, 0) / idx.length;
      const variance = idx.reduce((a, i) => a + (x[i]! - mean) ** 2, 0) / idx.length;
      for (const i of idx) out[i] = ((x[i]! - mean) / Math.sqrt(variance + eps)) * gamma[i % c]! + beta[i % c]!;
    }
  }
  return out;
}

describe('group_norm', () => {
  it.each(CASES)('%j on %j equals the per-group reference and survives a checkpoint', async (raw, shape) => {
    await initBackend('cpu');
    const model = opModel(raw, shape);
    const g = typeof raw === 'number' ? raw : (raw as { groups: number }).groups;
    const eps = typeof raw === 'object' && raw && 'epsilon' in raw ? (raw as { epsilon: number }).epsilon : 1e-5;
    const c = shape[shape.length - 1]!;
    const positions = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const n = 3;
    const xv = seeded(n * positions * c, 11).map((v, i) => v * 3 + (i % c)); // channel offsets: groups differ
    const x = tf.tensor(xv, [n, ...shape]);
    const [gamma, beta] = model.getWeights().map((w) => w.dataSync() as Float32Array);
    const got = (model.predict(x) as tf.Tensor).dataSync() as Float32Array;
    const want = reference(xv, n, positions, c, g, eps, gamma!, beta!);
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    expect(worst).toBeLessThan(1e-4);
    const sub = mkdtempSync(join(dir, 'ckpt-'));
    const { modelJson, weights } = await modelFiles(model);
    writeFileSync(join(sub, MODEL_JSON), modelJson);
    writeFileSync(join(sub, WEIGHTS_BIN), weights);
    const loaded = await loadModelFiles(sub);
    expect(loaded.layers.map((l) => l.getClassName())).toContain('DlcGroupNorm');
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from(got));
  });

  it.each(CASES)('%j on %j: one training step on wasm equals cpu', async (raw, shape) => {
    const r = await onBoth(() => {
      const model = opModel(raw, shape);
      const x = tf.variable(tf.tensor(seeded(3 * shape.reduce((a, b) => a * b, 1), 7).map((v) => v * 4), [3, ...shape]));
      const out = model.apply(x) as tf.Tensor;
      const rr = tf.tensor(seeded(out.size, 9), out.shape);
      const vars = [...model.trainableWeights.map((w) => w.read() as tf.Variable), x];
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(model.apply(x) as tf.Tensor, rr)) as tf.Scalar, vars);
      const ordered = vars.map((v) => grads[v.name]!);
      vars.forEach((v, i) => v.assign(tf.sub(v, tf.mul(ordered[i]!, 0.1))));
      const after = model.getWeights().map((w) => w.clone());
      model.dispose();
      x.dispose();
      return [value, ...ordered, ...after];
    });
    for (let i = 1; i <= 3; i++) expect(r.cpu[i]!.some((v) => v !== 0), `gradient ${i}`).toBe(true);
    expect(maxRelDiff(r.cpu, r.wasm)).toBeLessThan(1e-4);
  });

  it('groups that do not divide the channels: DLC125 at groups', () => {
    const res = compile(`name: gn
data:
  dataset: synthetic
  synthetic: {train_samples: 8, test_samples: 4, shape: [4, 4, 6], classes: 2}
model:
  layers:
    - group_norm: {groups: 4}
    - flatten: {}
    - dense: {units: 2}
`, { file: 'gn.yaml' });
    const d = res.diagnostics.find((x) => x.code === 'DLC125');
    expect(d?.message).toMatch(/groups 4 does not divide the 6 channels/);
    expect(d?.path).toBe('/model/layers/0/group_norm/groups');
    expect(d?.line).toBe(7);
  });
});
