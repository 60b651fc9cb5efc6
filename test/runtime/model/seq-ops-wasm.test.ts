/**
 * The issue-11 layer kinds train on the wasm backend: for each, the model
 * dlc builds from the op's recipe (runtime interpreter), with seeded
 * weights, takes one SGD step; the loss, the gradients of every weight and
 * of a float input, and the weights after the step on wasm equal the cpu
 * backend's. Embedding's gradient is Gather's, UnsortedSegmentSum, which dlc
 * registers on wasm (wasm-training/kernels/unsorted-segment-sum.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IRNode } from '../../../src/compiler/ir.js';
import { lowerAttrs } from '../../../src/compiler/lower/lower.js';
import { normalizeLayer } from '../../../src/compiler/front/normalize-layer.js';
import { OPS, type OpKind } from '../../../src/compiler/ops/index.js';
import { buildContext } from '../../../src/compiler/ops/recipe.js';
import { initBackend } from '../../../src/runtime/backend/select.js';
import { applyNode } from '../../../src/runtime/model/layers.js';
import { maxRelDiff, onBoth, seeded } from '../backend/helpers.js';

beforeAll(async () => {
  await initBackend('wasm');
});

type Case = readonly [kind: OpKind, attrs: unknown, input: readonly number[], dtype?: 'int32'];

const CASES: readonly Case[] = [
  ['embedding', { input_dim: 11, output_dim: 4 }, [6], 'int32'],
  ['conv1d', { filters: 4, kernel_size: 3, strides: 2, padding: 'same', activation: 'relu' }, [9, 3]],
  // (dilation_rate > 1 has no gradient in tfjs on any backend: tfjs's conv2D gradient refuses it.)
  ['conv1d', { filters: 3, kernel_size: 2, use_bias: false, activation: 'leaky_relu' }, [8, 2]],
  ['max_pool1d', { pool_size: 2 }, [8, 3]],
  ['avg_pool1d', { pool_size: 3, strides: 2, padding: 'same' }, [7, 3]],
  ['global_avg_pool1d', {}, [5, 4]],
  ['global_max_pool1d', {}, [5, 4]],
  ['lstm', { units: 5 }, [6, 3]],
  ['lstm', { units: 3, return_sequences: true }, [4, 2]],
  ['gru', { units: 5 }, [6, 3]],
  ['gru', { units: 3, return_sequences: true }, [4, 2]],
  ['bidirectional', { layer: 'lstm', units: 3 }, [5, 2]],
  ['bidirectional', { layer: 'gru', units: 3, return_sequences: true, merge_mode: 'ave' }, [4, 3]],
  ['positional_embedding', {}, [5, 3]],
  ['multi_head_attention', { num_heads: 2 }, [5, 4]],
  ['multi_head_attention', { num_heads: 3, key_dim: 2 }, [4, 5]],
  ['transformer_encoder', { num_heads: 2, ff_dim: 6 }, [5, 4]],
  ['upsampling2d', {}, [3, 4, 2]],
  ['upsampling2d', { size: [2, 3], interpolation: 'bilinear' }, [3, 3, 2]],
];

/** Loss, gradients of every weight, and the weights after one SGD step (lr 0.1) of `sum(y · r)` on the op's model. */
function oneStep(kind: OpKind, raw: unknown, shape: readonly number[], dtype?: 'int32'): () => tf.Tensor[] {
  return () => {
    const attrs = lowerAttrs(normalizeLayer({ [kind]: raw }, '/model/layers/0'));
    const calls = OPS[kind].build(attrs as never, buildContext(`m.${kind}`, `m_${kind}`, 5));
    const input = tf.input({ shape: [...shape], dtype: dtype ?? 'float32' });
    const y = applyNode({ id: `m.${kind}`, layers: calls } as unknown as IRNode, [input], (s) => s.seed);
    const model = tf.model({ inputs: input, outputs: y });
    // Weights from the test's own seeds (the same on both backends whatever the initializers draw).
    model.setWeights(model.getWeights().map((w, i) => tf.tensor(seeded(w.size, 40 + i).map((v) => v * 0.5), w.shape)));
    const n = 3;
    const x =
      dtype === 'int32'
        ? tf.tensor(Array.from(seeded(n * shape[0], 7), (v) => Math.floor((v + 1) * 5.5)), [n, ...shape], 'int32')
        : tf.variable(tf.tensor(seeded(n * shape.reduce((a, b) => a * b, 1), 7), [n, ...shape]));
    const out = model.apply(x) as tf.Tensor;
    const r = tf.tensor(seeded(out.size, 9), out.shape);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    if (x instanceof tf.Variable) vars.push(x);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(model.apply(x) as tf.Tensor, r)) as tf.Scalar, vars);
    const ordered = vars.map((v) => grads[v.name]);
    vars.forEach((v, i) => v.assign(tf.sub(v, tf.mul(ordered[i], 0.1))));
    const after = model.getWeights().map((w) => w.clone());
    model.dispose();
    if (x instanceof tf.Variable) x.dispose();
    return [value, ...ordered, ...after];
  };
}

describe('issue-11 kinds: one training step on wasm equals cpu', () => {
  it.each(CASES.map((c, i) => [`${c[0]} #${i + 1}`, c] as const))('%s', async (_name, [kind, raw, shape, dtype]) => {
    const r = await onBoth(oneStep(kind, raw, shape, dtype));
    // Every weight got a gradient, and it is not all zeros.
    const nGrads = (r.cpu.length - 1 + (dtype === 'int32' ? 0 : 1)) / 2;
    expect(nGrads).toBeGreaterThan(0);
    for (let i = 1; i <= nGrads; i++) expect(r.cpu[i].some((v) => v !== 0), `gradient ${i}`).toBe(true);
    expect(maxRelDiff(r.cpu, r.wasm)).toBeLessThan(1e-4);
  });
});
