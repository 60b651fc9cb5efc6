/**
 * The issue-11 kinds in an emitted project: src/model.ts for a token-id
 * model (int32 [steps] input → embedding → conv1d → 1-D pools → lstm → gru →
 * bidirectional lstm →
 * global pools → dense) and an image model with upsampling2d builds the same
 * model as the runtime builder — input dtype, layer names and classes,
 * initial weights, outputs.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderProject } from '../../src/codegen/index.js';
import { normalizeLayer } from '../../src/compiler/front/normalize-layer.js';
import type { IR, IRNode } from '../../src/compiler/ir.js';
import { lowerAttrs } from '../../src/compiler/lower/lower.js';
import { OPS, type OpKind } from '../../src/compiler/ops/index.js';
import { nodeRecipes } from '../../src/compiler/ops/recipe.js';
import { initBackend } from '../../src/runtime/backend/select.js';
import { buildModel } from '../../src/runtime/model/build-model.js';
import { tinySpec } from '../runtime/model/ir-fixtures.js';
import { DLC_ROOT } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dlc-seq-model-'));
beforeAll(() => symlinkSync(join(DLC_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A chain IR: the input, then each layer reading the one before, shapes and params inferred by the ops. */
function chainIR(input: number[], dtype: 'float32' | 'int32', layers: readonly [OpKind, unknown][], seed = 13): IR {
  const source = { file: 'seq.yaml', path: '/model/layers', line: 1, col: 1 };
  const bare: Omit<IRNode, 'layers'>[] = [{ id: 'input', op: 'input', attrs: { shape: input }, inputs: [], shape: input, params: { trainable: 0, nonTrainable: 0 }, macs: 0, named: true, source }];
  layers.forEach(([kind, raw], i) => {
    const attrs = lowerAttrs(normalizeLayer({ [kind]: raw }, `/model/layers/${i}`));
    const f = OPS[kind].infer(attrs as never, [bare[bare.length - 1].shape]);
    bare.push({ id: `l${i}_${kind}`, op: kind, attrs, inputs: [bare[bare.length - 1].id], shape: [...f.shape], params: f.params, macs: f.macs, named: false, source });
  });
  const recipes = nodeRecipes(bare, seed, dtype);
  const nodes = bare.map((n, i) => ({ ...n, layers: recipes[i] }));
  const last = nodes[nodes.length - 1];
  return { file: 'seq.yaml', spec: { ...tinySpec(), seed }, nodes, outputId: last.id, inputShape: input as never, numClasses: last.shape[0], ...(dtype === 'int32' ? { inputDType: 'int32' as const } : {}) };
}

/** The emitted src/model.ts (as `file`) and the runtime files it imports (src/lib/…), transpiled into the temp dir. */
async function emittedModel(ir: IR, file: string): Promise<{ buildModel(): tf.LayersModel; INPUT_SHAPE: number[] }> {
  const files = renderProject(ir, 'tfjs-node-ts', { specFile: 'seq.yaml' });
  const js = (source: string) => ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  for (const [path, source] of files) {
    if (!path.startsWith('src/lib/') || !path.endsWith('.ts')) continue;
    const out = join(dir, path.slice('src/'.length).replace(/\.ts$/, '.js'));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, js(source));
  }
  writeFileSync(join(dir, file), js(files.get('src/model.ts')!));
  return (await import(pathToFileURL(join(dir, file)).href)) as { buildModel(): tf.LayersModel; INPUT_SHAPE: number[] };
}

async function expectSameModel(ir: IR, file: string, x: tf.Tensor): Promise<void> {
  const emitted = await emittedModel(ir, file);
  expect(emitted.INPUT_SHAPE).toEqual(ir.inputShape);
  const ours = emitted.buildModel();
  const theirs = buildModel(ir);
  expect(ours.inputs[0].dtype).toBe(ir.inputDType ?? 'float32');
  expect(theirs.inputs[0].dtype).toBe(ir.inputDType ?? 'float32');
  expect(ours.layers.map((l) => [l.name, l.getClassName()])).toEqual(theirs.layers.map((l) => [l.name, l.getClassName()]));
  const a = ours.getWeights();
  const b = theirs.getWeights();
  expect(a.map((w) => w.shape)).toEqual(b.map((w) => w.shape));
  for (let i = 0; i < a.length; i++) expect(Array.from(a[i].dataSync()), `weight ${i}`).toEqual(Array.from(b[i].dataSync()));
  const trainable = ir.nodes.reduce((s, n) => s + n.params.trainable, 0);
  expect(theirs.countParams()).toBe(trainable);
  const ya = ours.predict(x) as tf.Tensor;
  const yb = theirs.predict(x) as tf.Tensor;
  expect(ya.shape).toEqual([x.shape[0], ...ir.nodes[ir.nodes.length - 1].shape]);
  expect(Array.from(ya.dataSync())).toEqual(Array.from(yb.dataSync()));
  tf.dispose([x, ya, yb]);
  ours.dispose();
  theirs.dispose();
}

describe('emitted model.ts with the sequence kinds', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('token ids: int32 input, embedding, conv1d, pools, lstm, gru, bidirectional', async () => {
    const ir = chainIR([12], 'int32', [
      ['embedding', { input_dim: 30, output_dim: 6 }],
      ['conv1d', { filters: 5, kernel_size: 3, padding: 'same', activation: 'relu' }],
      ['max_pool1d', 2],
      ['lstm', { units: 4, return_sequences: true }],
      ['avg_pool1d', { pool_size: 2, strides: 1 }],
      ['gru', { units: 3, return_sequences: true }],
      ['bidirectional', { layer: 'lstm', units: 2, return_sequences: true }],
      ['global_max_pool1d', {}],
      ['dense', { units: 2 }],
    ]);
    expect(ir.nodes.map((n) => n.shape)).toEqual([[12], [12, 6], [12, 5], [6, 5], [6, 4], [5, 4], [5, 3], [5, 4], [4], [2]]);
    await expectSameModel(ir, 'tokens.mjs', tf.tensor2d(Array.from({ length: 24 }, (_, i) => (i * 7) % 30), [2, 12], 'int32'));
  });

  it('token ids: positional_embedding, transformer_encoder, multi_head_attention (dlc layers, imported from the copied runtime)', async () => {
    const ir = chainIR([7], 'int32', [
      ['embedding', { input_dim: 20, output_dim: 8 }],
      ['positional_embedding', {}],
      ['transformer_encoder', { num_heads: 2, ff_dim: 12 }],
      ['multi_head_attention', { num_heads: 4, key_dim: 3 }],
      ['global_avg_pool1d', {}],
      ['dense', { units: 3 }],
    ]);
    expect(ir.nodes.map((n) => n.shape)).toEqual([[7], [7, 8], [7, 8], [7, 8], [7, 8], [8], [3]]);
    await expectSameModel(ir, 'attention.mjs', tf.tensor2d(Array.from({ length: 14 }, (_, i) => (i * 5) % 20), [2, 7], 'int32'));
  });

  it('upsampling2d and global_avg_pool1d', async () => {
    const ir = chainIR([3, 4, 2], 'float32', [
      ['upsampling2d', { size: [2, 1] }],
      ['upsampling2d', { interpolation: 'bilinear' }],
      ['reshape', { target_shape: [12, 16] }],
      ['global_avg_pool1d', {}],
    ]);
    expect(ir.nodes.map((n) => n.shape)).toEqual([[3, 4, 2], [6, 4, 2], [12, 8, 2], [12, 16], [16]]);
    await expectSameModel(ir, 'images.mjs', tf.randomUniform([2, 3, 4, 2], 0, 1, 'float32', 3));
  });
});
