/**
 * One IR node → the built-in tfjs-layers that compute it. Only built-in
 * layers are used so a saved model.json loads with `tf.loadLayersModel`
 * anywhere (custom classes would need registering in every loader).
 */
import * as tf from '@tensorflow/tfjs';
import type { IRNode } from '../../compiler/ir.js';
import { deriveSeed } from './seeds.js';

type Sym = tf.SymbolicTensor;
type Act = 'linear' | 'relu' | 'elu' | 'gelu' | 'sigmoid' | 'tanh' | 'softmax';

/** Slope of `activation: leaky_relu` on a layer (the `leaky_relu` layer states its own alpha). */
export const LEAKY_RELU_ACTIVATION_ALPHA = 0.01;

/** What applying one node needs besides its inputs. */
export interface NodeContext {
  /** tfjs layer name for the node (sanitised IR id). */
  readonly name: string;
  readonly seed: number;
}

/** A node attribute, typed by the caller (the IR's attrs are settled by lowering). */
export function attr<T>(node: IRNode, key: string): T {
  return node.attrs[key] as T;
}

/** An int-or-[h, w] attribute as [h, w]. */
export function pair(v: unknown): [number, number] {
  if (typeof v === 'number') return [v, v];
  const a = v as readonly number[];
  return [a[0], a[1] ?? a[0]];
}

function glorot(seed: number, id: string, role: string): ReturnType<typeof tf.initializers.glorotUniform> {
  return tf.initializers.glorotUniform({ seed: deriveSeed(seed, id, role) });
}

/** Splits an activation into what the layer can take and a trailing layer (leaky_relu). */
function activationOf(node: IRNode, ctx: NodeContext): { act: Act; after?: (x: Sym) => Sym } {
  const a = (attr<string | undefined>(node, 'activation') ?? 'linear') as string;
  if (a === 'leaky_relu') {
    const layer = tf.layers.leakyReLU({ alpha: LEAKY_RELU_ACTIVATION_ALPHA, name: `${ctx.name}_act` });
    return { act: 'linear', after: (x) => layer.apply(x) as Sym };
  }
  return { act: a as Act };
}

/**
 * Integer padding (PyTorch's `padding=1`) becomes an explicit ZeroPadding2D
 * followed by a 'valid' layer, which is exactly what PyTorch computes.
 */
function padded(node: IRNode, ctx: NodeContext, x: Sym): { x: Sym; padding: 'same' | 'valid' } {
  const p = node.attrs['padding'];
  if (typeof p === 'number') {
    if (p === 0) return { x, padding: 'valid' };
    const pad = tf.layers.zeroPadding2d({ padding: p, name: `${ctx.name}_pad` });
    return { x: pad.apply(x) as Sym, padding: 'valid' };
  }
  return { x, padding: (p as 'same' | 'valid' | undefined) ?? 'valid' };
}

function one(inputs: readonly Sym[]): Sym {
  if (inputs.length !== 1) throw new Error(`expected one input, got ${inputs.length}`);
  return inputs[0];
}

