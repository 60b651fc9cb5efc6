/**
 * Op conformance, in the manner of Keras's `run_layer_test`: one row per
 * registered layer kind (a kind without a row fails), each a list of cases —
 * the attributes as a user writes them and the input shape(s). For every
 * case:
 * - the inferred output shape and trainable / non-trainable parameter
 *   counts equal those of the tfjs layers the runtime builds from the op's
 *   recipe;
 * - the code the TypeScript emitter prints for the recipe makes layers with
 *   exactly the runtime's configs (same factories, names, arguments and
 *   initializer seeds), so `dlc emit` and `dlc run` build the same model.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModelView } from '../../../src/codegen/tfjs-node-ts/model-view.js';
import { normalizeLayer } from '../../../src/compiler/front/normalize-layer.js';
import type { IR, IRNode, LayerCall } from '../../../src/compiler/ir.js';
import { lowerAttrs } from '../../../src/compiler/lower/lower.js';
import { OPS, OP_KINDS, opDef, type OpKind } from '../../../src/compiler/ops/index.js';
import { ShapeFailure, type Shape } from '../../../src/compiler/ops/op-def.js';
import { buildContext, nodeRecipes } from '../../../src/compiler/ops/recipe.js';
import { applyNode, layerFactory } from '../../../src/runtime/model/layers.js';
import { tinySpec } from '../../runtime/model/ir-fixtures.js';

/** Attributes as written in a spec (shorthands and defaults allowed) and the per-sample input shapes. */
type Case = readonly [attrs: unknown, inputs: readonly Shape[]];

