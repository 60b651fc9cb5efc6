/**
 * Per op: the model.py the pytorch target prints for a one-op IR, loaded with the weights of
 * the tfjs model dlc's runtime builds from the same recipe (randomised, moving statistics
 * included), gives the tfjs outputs within 1e-5 relative on random inputs — in inference
 * mode, and in training mode where it is deterministic (batch norm with batch statistics);
 * and build_model() starts from exactly dlc's initial weights (seeded glorot kernels); and the
 * project's tfjs_topology.json rebuilds a tfjs model giving the same outputs (torch checkpoints
 * carry it, so tfjs opens them).
 * The cases mirror the op conformance table (test/compiler/ops/conformance.test.ts); kinds
 * the target cannot print yet (embedding, lstm, gru, bidirectional, positional_embedding,
 * multi_head_attention, transformer_encoder) must say so (UnsupportedLayer), not print
 * something else.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPytorch } from '../../../src/codegen/pytorch/index.js';
import { UnsupportedLayer } from '../../../src/codegen/pytorch/model-view.js';
import { normalizeLayer } from '../../../src/compiler/front/normalize-layer.js';
import type { IR, IRNode } from '../../../src/compiler/ir.js';
import { lowerAttrs } from '../../../src/compiler/lower/lower.js';
import { OPS, OP_KINDS, type OpKind } from '../../../src/compiler/ops/index.js';
import type { Shape } from '../../../src/compiler/ops/op-def.js';
import { nodeRecipes } from '../../../src/compiler/ops/recipe.js';
import { applyNode } from '../../../src/runtime/model/layers.js';
import { tinySpec } from '../../runtime/model/ir-fixtures.js';
import { PYTHON, runPython, writeFiles } from './python.js';

type Case = readonly [attrs: unknown, input: Shape, inputCount?: number];
const X = [8, 8, 3];
/** Every case reads one input (multi-input ops read it several times). */
const ROWS: Partial<Record<OpKind, readonly Case[]>> = {
  conv2d: [
    [{ filters: 4, kernel_size: 3 }, X],
    [{ filters: 5, kernel_size: [3, 1], strides: 2, padding: 1, activation: 'leaky_relu', use_bias: false }, [9, 7, 2]],
    [{ filters: 3, kernel_size: 3, dilation_rate: 2, padding: 'same', activation: 'relu' }, X],
    [{ filters: 3, kernel_size: 4, strides: 2, padding: 'same' }, [9, 8, 2]],
  ],
  depthwise_conv2d: [
    [{ kernel_size: 3, depth_multiplier: 2, padding: 'same' }, X],
    [{ kernel_size: 3, strides: 2, padding: 1, use_bias: false, activation: 'elu' }, X],
  ],
  separable_conv2d: [
    [{ filters: 6, kernel_size: 3, depth_multiplier: 2 }, X],
    [{ filters: 4, kernel_size: [1, 3], padding: 'same', use_bias: false, activation: 'leaky_relu' }, X],
  ],
  conv2d_transpose: [
    [{ filters: 4, kernel_size: 3 }, [5, 4, 3]],
    [{ filters: 2, kernel_size: [3, 2], strides: 2, padding: 'same', activation: 'leaky_relu', use_bias: false }, [5, 4, 3]],
    [{ filters: 3, kernel_size: 2, strides: 3, activation: 'relu' }, [4, 4, 2]],
    [{ filters: 3, kernel_size: 4, strides: 2, padding: 'same' }, [3, 3, 2]],
    [{ filters: 2, kernel_size: 1, strides: 2, padding: 'same' }, [3, 3, 2]],
  ],
  upsampling2d: [
    [{}, [3, 4, 2]],
    [[3, 1], [3, 4, 2]],
    [{ size: 2, interpolation: 'bilinear' }, [3, 4, 2]],
    [{ size: [3, 2], interpolation: 'bilinear' }, [3, 5, 1]],
  ],
  conv1d: [
    [{ filters: 4, kernel_size: 3 }, [10, 6]],
    [{ filters: 5, kernel_size: 2, strides: 2, padding: 'same', activation: 'leaky_relu', use_bias: false }, [9, 3]],
    [{ filters: 3, kernel_size: 3, dilation_rate: 2, activation: 'relu' }, [12, 2]],
    [{ filters: 2, kernel_size: 4, strides: 2, padding: 'same' }, [9, 3]],
  ],
  max_pool1d: [
    [2, [9, 4]],
    [{ pool_size: 3, strides: 2, padding: 'same' }, [9, 4]],
  ],
  avg_pool1d: [
    [{ pool_size: 2 }, [8, 3]],
    [{ pool_size: 3, strides: 1, padding: 'same' }, [5, 2]],
    [{ pool_size: 2, strides: 2, padding: 'same' }, [5, 2]],
  ],
  global_avg_pool1d: [[{}, [7, 5]]],
  global_max_pool1d: [[{}, [7, 5]]],
  max_pool2d: [
    [{ pool_size: 2 }, X],
    [{ pool_size: 3, strides: 2, padding: 'same' }, [9, 9, 2]],
    [{ pool_size: 2, strides: 2, padding: 'same' }, [5, 5, 2]],
  ],
  avg_pool2d: [
    [{ pool_size: [2, 1] }, X],
    [{ pool_size: 3, strides: 1, padding: 'same' }, [5, 5, 2]],
    [{ pool_size: 2, strides: 2, padding: 'same' }, [5, 5, 2]],
  ],
  global_avg_pool2d: [[{}, [5, 4, 3]]],
  global_max_pool2d: [[{}, [5, 4, 3]]],
  zero_padding2d: [
    [{}, [5, 4, 3]],
    [{ padding: [2, 1] }, [5, 4, 3]],
    [{ padding: [[1, 0], [0, 3]] }, [5, 4, 3]],
  ],
  dense: [
    [{ units: 7 }, [12]],
    [{ units: 3, activation: 'leaky_relu', use_bias: false }, [5]],
    [{ units: 2, activation: 'softmax' }, [5]],
  ],
  flatten: [[{}, [4, 3, 2]]],
  reshape: [
    [{ target_shape: [6, 4] }, [4, 3, 2]],
    [{ target_shape: [2, 2, 6] }, [24]],
  ],
  dropout: [[{ rate: 0.3 }, [10]]],
  batch_norm: [
    [{}, [4, 4, 3]],
    [{ momentum: 0.9, epsilon: 1e-5 }, [6]],
  ],
  layer_norm: [[{ epsilon: 1e-5 }, [4, 4, 3]]],
  relu: [[{}, X]],
  leaky_relu: [[{ alpha: 0.2 }, [6]]],
  elu: [[{}, X]],
  gelu: [[{}, [6]]],
  relu6: [[{}, X]],
  silu: [[{}, [6]]],
  swish: [[{}, [6]]],
  mish: [[{}, X]],
  hard_sigmoid: [[{}, X]],
  sigmoid: [[{}, X]],
  tanh: [[{}, X]],
  softmax: [[{}, [6]], [{}, [3, 3, 4]]],
  add: [[{}, [4, 4, 3], 3]],
  concat: [
    [{}, [4, 4, 2], 2],
    [{ axis: 0 }, [2, 3], 2],
    [{ axis: 1 }, [3, 2, 2], 2],
  ],
};
/** Kinds the target does not print yet (the test checks it refuses them). */
const NOT_YET: readonly string[] = ['embedding', 'lstm', 'gru', 'bidirectional', 'positional_embedding', 'multi_head_attention', 'transformer_encoder'];
const UNSUPPORTED_CASES: Record<string, Case> = {
  embedding: [{ input_dim: 50, output_dim: 8 }, [7]],
  lstm: [{ units: 6 }, [5, 3]],
  gru: [{ units: 6 }, [5, 3]],
  bidirectional: [{ layer: 'lstm', units: 4 }, [5, 3]],
  positional_embedding: [{}, [5, 3]],
  multi_head_attention: [{ num_heads: 2 }, [5, 4]],
  transformer_encoder: [{ num_heads: 2, ff_dim: 8 }, [5, 4]],
};
const SEED = 11;
const BATCH = 3;