/** Applies the layers of one IR node to its (symbolic) inputs. */
export function applyNode(node: IRNode, inputs: readonly Sym[], ctx: NodeContext): Sym {
  const { name, seed } = ctx;
  const id = node.id;
  switch (node.op) {
    case 'input':
      throw new Error('the input node is created by buildModel');
    case 'conv2d': {
      const { x, padding } = padded(node, ctx, one(inputs));
      const { act, after } = activationOf(node, ctx);
      const y = tf.layers
        .conv2d({
          name, filters: attr<number>(node, 'filters'), kernelSize: pair(attr(node, 'kernel_size')),
          strides: pair(attr(node, 'strides') ?? 1), padding, dilationRate: pair(attr(node, 'dilation_rate') ?? 1),
          activation: act, useBias: attr<boolean>(node, 'use_bias') ?? true,
          kernelInitializer: glorot(seed, id, 'kernel'), biasInitializer: 'zeros',
        })
        .apply(x) as Sym;
      return after ? after(y) : y;
    }
    case 'depthwise_conv2d': {
      const { x, padding } = padded(node, ctx, one(inputs));
      const { act, after } = activationOf(node, ctx);
      const y = tf.layers
        .depthwiseConv2d({
          name, kernelSize: pair(attr(node, 'kernel_size')), depthMultiplier: attr<number>(node, 'depth_multiplier') ?? 1,
          strides: pair(attr(node, 'strides') ?? 1), padding, dilationRate: pair(attr(node, 'dilation_rate') ?? 1),
          activation: act, useBias: attr<boolean>(node, 'use_bias') ?? true,
          depthwiseInitializer: glorot(seed, id, 'depthwise'), biasInitializer: 'zeros',
        })
        .apply(x) as Sym;
      return after ? after(y) : y;
    }
    case 'separable_conv2d': {
      const { x, padding } = padded(node, ctx, one(inputs));
      const { act, after } = activationOf(node, ctx);
      const y = tf.layers
        .separableConv2d({
          name, filters: attr<number>(node, 'filters'), kernelSize: pair(attr(node, 'kernel_size')),
          depthMultiplier: attr<number>(node, 'depth_multiplier') ?? 1, strides: pair(attr(node, 'strides') ?? 1), padding,
          dilationRate: pair(attr(node, 'dilation_rate') ?? 1), activation: act, useBias: attr<boolean>(node, 'use_bias') ?? true,
          depthwiseInitializer: glorot(seed, id, 'depthwise'), pointwiseInitializer: glorot(seed, id, 'pointwise'),
          biasInitializer: 'zeros',
        })
        .apply(x) as Sym;
      return after ? after(y) : y;
    }
    case 'max_pool2d':
    case 'avg_pool2d': {
      const args = {
        name, poolSize: pair(attr(node, 'pool_size')), strides: pair(attr(node, 'strides') ?? attr(node, 'pool_size')),
        padding: (attr<string>(node, 'padding') ?? 'valid') as 'same' | 'valid',
      };
      const layer = node.op === 'max_pool2d' ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args);
      return layer.apply(one(inputs)) as Sym;
    }
    case 'global_avg_pool2d':
      return tf.layers.globalAveragePooling2d({ name }).apply(one(inputs)) as Sym;
    case 'global_max_pool2d':
      return tf.layers.globalMaxPooling2d({ name }).apply(one(inputs)) as Sym;
    case 'dense': {
      const { act, after } = activationOf(node, ctx);
      const y = tf.layers
        .dense({
          name, units: attr<number>(node, 'units'), activation: act, useBias: attr<boolean>(node, 'use_bias') ?? true,
          kernelInitializer: glorot(seed, id, 'kernel'), biasInitializer: 'zeros',
        })
        .apply(one(inputs)) as Sym;
      return after ? after(y) : y;
    }
    case 'flatten':
      return tf.layers.flatten({ name }).apply(one(inputs)) as Sym;
    case 'reshape':
      return tf.layers.reshape({ name, targetShape: [...attr<number[]>(node, 'target_shape')] }).apply(one(inputs)) as Sym;
    case 'dropout':
      // The seed is re-derived before every training step (see dropout.ts); this one is the step-0 value.
      return tf.layers.dropout({ name, rate: attr<number>(node, 'rate'), seed: deriveSeed(seed, name, 'dropout', 0) }).apply(one(inputs)) as Sym;
    case 'batch_norm':
      return tf.layers
        .batchNormalization({ name, axis: -1, momentum: attr<number>(node, 'momentum') ?? 0.99, epsilon: attr<number>(node, 'epsilon') ?? 1e-3 })
        .apply(one(inputs)) as Sym;
    case 'layer_norm':
      return tf.layers.layerNormalization({ name, axis: -1, epsilon: attr<number>(node, 'epsilon') ?? 1e-3 }).apply(one(inputs)) as Sym;
    case 'relu':
    case 'elu':
    case 'gelu':
    case 'sigmoid':
    case 'tanh':
    case 'softmax':
      return tf.layers.activation({ name, activation: node.op }).apply(one(inputs)) as Sym;
    case 'leaky_relu':
      return tf.layers.leakyReLU({ name, alpha: attr<number>(node, 'alpha') ?? LEAKY_RELU_ACTIVATION_ALPHA }).apply(one(inputs)) as Sym;
    case 'add':
      return tf.layers.add({ name }).apply([...inputs]) as Sym;
    case 'concat': {
      // The spec's axis counts per-sample axes (no batch axis); negative counts from the end.
      const a = attr<number>(node, 'axis') ?? -1;
      return tf.layers.concatenate({ name, axis: a < 0 ? a : a + 1 }).apply([...inputs]) as Sym;
    }
    default:
      return assertNever(node.op);
  }
}

function assertNever(op: never): never {
  throw new Error(`model builder: unsupported op '${String(op)}'`);
}