const X = [8, 8, 3];
const ROWS: Record<OpKind, readonly Case[]> = {
  conv2d: [
    [{ filters: 4, kernel_size: 3 }, [X]],
    [{ filters: 5, kernel_size: [3, 1], strides: 2, padding: 1, activation: 'leaky_relu', use_bias: false }, [[9, 7, 2]]],
    [{ filters: 3, kernel_size: 3, dilation_rate: 2, padding: 'same', activation: 'relu' }, [X]],
    // grouped (dlcGroupedConv2d): split → conv → concat, and one channel per group (a depthwise convolution)
    [{ filters: 6, kernel_size: 3, groups: 2, padding: 1, activation: 'hard_swish' }, [[6, 5, 4]]],
    [{ filters: 6, kernel_size: [3, 2], strides: 2, groups: 3, padding: 'same', use_bias: false, activation: 'relu6' }, [[7, 6, 3]]],
  ],
  depthwise_conv2d: [
    [{ kernel_size: 3, depth_multiplier: 2, padding: 'same' }, [X]],
    [{ kernel_size: 3, strides: 2, padding: 1, use_bias: false, activation: 'elu' }, [X]],
  ],
  separable_conv2d: [
    [{ filters: 6, kernel_size: 3, depth_multiplier: 2 }, [X]],
    [{ filters: 4, kernel_size: [1, 3], padding: 'same', use_bias: false, activation: 'leaky_relu' }, [X]],
  ],
  conv2d_transpose: [
    [{ filters: 4, kernel_size: 3 }, [[5, 4, 3]]],
    [{ filters: 2, kernel_size: [3, 2], strides: 2, padding: 'same', activation: 'leaky_relu', use_bias: false }, [[5, 4, 3]]],
    [{ filters: 3, kernel_size: 2, strides: 3, activation: 'relu' }, [[4, 4, 2]]],
  ],
  max_pool2d: [
    [{ pool_size: 2 }, [X]],
    [{ pool_size: 3, strides: 2, padding: 'same' }, [[9, 9, 2]]],
    [{ pool_size: 3, strides: 2, padding: 1 }, [[9, 8, 2]]],
    [{ pool_size: 3, strides: 2, ceil_mode: true }, [[8, 7, 2]]],
    [{ pool_size: [3, 2], strides: [2, 1], padding: [1, 0], ceil_mode: true }, [[6, 5, 2]]],
  ],
  avg_pool2d: [
    [{ pool_size: [2, 1] }, [X]],
    [{ pool_size: 3, strides: 1, padding: 'same' }, [[5, 5, 2]]],
    [{ pool_size: 3, strides: 1, padding: 1, count_include_pad: false }, [[5, 5, 2]]],
    [{ pool_size: 3, strides: 2, padding: 1, ceil_mode: true }, [[6, 7, 2]]],
  ],
  adaptive_avg_pool2d: [
    [7, [[14, 14, 3]]],
    [{ output_size: [3, 2] }, [[7, 5, 2]]],
    [1, [[5, 4, 3]]],
  ],
  adaptive_max_pool2d: [[[2, 3], [[5, 7, 2]]]],
  global_avg_pool2d: [
    [{}, [[5, 4, 3]]],
    [{ keepdims: true }, [[5, 4, 3]]],
  ],
  global_max_pool2d: [
    [{}, [[5, 4, 3]]],
    [{ keepdims: true }, [[5, 4, 3]]],
  ],
  zero_padding2d: [
    [{}, [[5, 4, 3]]],
    [{ padding: [2, 1] }, [[5, 4, 3]]],
    [3, [[2, 2, 1]]],
    [{ padding: [[1, 0], [0, 3]] }, [[5, 4, 3]]],
  ],
  upsampling2d: [
    [{}, [[3, 4, 2]]],
    [[3, 1], [[3, 4, 2]]],
    [{ size: 2, interpolation: 'bilinear' }, [[3, 4, 2]]],
  ],
  embedding: [
    [{ input_dim: 50, output_dim: 8 }, [[7]]],
    [{ input_dim: 20, output_dim: 3, mask_zero: true }, [[5]]],
  ],
  conv1d: [
    [{ filters: 4, kernel_size: 3 }, [[10, 6]]],
    [{ filters: 5, kernel_size: 2, strides: 2, padding: 'same', activation: 'leaky_relu', use_bias: false }, [[9, 3]]],
    [{ filters: 3, kernel_size: 3, dilation_rate: 2, activation: 'relu' }, [[12, 2]]],
  ],
  max_pool1d: [
    [2, [[9, 4]]],
    [{ pool_size: 3, strides: 2, padding: 'same' }, [[9, 4]]],
    [{ pool_size: 3, strides: 2, padding: 1, ceil_mode: true }, [[8, 3]]],
  ],
  avg_pool1d: [
    [{ pool_size: 2 }, [[8, 3]]],
    [{ pool_size: 3, strides: 1, padding: 'same' }, [[5, 2]]],
    [{ pool_size: 3, strides: 2, padding: 1, count_include_pad: false }, [[7, 3]]],
  ],
  global_avg_pool1d: [
    [{}, [[7, 5]]],
    [{ keepdims: true }, [[7, 5]]],
  ],
  global_max_pool1d: [
    [{}, [[7, 5]]],
    [{ keepdims: true }, [[7, 5]]],
  ],
  lstm: [
    [{ units: 6 }, [[5, 3]]],
    [{ units: 4, return_sequences: true }, [[7, 2]]],
  ],
  gru: [
    [{ units: 6 }, [[5, 3]]],
    [{ units: 4, return_sequences: true }, [[7, 2]]],
  ],
  bidirectional: [
    [{ layer: 'lstm', units: 5 }, [[6, 3]]],
    [{ layer: 'gru', units: 4, return_sequences: true, merge_mode: 'sum' }, [[7, 2]]],
    [{ layer: 'lstm', units: 3, merge_mode: 'ave' }, [[4, 2]]],
  ],
  positional_embedding: [[{}, [[6, 4]]]],
  multi_head_attention: [
    [{ num_heads: 2 }, [[5, 8]]],
    [{ num_heads: 3, key_dim: 4 }, [[4, 6]]],
  ],
  transformer_encoder: [
    [{ num_heads: 2, ff_dim: 16 }, [[5, 8]]],
    [{ num_heads: 1, key_dim: 3, ff_dim: 5, epsilon: 1e-3 }, [[4, 6]]],
  ],
  dense: [
    [{ units: 7 }, [[12]]],
    [{ units: 3, activation: 'leaky_relu', use_bias: false }, [[5]]],
    [{ units: 2, activation: 'softmax' }, [[5]]],
  ],
  flatten: [[{}, [[4, 3, 2]]]],
  reshape: [
    [{ target_shape: [6, 4] }, [[4, 3, 2]]],
    [{ target_shape: [2, 2, 6] }, [[24]]],
  ],
  dropout: [[{ rate: 0.3 }, [[10]]]],
  batch_norm: [
    [{}, [[4, 4, 3]]],
    [{ momentum: 0.9, epsilon: 1e-5 }, [[6]]],
  ],
  layer_norm: [[{ epsilon: 1e-5 }, [[4, 4, 3]]]],
  group_norm: [[{ groups: 2 }, [[4, 4, 6]]], [{ groups: 3, epsilon: 1e-3 }, [[5, 6]]], [4, [[8]]]],
  relu: [[{}, [X]]],
  leaky_relu: [[{ alpha: 0.2 }, [[6]]]],
  elu: [[{}, [X]]],
  gelu: [[{}, [[6]]]],
  relu6: [[{}, [X]]],
  silu: [[{}, [[6]]]],
  swish: [[{}, [[6]]]],
  mish: [[{}, [X]]],
  hard_sigmoid: [[{}, [X]]],
  hard_swish: [[{}, [X]]],
  sigmoid: [[{}, [X]]],
  tanh: [[{}, [X]]],
  softmax: [[{}, [[6]]]],
  add: [[{}, [[4, 4, 3], [4, 4, 3], [4, 4, 3]]]],
  concat: [
    [{}, [[4, 4, 2], [4, 4, 3]]],
    [{ axis: 0 }, [[2, 3], [4, 3]]],
  ],
  multiply: [
    [{}, [[4, 4, 3], [4, 4, 3]]],
    // squeeze-excitation: features × a [C] gate, or × a [1, 1, C] one
    [{}, [[4, 5, 3], [3]]],
    [{}, [[4, 5, 3], [1, 1, 3], [4, 5, 1]]],
  ],
};

