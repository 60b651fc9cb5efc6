/** conv2d: 2-D convolution (Keras `Conv2D`, PyTorch `nn.Conv2d`). */
import { CONV_DEFAULTS, CONV_PAIRS, convAttrs, convCalls, convWindow, type ConvWindowAttrs } from './conv-common.js';
import { facts, type OpDef } from './op-def.js';
import { needRank, spatial } from './shape.js';

export interface Conv2dAttrs extends ConvWindowAttrs {
  readonly filters: number;
}

declare module '../spec.js' {
  interface LayerAttrMap {
    conv2d: Conv2dAttrs;
  }
}

export const conv2d: OpDef<'conv2d'> = {
  kind: 'conv2d',
  description: '2-D convolution (like Keras `Conv2D`, PyTorch `nn.Conv2d`).',
  attrs: convAttrs({ filters: true, depthMultiplier: false }),
  required: ['filters', 'kernel_size'],
  defaults: CONV_DEFAULTS,
  pairs: CONV_PAIRS,
  infer(a, [x]) {
    needRank('conv2d', x, 3);
    const [ho, wo] = spatial('conv2d', x, convWindow(a));
    const cin = x[2];
    const k = a.kernel_size[0] * a.kernel_size[1];
    return facts([ho, wo, a.filters], k * cin * a.filters + (a.use_bias ? a.filters : 0), 0, ho * wo * k * cin * a.filters);
  },
  build(a, ctx) {
    return convCalls('conv2d', a, ctx.name, { filters: a.filters }, {}, { kernelInitializer: ctx.glorot('kernel') });
  },
};
