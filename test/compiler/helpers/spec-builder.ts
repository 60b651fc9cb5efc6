/**
 * Builds normalised Spec objects directly (no YAML), for table-driven tests
 * of lowering and the passes. Layers are written compactly — `L.conv(16, 3)`,
 * `L.dense(10)` — with every default filled, and get their `path` from their
 * position in the list. `fakeLocate` maps any path to a deterministic
 * position so tests can check that a diagnostic's line/col came from its path.
 */
import type { LowerContext } from '../../../src/compiler/lower/lower.js';
import type { ActivationName } from '../../../src/compiler/ops/activations.js';
import type { DataSpec, LayerSpec, Spec } from '../../../src/compiler/spec.js';

type Common = { name?: string; inputs?: string[]; in_channels?: number; in_features?: number; expect_shape?: number[] };
/** A layer before it gets its path. */
export type Draft = Omit<LayerSpec, 'path'> & Common;

const pair = (v: number | [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : v);

type ConvOpts = Partial<{ strides: number | [number, number]; padding: 'same' | 'valid' | number; dilation_rate: number | [number, number]; activation: ActivationName; use_bias: boolean; depth_multiplier: number }> & Common;

function convCommon(kernel: number | [number, number], o: ConvOpts) {
  const { strides = 1, padding = 'valid', dilation_rate = 1, activation = 'linear', use_bias = true, ...rest } = o;
  return { kernel_size: pair(kernel), strides: pair(strides), padding, dilation_rate: pair(dilation_rate), activation, use_bias, ...rest };
}

/** Layer constructors with the schema's defaults. */
export const L = {
  conv: (filters: number, kernel: number | [number, number], o: ConvOpts = {}): Draft => ({ kind: 'conv2d', filters, ...convCommon(kernel, o) }) as Draft,
  depthwise: (kernel: number, o: ConvOpts = {}): Draft => {
    const { depth_multiplier = 1, ...rest } = o;
    return { kind: 'depthwise_conv2d', depth_multiplier, ...convCommon(kernel, rest) } as Draft;
  },
  separable: (filters: number, kernel: number, o: ConvOpts = {}): Draft => {
    const { depth_multiplier = 1, ...rest } = o;
    return { kind: 'separable_conv2d', filters, depth_multiplier, ...convCommon(kernel, rest) } as Draft;
  },
  maxPool: (size: number, o: Partial<{ strides: number; padding: 'same' | 'valid' }> & Common = {}): Draft => {
    const { strides = size, padding = 'valid', ...rest } = o;
    return { kind: 'max_pool2d', pool_size: pair(size), strides: pair(strides), padding, ...rest } as Draft;
  },
  avgPool: (size: number, o: Partial<{ strides: number; padding: 'same' | 'valid' }> & Common = {}): Draft => {
    const { strides = size, padding = 'valid', ...rest } = o;
    return { kind: 'avg_pool2d', pool_size: pair(size), strides: pair(strides), padding, ...rest } as Draft;
  },
  gap: (o: Common = {}): Draft => ({ kind: 'global_avg_pool2d', ...o }) as Draft,
  gmp: (o: Common = {}): Draft => ({ kind: 'global_max_pool2d', ...o }) as Draft,
  dense: (units: number, o: Partial<{ activation: ActivationName; use_bias: boolean }> & Common = {}): Draft => {
    const { activation = 'linear', use_bias = true, ...rest } = o;
    return { kind: 'dense', units, activation, use_bias, ...rest } as Draft;
  },
  flatten: (o: Common = {}): Draft => ({ kind: 'flatten', ...o }) as Draft,
  reshape: (target_shape: number[], o: Common = {}): Draft => ({ kind: 'reshape', target_shape, ...o }) as Draft,
  dropout: (rate: number, o: Common = {}): Draft => ({ kind: 'dropout', rate, ...o }) as Draft,
  bn: (o: Common = {}): Draft => ({ kind: 'batch_norm', momentum: 0.99, epsilon: 1e-3, ...o }) as Draft,
  ln: (o: Common = {}): Draft => ({ kind: 'layer_norm', epsilon: 1e-3, ...o }) as Draft,
  act: (kind: 'relu' | 'elu' | 'gelu' | 'sigmoid' | 'tanh' | 'softmax', o: Common = {}): Draft => ({ kind, ...o }) as Draft,
  add: (inputs: string[], o: Common = {}): Draft => ({ kind: 'add', inputs, ...o }) as Draft,
  concat: (inputs: string[], axis = -1, o: Common = {}): Draft => ({ kind: 'concat', inputs, axis, ...o }) as Draft,
};

/** Gives each draft its path /model/layers/i. */
export function withPaths(drafts: readonly Draft[]): LayerSpec[] {
  return drafts.map((d, i) => ({ ...d, path: `/model/layers/${i}` }) as LayerSpec);
}

export const CIFAR_DATA: DataSpec = { dataset: 'cifar10', validation_split: 0.1, batch_size: 64, transforms: { train: [], eval: [] } };
export const MNIST_DATA: DataSpec = { ...CIFAR_DATA, dataset: 'mnist' };

/** A whole Spec around `layers` (cifar10, cross_entropy, sgd unless overridden). */
export function makeSpec(layers: readonly Draft[], over: Partial<Omit<Spec, 'data'>> & { data?: Partial<DataSpec> } = {}): Spec {
  const { data, ...rest } = over;
  return {
    name: 'test',
    seed: 1,
    conventions: 'keras',
    data: { ...CIFAR_DATA, ...data },
    model: { layers: withPaths(layers) },
    loss: { kind: 'cross_entropy', label_smoothing: 0 },
    optimizer: { kind: 'sgd', learning_rate: 0.01, weight_decay: 0, momentum: 0, nesterov: false },
    schedule: { kind: 'constant', warmup_epochs: 0 },
    train: { epochs: 1, checkpoint: { every_epochs: 1, keep_best: true, monitor: 'val_loss' } },
    metrics: [{ kind: 'accuracy' }],
    ...rest,
  };
}

/** A deterministic fake position for a path: line = its length, col = its depth. */
export function fakeLocate(path: string): { line: number; col: number } {
  return { line: path.length + 1, col: path.split('/').length };
}

/** A lowering context with fake positions and an optional directory lister. */
export function fakeCtx(listDir?: (p: string) => string[] | undefined): LowerContext {
  return { file: 'spec.yaml', locate: fakeLocate, ...(listDir ? { listDir } : {}) };
}