const SEED = 11;

/** The op's normalised attributes for `raw`, as lowering puts them on the node. */
function attrsOf(kind: OpKind, raw: unknown): Record<string, unknown> {
  return lowerAttrs(normalizeLayer({ [kind]: raw }, '/model/layers/0'));
}

/** A one-op IR whose node reads the input node once per input (the printer does not look at shapes). */
function oneOpIR(kind: OpKind, attrs: Record<string, unknown>, inputs: readonly Shape[], shape: Shape): IR {
  const source = { file: 'ops.yaml', path: '/model/layers/0', line: 1, col: 1 };
  const base = { params: { trainable: 0, nonTrainable: 0 }, macs: 0, named: true, source };
  const bare: Omit<IRNode, 'layers'>[] = [
    { ...base, id: 'input', op: 'input', attrs: { shape: inputs[0] }, inputs: [], shape: inputs[0] },
    { ...base, id: `the.${kind}`, op: kind, attrs, inputs: inputs.map(() => 'input'), shape },
  ];
  const recipes = nodeRecipes(bare, SEED);
  const nodes = bare.map((n, i) => ({ ...n, layers: recipes[i] }));
  return { file: 'ops.yaml', spec: { ...tinySpec(), seed: SEED }, nodes, outputId: nodes[1].id, inputShape: inputs[0] as [number, number, number], numClasses: 2 };
}

/** The configs the emitted code passes: each printed step's argument object, evaluated. */
function printedConfigs(ir: IR): { factory: string; config: Record<string, unknown> }[] {
  return buildModelView(ir).steps.map((s) => {
    const code = `return { ${s.args.map((a) => `${a.key}: ${a.valueCode}`).join(', ')} };`;
    return { factory: s.factory, config: new Function('tf', code)(tf) as Record<string, unknown> };
  });
}

