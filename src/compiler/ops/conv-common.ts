/**
 * What the 2-D convolutions (conv2d, depthwise, separable, transpose) share:
 * attribute schemas, their window, and the recipe parts around the main
 * layer — explicit zero padding before it for an integer `padding`, the
 * window arguments that differ from tfjs's defaults, and the activation.
 */
import { anyOf, boolean, integer, pair, type Schema } from '../front/schema/helpers.js';
import type { LayerCall, RecipeArg } from '../ir.js';
import type { Padding } from '../spec.js';
import { activationAttr, withActivation, type ActivationName } from './activations.js';
import { call } from './op-def.js';
import type { Window } from './shape.js';

/** Attributes every convolution has. */
export interface ConvWindowAttrs {
  readonly kernel_size: readonly [number, number];
  readonly strides: readonly [number, number];
  /** 'same', 'valid', or an integer p: p zeros on every side, then 'valid' (PyTorch style). */
  readonly padding: Padding | number;
  readonly dilation_rate: readonly [number, number];
  readonly activation: ActivationName;
  readonly use_bias: boolean;
}

/** Defaults of the attributes every convolution has. */
export const CONV_DEFAULTS = { strides: 1, padding: 'valid', dilation_rate: 1, activation: 'linear', use_bias: true } as const;

/** The int-or-[h, w] attributes of a convolution. */
export const CONV_PAIRS = ['kernel_size', 'strides', 'dilation_rate'] as const;

export const filtersSchema = (): Schema => integer('Number of output channels (filters).', { minimum: 1, examples: [32, 64] });
export const kernelSchema = (): Schema => pair('Kernel size: an integer or [height, width].', { examples: [3, 5, [3, 1]] });
export const stridesSchema = (): Schema => pair('Stride: an integer or [height, width].', { default: CONV_DEFAULTS.strides, examples: [1, 2, [2, 1]] });
export const dilationSchema = (): Schema => pair('Dilation rate of the kernel.', { default: CONV_DEFAULTS.dilation_rate });
export const useBiasSchema = (): Schema => boolean('Whether the layer adds a learned bias.', { default: true });
export const depthMultiplierSchema = (): Schema => integer('Output channels per input channel of the depthwise step.', { minimum: 1, default: 1 });
export const paddingSchema = (): Schema =>
  anyOf(
    [
      { type: 'string', enum: ['same', 'valid'], description: '`same`: output size = ceil(input / stride); `valid`: no padding.' },
      { type: 'integer', minimum: 0, description: 'Explicit zero padding on every side (PyTorch style).' },
    ],
    'Padding: `same`, `valid` or an explicit number of pixels.',
    { default: CONV_DEFAULTS.padding, examples: ['same', 'valid', 1] },
  );

/**
 * The attribute schemas of a convolution, in the order users write them:
 * [filters,] kernel_size, strides, padding, [depth_multiplier,]
 * dilation_rate, activation, use_bias.
 */
export function convAttrs(o: { readonly filters: boolean; readonly depthMultiplier: boolean }): Record<string, Schema> {
  return {
    ...(o.filters ? { filters: filtersSchema() } : {}),
    kernel_size: kernelSchema(),
    strides: stridesSchema(),
    padding: paddingSchema(),
    ...(o.depthMultiplier ? { depth_multiplier: depthMultiplierSchema() } : {}),
    dilation_rate: dilationSchema(),
    activation: activationAttr(),
    use_bias: useBiasSchema(),
  };
}

/** The sliding window of a convolution. */
export function convWindow(a: ConvWindowAttrs): Window {
  return { kernel: a.kernel_size, strides: a.strides, dilation: a.dilation_rate, padding: a.padding };
}

const isOne = (p: readonly [number, number]): boolean => p[0] === 1 && p[1] === 1;

/**
 * The calls of a convolution: `[zero padding,] main layer [, activation]`.
 * `own` are the main layer's arguments before the window ones (filters),
 * `extra` those after them (depthMultiplier), `inits` its initializers.
 * Window arguments equal to tfjs's defaults are left out.
 */
export function convCalls(
  layer: string,
  a: ConvWindowAttrs,
  name: string,
  own: Readonly<Record<string, RecipeArg>>,
  extra: Readonly<Record<string, RecipeArg>>,
  inits: Readonly<Record<string, RecipeArg>>,
): LayerCall[] {
  const calls: LayerCall[] = [];
  let padding: Padding = 'valid';
  if (typeof a.padding === 'number') {
    // Integer padding (PyTorch's `padding=1`) is explicit zeros and then a 'valid' layer: exactly what PyTorch computes.
    if (a.padding !== 0) calls.push(call('zeroPadding2d', { name: `${name}_pad`, padding: a.padding }, 'pad'));
  } else {
    padding = a.padding;
  }
  const act = withActivation(a.activation, name);
  const args: Record<string, RecipeArg> = { name, ...own, kernelSize: [...a.kernel_size] };
  if (!isOne(a.strides)) args.strides = [...a.strides];
  if (padding !== 'valid') args.padding = padding;
  if (!isOne(a.dilation_rate)) args.dilationRate = [...a.dilation_rate];
  Object.assign(args, extra, act.args);
  if (!a.use_bias) args.useBias = false;
  Object.assign(args, inits);
  calls.push(call(layer, args), ...act.after);
  return calls;
}
