/**
 * conv2d_transpose: transposed 2-D convolution, the learned upsampling of
 * decoders and segmentation heads (Keras `Conv2DTranspose`, PyTorch
 * `nn.ConvTranspose2d`; tfjs `conv2dTranspose`).
 */
import { enumOf } from '../front/schema/helpers.js';
import type { Padding } from '../spec.js';
import { activationAttr, type ActivationName } from './activations.js';
import { CONV_DEFAULTS, convCalls, filtersSchema, kernelSchema, stridesSchema, useBiasSchema } from './conv-common.js';
import { facts, type OpDef } from './op-def.js';
import { needRank } from './shape.js';

export interface Conv2dTransposeAttrs {
  readonly filters: number;
  readonly kernel_size: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly padding: Padding;
  readonly activation: ActivationName;
  readonly use_bias: boolean;
}

declare module '../spec.js' {
  interface LayerAttrMap {
    conv2d_transpose: Conv2dTransposeAttrs;
  }
}

/** Output length along one axis (Keras/tfjs deconv_output_length). */
function upsampled(size: number, kernel: number, stride: number, padding: Padding): number {
  return padding === 'same' ? size * stride : size * stride + Math.max(kernel - stride, 0);
}

export const conv2d_transpose: OpDef<'conv2d_transpose'> = {
  kind: 'conv2d_transpose',
  description: 'Transposed 2-D convolution (learned upsampling; like Keras `Conv2DTranspose`, PyTorch `nn.ConvTranspose2d`).',
  attrs: {
    filters: filtersSchema(),
    kernel_size: kernelSchema(),
    strides: stridesSchema(),
    padding: enumOf(['same', 'valid'], 'Padding: `same` gives input × stride; `valid` gives input × stride + max(kernel − stride, 0).', {
      default: CONV_DEFAULTS.padding,
      examples: ['same', 'valid'],
    }),
    activation: activationAttr(),
    use_bias: useBiasSchema(),
  },
  required: ['filters', 'kernel_size'],
  defaults: { strides: CONV_DEFAULTS.strides, padding: CONV_DEFAULTS.padding, activation: CONV_DEFAULTS.activation, use_bias: CONV_DEFAULTS.use_bias },
  pairs: ['kernel_size', 'strides'],
  infer(a, [x]) {
    needRank('conv2d_transpose', x, 3);
    const [kh, kw] = a.kernel_size;
    const ho = upsampled(x[0], kh, a.strides[0], a.padding);
    const wo = upsampled(x[1], kw, a.strides[1], a.padding);
    const cin = x[2];
    // Every input pixel scatters one kh×kw×filters kernel slice per input channel.
    return facts([ho, wo, a.filters], kh * kw * cin * a.filters + (a.use_bias ? a.filters : 0), 0, x[0] * x[1] * kh * kw * cin * a.filters);
  },
  build(a, ctx) {
    return convCalls('conv2dTranspose', { ...a, dilation_rate: [1, 1] }, ctx.name, { filters: a.filters }, {}, { kernelInitializer: ctx.glorot('kernel') });
  },
};