const size = (ws: readonly tf.LayerVariable[]): number => ws.reduce((s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);

describe('op conformance', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('knows only declared kinds (the registry type is closed; npm test type-checks this)', () => {
    // @ts-expect-error 'no_such_kind' has no LayerAttrMap declaration, so it is not an OpKind
    const missing: OpKind = 'no_such_kind';
    expect(opDef(missing)).toBeUndefined();
    expect(opDef('toString')).toBeUndefined();
  });

  it('has a row for every registered op, and no other', () => {
    expect(Object.keys(ROWS).sort()).toEqual([...OP_KINDS].sort());
    for (const kind of OP_KINDS) expect(ROWS[kind].length, kind).toBeGreaterThan(0);
  });

  const cases = OP_KINDS.flatMap((kind) => (ROWS[kind] ?? []).map((c, i) => [`${kind} #${i + 1}`, kind, c] as const));

  it.each(cases)('%s: inference equals the built tfjs layers; the printed code equals the recipe', (_name, kind, [raw, inputs]) => {
    const def = OPS[kind];
    const attrs = attrsOf(kind, raw);
    const inferred = def.infer(attrs as never, inputs);

    // The runtime's build: the recipe interpreted on symbolic inputs.
    const calls: LayerCall[] = def.build(attrs as never, buildContext(`the.${kind}`, `the_${kind}`, SEED, inferred.shape));
    const ins = inputs.map((s) => tf.input({ shape: [...s] }));
    const node = { id: `the.${kind}`, layers: calls } as unknown as IRNode;
    const y = applyNode(node, ins, (s) => s.seed);
    const model = tf.model({ inputs: ins, outputs: y });
    expect(y.shape, 'output shape').toEqual([null, ...inferred.shape]);
    expect(size(model.trainableWeights), 'trainable params').toBe(inferred.params.trainable);
    expect(size(model.nonTrainableWeights), 'non-trainable params').toBe(inferred.params.nonTrainable);
    expect(model.countParams()).toBe(inferred.params.trainable + inferred.params.nonTrainable);

    // The emitter's build: the same layers, config for config.
    const built = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
    const printed = printedConfigs(oneOpIR(kind, attrs, inputs, inferred.shape));
    // dlc's own layers (custom-layers.ts) by the name the emitted model.ts imports them under, the rest from tf.layers.
    const fromPrinted = printed.map(({ factory, config }) => layerFactory(factory)(config));
    // Applied like the emitted model applies them (some configs settle when a layer is built).
    fromPrinted.reduce<tf.SymbolicTensor | tf.SymbolicTensor[]>((x, l) => l.apply(x) as tf.SymbolicTensor, ins.length === 1 ? tf.input({ shape: [...inputs[0]] }) : inputs.map((s) => tf.input({ shape: [...s] })));
    expect(fromPrinted.map((l) => l.getClassName())).toEqual(built.map((l) => l.getClassName()));
    expect(fromPrinted.map((l) => l.getConfig())).toEqual(built.map((l) => l.getConfig()));
    model.dispose();
  });

  it('reports an impossible input as a ShapeFailure with its code and attribute', () => {
    const failure = (kind: OpKind, raw: unknown, inputs: readonly Shape[]) => {
      try {
        OPS[kind].infer(attrsOf(kind, raw) as never, inputs);
      } catch (e) {
        if (e instanceof ShapeFailure) return { code: e.error.code, key: e.error.key };
        throw e;
      }
      return undefined;
    };
    expect(failure('conv2d', { filters: 2, kernel_size: 5 }, [[3, 3, 1]])).toEqual({ code: 'DLC106', key: undefined });
    expect(failure('reshape', { target_shape: [5, -1] }, [[4, 3]])).toEqual({ code: 'DLC114', key: 'target_shape' });
    expect(failure('add', {}, [[2], [3]])).toEqual({ code: 'DLC107', key: 'inputs' });
    expect(failure('dense', { units: 2 }, [[2, 2, 1]])).toEqual({ code: 'DLC113', key: undefined });
    expect(failure('conv1d', { filters: 2, kernel_size: 5 }, [[4, 3]])).toEqual({ code: 'DLC106', key: undefined });
    expect(failure('max_pool1d', 3, [[2, 3]])).toEqual({ code: 'DLC106', key: undefined });
    expect(failure('lstm', { units: 2 }, [[8]])).toEqual({ code: 'DLC113', key: undefined });
    expect(failure('global_avg_pool1d', {}, [[4, 4, 3]])).toEqual({ code: 'DLC113', key: undefined });
    expect(failure('upsampling2d', {}, [[4, 3]])).toEqual({ code: 'DLC113', key: undefined });
    expect(failure('multiply', {}, [[4, 4, 3], [4]])).toEqual({ code: 'DLC124', key: 'inputs' });
    expect(failure('multiply', {}, [[4, 4, 3], [2, 1, 3]])).toEqual({ code: 'DLC124', key: 'inputs' });
    expect(failure('conv2d', { filters: 6, kernel_size: 1, groups: 4 }, [[4, 4, 8]])).toEqual({ code: 'DLC125', key: 'groups' });
    expect(failure('conv2d', { filters: 6, kernel_size: 1, groups: 4 }, [[4, 4, 6]])).toEqual({ code: 'DLC125', key: 'groups' });
    // PyTorch's pooling rules: padding at most half the window; ceil_mode / count_include_pad: true not with `same`.
    expect(failure('max_pool2d', { pool_size: 3, padding: 2 }, [[8, 8, 1]])).toEqual({ code: 'DLC012', key: 'padding' });
    expect(failure('avg_pool1d', { pool_size: 2, padding: 2 }, [[8, 1]])).toEqual({ code: 'DLC012', key: 'padding' });
    expect(failure('max_pool2d', { pool_size: 2, padding: 'same', ceil_mode: true }, [[8, 8, 1]])).toEqual({ code: 'DLC013', key: 'ceil_mode' });
    expect(failure('avg_pool2d', { pool_size: 2, padding: 'same', count_include_pad: true }, [[8, 8, 1]])).toEqual({ code: 'DLC013', key: 'count_include_pad' });
    expect(failure('max_pool2d', { pool_size: 5, padding: 1 }, [[2, 2, 1]])).toEqual({ code: 'DLC106', key: undefined });
    expect(failure('adaptive_avg_pool2d', 2, [[8]])).toEqual({ code: 'DLC113', key: undefined });
  });
});
