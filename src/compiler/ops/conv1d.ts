/**
 * conv1d: 1-D convolution over the steps of a sequence [steps, channels]
 * (Keras `Conv1D`, PyTorch `nn.Conv1d`; tfjs `conv1d`). Parameters:
 * kernel_size × channels × filters + filters (the same in both conventions).
 */
import { enumOf, integer } from '../front/schema/helpers.js';
import type { RecipeArg } from '../ir.js';
import { activationAttr, withActivation, type ActivationName } from './activations.js';
import { CONV_DEFAULTS, filtersSchema, useBiasSchema } from './conv-common.js';
import { call, facts, type OpDef } from './op-def.js';
import { needSeq, window1d } from './seq-common.js';

export interface Conv1dAttrs {
  readonly filters: number;
  readonly kernel_size: number;
  readonly strides: number;
  readonly padding: 'same' | 'valid';
  readonly dilation_rate: number;
  readonly activation: ActivationName;
  readonly use_bias: boolean;
}

declare module '../spec.js' {
  interface LayerAttrMap {
    conv1d: Conv1dAttrs;
  }
}

export const conv1d: OpDef<'conv1d'> = {
  kind: 'conv1d',
  description: '1-D convolution over the steps of a sequence: [steps, channels] → [steps′, filters] (Keras `Conv1D`, PyTorch `nn.Conv1d`).',
  attrs: {
    filters: filtersSchema(),
    kernel_size: integer('Window length in steps.', { minimum: 1, examples: [3, 5] }),
    strides: integer('Stride in steps.', { minimum: 1, default: 1 }),
    padding: enumOf(['same', 'valid'], '`same`: ceil(steps / stride) outputs; `valid`: no padding.', { default: CONV_DEFAULTS.padding }),
    dilation_rate: integer('Dilation of the window.', { minimum: 1, default: 1 }),
    activation: activationAttr(),
    use_bias: useBiasSchema(),
  },
  required: ['filters', 'kernel_size'],
  defaults: { strides: 1, padding: CONV_DEFAULTS.padding, dilation_rate: 1, activation: CONV_DEFAULTS.activation, use_bias: CONV_DEFAULTS.use_bias },
  infer(a, [x]) {
    needSeq('conv1d', x);
    const steps = window1d('conv1d', x[0], a.kernel_size, a.strides, a.dilation_rate, a.padding);
    const perStep = a.kernel_size * x[1] * a.filters;
    return facts([steps, a.filters], perStep + (a.use_bias ? a.filters : 0), 0, steps * perStep);
  },
  build(a, ctx) {
    const act = withActivation(a.activation, ctx.name);
    const args: Record<string, RecipeArg> = { name: ctx.name, filters: a.filters, kernelSize: a.kernel_size };
    if (a.strides !== 1) args.strides = a.strides;
    if (a.padding !== 'valid') args.padding = a.padding;
    if (a.dilation_rate !== 1) args.dilationRate = a.dilation_rate;
    Object.assign(args, act.args);
    if (!a.use_bias) args.useBias = false;
    args.kernelInitializer = ctx.glorot('kernel');
    return [call('conv1d', args), ...act.after];
  },
};
