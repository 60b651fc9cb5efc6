/**
 * The issue-14 kinds A added train on the wasm backend: hard_swish
 * (dlcHardSwish), grouped conv2d (dlcGroupedConv2d: split → conv2d → concat,
 * or a depthwise convolution when each group is one channel) and multiply
 * with broadcasting (the squeeze-excitation gate). For each, the model dlc
 * builds from the op's recipe, with seeded weights, takes one SGD step; the
 * loss, the gradients of every weight and of every float input, and the
 * weights after the step on wasm equal the cpu backend's. A grouped conv also
 * equals the per-group reference (G separate convolutions of the channel
 * slices, concatenated), and saves/loads through a checkpoint.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IRNode } from '../../../src/compiler/ir.js';
import { lowerAttrs } from '../../../src/compiler/lower/lower.js';
import { normalizeLayer } from '../../../src/compiler/front/normalize-layer.js';
import { OPS, type OpKind } from '../../../src/compiler/ops/index.js';
import { buildContext } from '../../../src/compiler/ops/recipe.js';
import { initBackend } from '../../../src/runtime/backend/select.js';
import { loadModelFiles, modelFiles, MODEL_JSON, WEIGHTS_BIN } from '../../../src/runtime/checkpoint/model-files.js';
import { applyNode } from '../../../src/runtime/model/layers.js';
import { maxRelDiff, onBoth, seeded } from '../backend/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dlc-issue14-ops-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await initBackend('wasm');
});

type Case = readonly [kind: OpKind, attrs: unknown, inputs: readonly (readonly number[])[]];

const CASES: readonly Case[] = [
  ['hard_swish', {}, [[4, 3, 2]]],
  ['conv2d', { filters: 6, kernel_size: 3, groups: 2, padding: 1, activation: 'hard_swish' }, [[5, 4, 4]]],
  ['conv2d', { filters: 4, kernel_size: [3, 2], strides: 2, groups: 2, padding: 'same', use_bias: false }, [[6, 5, 6]]],
  // one channel per group: the depthwise path (MobileNet's depthwise conv written as PyTorch writes it)
  ['conv2d', { filters: 6, kernel_size: 3, groups: 3, padding: 1, activation: 'relu6' }, [[5, 4, 3]]],
  ['multiply', {}, [[3, 4, 5], [5]]],
  ['multiply', {}, [[3, 4, 5], [1, 1, 5], [3, 4, 1]]],
];

/** The op's model (recipe interpreted) on `shapes`, weights from the test's seeds. */
function opModel(kind: OpKind, raw: unknown, shapes: readonly (readonly number[])[]): tf.LayersModel {
  const attrs = lowerAttrs(normalizeLayer({ [kind]: raw }, '/model/layers/0'));
  const calls = OPS[kind].build(attrs as never, buildContext(`m.${kind}`, `m_${kind}`, 5));
  const inputs = shapes.map((s) => tf.input({ shape: [...s] }));
  const y = applyNode({ id: `m.${kind}`, layers: calls } as unknown as IRNode, inputs, (s) => s.seed);
  const model = tf.model({ inputs, outputs: y });
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(seeded(w.size, 40 + i).map((v) => v * 0.5), w.shape)));
  return model;
}

/** Loss, gradients of every weight and input, and the weights after one SGD step (lr 0.1) of `sum(y · r)`. */
function oneStep(kind: OpKind, raw: unknown, shapes: readonly (readonly number[])[]): () => tf.Tensor[] {
  return () => {
    const model = opModel(kind, raw, shapes);
    const n = 3;
    // Inputs in [-4, 4): hard swish's three pieces (0, the parabola, x) all get samples.
    const xs = shapes.map((s, k) => tf.variable(tf.tensor(seeded(n * s.reduce((a, b) => a * b, 1), 7 + k).map((v) => v * 4), [n, ...s])));
    const out = model.apply(xs.length === 1 ? xs[0] : xs) as tf.Tensor;
    const r = tf.tensor(seeded(out.size, 9), out.shape);
    const vars = [...model.trainableWeights.map((w) => w.read() as tf.Variable), ...xs];
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(model.apply(xs.length === 1 ? xs[0] : xs) as tf.Tensor, r)) as tf.Scalar, vars);
    const ordered = vars.map((v) => grads[v.name]);
    vars.forEach((v, i) => v.assign(tf.sub(v, tf.mul(ordered[i], 0.1))));
    const after = model.getWeights().map((w) => w.clone());
    model.dispose();
    tf.dispose(xs);
    return [value, ...ordered, ...after];
  };
}

