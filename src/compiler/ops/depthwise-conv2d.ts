/** depthwise_conv2d: one filter (or depth_multiplier filters) per input channel. */
import { CONV_DEFAULTS, CONV_PAIRS, convAttrs, convCalls, convWindow, type ConvWindowAttrs } from './conv-common.js';
import type { RecipeArg } from '../ir.js';
import { facts, type OpDef } from './op-def.js';
import { needRank, spatial } from './shape.js';

export interface DepthwiseConv2dAttrs extends ConvWindowAttrs {
  readonly depth_multiplier: number;
}

declare module '../spec.js' {
  interface LayerAttrMap {
    depthwise_conv2d: DepthwiseConv2dAttrs;
  }
}

export const depthwise_conv2d: OpDef<'depthwise_conv2d'> = {
  kind: 'depthwise_conv2d',
  description: 'Depthwise 2-D convolution: one filter (or `depth_multiplier` filters) per input channel.',
  attrs: convAttrs({ filters: false, depthMultiplier: true }),
  required: ['kernel_size'],
  defaults: { ...CONV_DEFAULTS, depth_multiplier: 1 },
  pairs: CONV_PAIRS,
  infer(a, [x]) {
    needRank('depthwise_conv2d', x, 3);
    const [ho, wo] = spatial('depthwise_conv2d', x, convWindow(a));
    const cout = x[2] * a.depth_multiplier;
    const k = a.kernel_size[0] * a.kernel_size[1];
    return facts([ho, wo, cout], k * cout + (a.use_bias ? cout : 0), 0, ho * wo * k * cout);
  },
  build(a, ctx) {
    const extra: Record<string, RecipeArg> = a.depth_multiplier !== 1 ? { depthMultiplier: a.depth_multiplier } : {};
    return convCalls('depthwiseConv2d', a, ctx.name, {}, extra, { depthwiseInitializer: ctx.glorot('depthwise') });
  },
};