function oneOpIR(kind: OpKind, attrs: Record<string, unknown>, input: Shape, count: number): IR {
  const shape = OPS[kind].infer(attrs as never, Array.from({ length: count }, () => input)).shape;
  const source = { file: 'ops.yaml', path: '/model/layers/0', line: 1, col: 1 };
  const base = { params: { trainable: 0, nonTrainable: 0 }, macs: 0, named: true, source };
  const bare: Omit<IRNode, 'layers'>[] = [
    { ...base, id: 'input', op: 'input', attrs: { shape: input }, inputs: [], shape: input },
    { ...base, id: `the.${kind}`, op: kind, attrs, inputs: Array.from({ length: count }, () => 'input'), shape },
  ];
  const recipes = nodeRecipes(bare, SEED);
  const nodes = bare.map((n, i) => ({ ...n, layers: recipes[i] }));
  return { file: 'ops.yaml', spec: { ...tinySpec(), seed: SEED }, nodes, outputId: nodes[1].id, inputShape: input as [number, number, number], numClasses: 2 } as IR;
}

const tmp = mkdtempSync(join(tmpdir(), 'dlc-torch-ops-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.skipIf(!PYTHON)('pytorch model.py per op = the tfjs model dlc builds', () => {
  it('covers every registered op (printed, or refused as not yet supported)', () => {
    expect([...Object.keys(ROWS), ...NOT_YET].sort()).toEqual([...OP_KINDS].sort());
    for (const kind of NOT_YET) {
      const [raw, input] = UNSUPPORTED_CASES[kind];
      const ir = oneOpIR(kind as OpKind, lowerAttrs(normalizeLayer({ [kind]: raw }, '/model/layers/0')), input, 1);
      expect(() => renderPytorch(ir, { specFile: 'ops.yaml' })).toThrow(UnsupportedLayer);
    }
  });

  it('gives the tfjs outputs within 1e-5 for every case, inference and training mode', async () => {
    const topoModels: { name: string; topo: object; snapshot: Map<string, tf.Tensor[]>; x: tf.Tensor; infer: number[] }[] = [];
    let rs = 5;
    const rnd = () => (rs = (rs * 1103515245 + 12345) % 2147483648) / 2147483648;
    const cases = (Object.entries(ROWS) as [OpKind, readonly Case[]][]).flatMap(([kind, rows]) =>
      rows.map(([raw, input, count = 1], i) => {
        const attrs = lowerAttrs(normalizeLayer({ [kind]: raw }, '/model/layers/0'));
        const ir = oneOpIR(kind, attrs, input, count);
        const dir = join(tmp, `${kind}_${i}`);
        const files = renderPytorch(ir, { specFile: 'ops.yaml' });
        writeFiles(dir, files);
        const inp = tf.input({ shape: [...input] });
        const y = applyNode(ir.nodes[1], Array.from({ length: count }, () => inp), (s) => s.seed);
        const model = tf.model({ inputs: inp, outputs: y });
        // dlc's initial weights, then random ones (variances positive), so nothing is an identity by accident.
        const initial: Record<string, number[]> = {};
        for (const layer of model.layers) layer.weights.forEach((w) => (initial[`${layer.name}/${w.originalName.split('/').pop()}`] = Array.from(w.read().dataSync())));
        const weights: Record<string, { shape: number[]; values: number[] }> = {};
        for (const layer of model.layers) {
          const ws = layer.getWeights().map((w) => tf.tensor(Array.from({ length: w.size }, () => (w.shape.length === 1 ? 0.5 + rnd() : rnd() * 2 - 1)), w.shape));
          if (ws.length) layer.setWeights(ws);
          layer.weights.forEach((w, k) => (weights[`${layer.name}/${w.originalName.split('/').pop()}`] = { shape: ws[k].shape, values: Array.from(ws[k].dataSync()) }));
          tf.dispose(ws);
        }
        const xs = Array.from({ length: BATCH * input.reduce((a, b) => a * b, 1) }, () => rnd() * 4 - 2);
        const x = tf.tensor(xs, [BATCH, ...input]);
        const infer = Array.from((model.apply(x, { training: false }) as tf.Tensor).dataSync());
        // The project's tfjs_topology.json (what torch checkpoints carry) rebuilds the same tfjs model.
        const topo = JSON.parse(files.get('tfjs_topology.json')!) as object;
        // Weights as they were for `infer` (a training-mode call below moves batch norm's moving statistics).
        const snapshot = new Map(model.layers.map((l) => [l.name, l.getWeights().map((w) => w.clone())]));
        topoModels.push({ name: `${kind} #${i + 1}`, topo, snapshot, x, infer });
        const training = kind === 'dropout' ? null : Array.from((model.apply(x, { training: true }) as tf.Tensor).dataSync());
        const outShape = (model.outputs[0].shape as number[]).slice(1);
        model.dispose();
        return { name: `${kind} #${i + 1}`, dir, initial, weights, x: xs, input, infer, training, outShape };
      }),
    );
    const got = runPython<{ initial: Record<string, number[]>; infer: number[]; training: number[] | null; shape: number[] }[]>(
      `import importlib, sys, numpy as np, torch
out = []
for c in INPUT:
    sys.path.insert(0, c['dir'])
    for m in [k for k in sys.modules if k == 'model' or k.startswith('dlc_runtime')]:
        del sys.modules[m]
    model = importlib.import_module('model').build_model()
    from dlc_runtime.weights import export_tfjs_weights, load_tfjs_weights
    initial = {k: v.reshape(-1).tolist() for k, v in export_tfjs_weights(model).items()}
    load_tfjs_weights(model, {k: np.array(v['values'], dtype=np.float32).reshape(v['shape']) for k, v in c['weights'].items()})
    sys.path.pop(0)
    x = torch.tensor(c['x'], dtype=torch.float32).reshape(-1, *c['input'])
    model.eval()
    with torch.no_grad():
        y = model(x)
        model.train()
        t = model(x).reshape(-1).tolist() if c['training'] is not None else None
    out.append({'initial': initial, 'infer': y.reshape(-1).tolist(), 'training': t, 'shape': list(y.shape[1:])})
print(json.dumps(out))`,
      cases.map(({ dir, weights, x, input, training }) => ({ dir, weights, x, input, training: training ? true : null })),
    );
    const worst: string[] = [];
    cases.forEach((c, i) => {
      // build_model() starts from exactly dlc's initial weights (seeded glorot kernels, zero biases, BN/LN defaults).
      expect(got[i].initial, `${c.name} initial weights`).toEqual(c.initial);
      expect(got[i].shape, c.name).toEqual(c.outShape);
      for (const [mode, want, have] of [['inference', c.infer, got[i].infer], ['training', c.training, got[i].training]] as const) {
        if (!want) continue;
        expect(have, `${c.name} ${mode}`).toHaveLength(want.length);
        const scale = Math.max(1e-3, ...want.map(Math.abs));
        const rel = Math.max(...want.map((v, j) => Math.abs(v - have![j]) / Math.max(Math.abs(v), scale * 1e-2)));
        if (!(rel <= 1e-5)) worst.push(`${c.name} ${mode}: max relative difference ${rel.toExponential(2)}`);
      }
    });
    expect(worst).toEqual([]);
    for (const t of topoModels) {
      const rebuilt = await tf.models.modelFromJSON({ modelTopology: t.topo } as never);
      for (const layer of rebuilt.layers) if (layer.weights.length > 0) layer.setWeights(t.snapshot.get(layer.name)!);
      expect(Array.from((rebuilt.apply(t.x, { training: false }) as tf.Tensor).dataSync()), `${t.name} from tfjs_topology.json`).toEqual(t.infer);
      rebuilt.dispose();
      tf.dispose([...t.snapshot.values()].flat());
      t.x.dispose();
    }
  });
});