describe('issue-14 kinds (hard_swish, grouped conv2d, multiply): one training step on wasm equals cpu', () => {
  it.each(CASES.map((c, i) => [`${c[0]} #${i + 1}`, c] as const))('%s', async (_name, [kind, raw, shapes]) => {
    const r = await onBoth(oneStep(kind, raw, shapes));
    const nGrads = (r.cpu.length - 1 + shapes.length) / 2;
    for (let i = 1; i <= nGrads; i++) expect(r.cpu[i].some((v) => v !== 0), `gradient ${i}`).toBe(true);
    expect(maxRelDiff(r.cpu, r.wasm)).toBeLessThan(1e-4);
  });
});

describe('dlc grouped conv2d and hard swish layers', () => {
  it('hard swish is x·relu6(x + 3)/6', async () => {
    await initBackend('cpu');
    const model = opModel('hard_swish', {}, [[7]]);
    const xs = [-5, -3, -1.5, 0, 1, 3, 4.5];
    const got = Array.from((model.predict(tf.tensor([xs])) as tf.Tensor).dataSync());
    const want = xs.map((x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6);
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 6));
  });

  it.each([
    [{ filters: 6, kernel_size: 3, groups: 2, padding: 1 }, [5, 4, 4]],
    [{ filters: 6, kernel_size: 3, groups: 3, strides: 2 }, [6, 7, 3]],
    [{ filters: 8, kernel_size: [1, 2], groups: 4, use_bias: false }, [3, 4, 8]],
  ] as const)('%j on %j equals G convolutions of the channel groups, and survives a checkpoint', async (raw, shape) => {
    await initBackend('cpu');
    const model = opModel('conv2d', raw, [shape]);
    const layer = model.layers.find((l) => l.getClassName() === 'DlcGroupedConv2d')!;
    const [kernel, bias] = layer.getWeights();
    const g = raw.groups;
    const cin = shape[2];
    expect(kernel.shape).toEqual([...(Array.isArray(raw.kernel_size) ? raw.kernel_size : [raw.kernel_size, raw.kernel_size]), cin / g, raw.filters]);
    const x = tf.tensor(seeded(2 * shape[0] * shape[1] * cin, 3), [2, ...shape]) as tf.Tensor4D;
    const pad = 'padding' in raw ? raw.padding : 0;
    const xp = pad ? tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]]) : x;
    const stride = 'strides' in raw ? raw.strides : 1;
    const per = raw.filters / g;
    // The reference: group k's filters (output channels k·per …) read input channels k·cin/G … only.
    const parts = Array.from({ length: g }, (_, k) =>
      tf.conv2d(tf.slice(xp, [0, 0, 0, (k * cin) / g], [-1, -1, -1, cin / g]) as tf.Tensor4D, tf.slice(kernel, [0, 0, 0, k * per], [-1, -1, -1, per]) as tf.Tensor4D, stride, 'valid'),
    );
    let want: tf.Tensor = tf.concat(parts, 3);
    if (bias) want = tf.add(want, bias);
    const got = model.predict(x) as tf.Tensor;
    expect(got.shape).toEqual(want.shape);
    expect(maxRelDiff([got.dataSync() as Float32Array], [want.dataSync() as Float32Array])).toBeLessThan(1e-6);
    // A checkpoint (model.json + weights.bin) loads back as the same layer with the same outputs.
    const sub = mkdtempSync(join(dir, 'ckpt-'));
    const { modelJson, weights } = await modelFiles(model);
    writeFileSync(join(sub, MODEL_JSON), modelJson);
    writeFileSync(join(sub, WEIGHTS_BIN), weights);
    const loaded = await loadModelFiles(sub);
    expect(loaded.layers.map((l) => l.getClassName())).toContain('DlcGroupedConv2d');
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from(got.dataSync()));
  });
});
