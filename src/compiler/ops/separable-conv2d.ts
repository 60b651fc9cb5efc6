/** separable_conv2d: a depthwise step, then a 1×1 pointwise convolution (Keras `SeparableConv2D`). */
import { CONV_DEFAULTS, CONV_PAIRS, convAttrs, convCalls, convWindow, type ConvWindowAttrs } from './conv-common.js';
import type { RecipeArg } from '../ir.js';
import { facts, type OpDef } from './op-def.js';
import { needRank, spatial } from './shape.js';

export interface SeparableConv2dAttrs extends ConvWindowAttrs {
  readonly filters: number;
  readonly depth_multiplier: number;
}

declare module '../spec.js' {
  interface LayerAttrMap {
    separable_conv2d: SeparableConv2dAttrs;
  }
}

export const separable_conv2d: OpDef<'separable_conv2d'> = {
  kind: 'separable_conv2d',
  description: 'Depthwise-separable 2-D convolution: a depthwise step, then a 1×1 pointwise convolution to `filters` channels.',
  attrs: convAttrs({ filters: true, depthMultiplier: true }),
  required: ['filters', 'kernel_size'],
  defaults: { ...CONV_DEFAULTS, depth_multiplier: 1 },
  pairs: CONV_PAIRS,
  /** Keras counting: depthwise kernel + pointwise kernel + one bias per filter. */
  infer(a, [x]) {
    needRank('separable_conv2d', x, 3);
    const [ho, wo] = spatial('separable_conv2d', x, convWindow(a));
    const mid = x[2] * a.depth_multiplier;
    const k = a.kernel_size[0] * a.kernel_size[1];
    const params = k * mid + mid * a.filters + (a.use_bias ? a.filters : 0);
    return facts([ho, wo, a.filters], params, 0, ho * wo * (k * mid + mid * a.filters));
  },
  build(a, ctx) {
    const extra: Record<string, RecipeArg> = a.depth_multiplier !== 1 ? { depthMultiplier: a.depth_multiplier } : {};
    return convCalls('separableConv2d', a, ctx.name, { filters: a.filters }, extra, {
      depthwiseInitializer: ctx.glorot('depthwise'),
      pointwiseInitializer: ctx.glorot('pointwise'),
    });
  },
};
