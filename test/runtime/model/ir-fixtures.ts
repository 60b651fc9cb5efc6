/**
 * Hand-built IRs for runtime tests (independent of the compiler front end):
 * a tiny spec over the synthetic data set and the IR nodes lowered from it.
 * Each node's recipe comes from the op registry, as lowering makes it.
 */
import type { IR, IRNode, Op } from '../../../src/compiler/ir.js';
import type { Spec } from '../../../src/compiler/spec.js';
import { nodeRecipes } from '../../../src/compiler/ops/recipe.js';

type NodeIn = { id: string; op: Op; attrs?: Record<string, unknown>; inputs?: string[]; shape: number[]; trainable?: number; nonTrainable?: number };

function node(n: NodeIn, prev: string | undefined): Omit<IRNode, 'layers'> {
  return {
    id: n.id, op: n.op, attrs: n.attrs ?? {}, inputs: n.inputs ?? (prev ? [prev] : []), shape: n.shape,
    params: { trainable: n.trainable ?? 0, nonTrainable: n.nonTrainable ?? 0 }, macs: 0, named: false,
    source: { file: 'tiny.yaml', path: '/model/layers', line: 1, col: 1 },
  };
}

/** The nodes of `list` (each reading the one before unless it lists inputs), with their recipes. */
function withRecipes(list: readonly NodeIn[], seed: number): IRNode[] {
  const bare: Omit<IRNode, 'layers'>[] = [];
  for (const n of list) bare.push(node(n, bare[bare.length - 1]?.id));
  const recipes = nodeRecipes(bare, seed);
  return bare.map((n, i) => ({ ...n, layers: recipes[i] }));
}

/** A normalised spec for `classes` classes of h×w×c synthetic images. */
export function tinySpec(over: Partial<Spec> = {}): Spec {
  return {
    name: 'tiny', seed: 7, conventions: 'keras',
    data: {
      dataset: 'synthetic', synthetic: { train_samples: 96, test_samples: 32, shape: [8, 8, 1], classes: 3 },
      validation_split: 0.25, batch_size: 16,
      // Augmentation on: resume and repeatability must hold with random transforms too.
      transforms: {
        train: [
          { kind: 'random_flip', mode: 'horizontal', path: '/data/transforms/train/0' },
          { kind: 'random_crop', size: 8, padding: 1, path: '/data/transforms/train/1' },
          { kind: 'normalize', mean: [0.5], std: [0.25], path: '/data/transforms/train/2' },
        ],
        eval: [{ kind: 'normalize', mean: [0.5], std: [0.25], path: '/data/transforms/eval/0' }],
      },
    },
    model: { layers: [] },
    loss: { kind: 'cross_entropy', label_smoothing: 0 },
    optimizer: { kind: 'sgd', learning_rate: 0.05, momentum: 0.9, nesterov: false, weight_decay: 0 },
    schedule: { kind: 'constant', warmup_epochs: 0 },
    train: { epochs: 2, checkpoint: { every_epochs: 1, keep_best: true, monitor: 'val_accuracy' } },
    metrics: [{ kind: 'accuracy' }, { kind: 'precision' }, { kind: 'recall' }, { kind: 'f1' }, { kind: 'confusion_matrix' }],
    ...over,
  };
}

/** conv(4, same, relu) → batch_norm → max_pool 2 → dropout .5 → flatten → dense 3, on 8×8×1. */
export function tinyConvIR(spec: Spec = tinySpec()): IR {
  const list: NodeIn[] = [
    { id: 'input', op: 'input', shape: [8, 8, 1] },
    { id: 'conv2d_1', op: 'conv2d', attrs: { filters: 4, kernel_size: [3, 3], strides: [1, 1], padding: 'same', dilation_rate: [1, 1], activation: 'relu', use_bias: true }, shape: [8, 8, 4], trainable: 40 },
    { id: 'bn', op: 'batch_norm', attrs: { momentum: 0.9, epsilon: 1e-3 }, shape: [8, 8, 4], trainable: 8, nonTrainable: 8 },
    { id: 'max_pool2d_1', op: 'max_pool2d', attrs: { pool_size: [2, 2], strides: [2, 2], padding: 'valid' }, shape: [4, 4, 4] },
    { id: 'dropout_1', op: 'dropout', attrs: { rate: 0.5 }, shape: [4, 4, 4] },
    { id: 'flatten_1', op: 'flatten', shape: [64] },
    { id: 'dense_1', op: 'dense', attrs: { units: 3, activation: 'linear', use_bias: true }, shape: [3], trainable: 195 },
  ];
  const nodes = withRecipes(list, spec.seed);
  return { file: 'tiny.yaml', spec, nodes, outputId: 'dense_1', inputShape: [8, 8, 1], numClasses: 3 };
}

/** Every op the builder knows, in one DAG on 8×8×2 (shapes and params as Keras counts them). */
export function allOpsIR(spec: Spec = tinySpec()): IR {
  const conv = { strides: [1, 1], dilation_rate: [1, 1], activation: 'linear', use_bias: true };
  const list: NodeIn[] = [
    { id: 'input', op: 'input', shape: [8, 8, 2] },
    { id: 'stem.conv', op: 'conv2d', attrs: { ...conv, filters: 4, kernel_size: [3, 3], padding: 1, activation: 'leaky_relu' }, shape: [8, 8, 4], trainable: 76 },
    { id: 'dw', op: 'depthwise_conv2d', attrs: { ...conv, kernel_size: [3, 3], padding: 'same', depth_multiplier: 1 }, shape: [8, 8, 4], trainable: 40 },
    { id: 'sep', op: 'separable_conv2d', attrs: { ...conv, filters: 4, kernel_size: [3, 3], padding: 'same', depth_multiplier: 1 }, shape: [8, 8, 4], trainable: 56 },
    { id: 'add', op: 'add', inputs: ['dw', 'sep'], shape: [8, 8, 4] },
    { id: 'cat', op: 'concat', attrs: { axis: -1 }, inputs: ['add', 'stem.conv'], shape: [8, 8, 8] },
    { id: 'ln', op: 'layer_norm', attrs: { epsilon: 1e-5 }, shape: [8, 8, 8], trainable: 16 },
    { id: 'gelu', op: 'gelu', shape: [8, 8, 8] },
    { id: 'avg', op: 'avg_pool2d', attrs: { pool_size: [2, 2], strides: [2, 2], padding: 'valid' }, shape: [4, 4, 8] },
    { id: 'lrelu', op: 'leaky_relu', attrs: { alpha: 0.1 }, shape: [4, 4, 8] },
    { id: 'gmax', op: 'global_max_pool2d', inputs: ['lrelu'], shape: [8] },
    { id: 'gavg', op: 'global_avg_pool2d', inputs: ['lrelu'], shape: [8] },
    { id: 'cat2', op: 'concat', attrs: { axis: 0 }, inputs: ['gmax', 'gavg'], shape: [16] },
    { id: 'reshape', op: 'reshape', attrs: { target_shape: [4, 4] }, shape: [4, 4] },
    { id: 'flat', op: 'flatten', shape: [16] },
    { id: 'tanh', op: 'tanh', shape: [16] },
    { id: 'dense', op: 'dense', attrs: { units: 3, activation: 'linear', use_bias: true }, shape: [3], trainable: 51 },
  ];
  const nodes = withRecipes(list, spec.seed);
  return { file: 'all.yaml', spec, nodes, outputId: 'dense', inputShape: [8, 8, 2], numClasses: 3 };
}
