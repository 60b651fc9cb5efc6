/**
 * hard_sigmoid: PyTorch's `nn.Hardsigmoid`, relu6(x + 3)/6 = clip(x/6 + 1/2, 0, 1)
 * (issue 14). tfjs's `hardSigmoid` activation is Keras's clip(0.2·x + 0.5, 0, 1),
 * so the layer is a rescaling by 5/6 followed by it (`hardSigmoidCalls`).
 */
import { hardSigmoidCalls } from './activations.js';
import { facts, type OpDef } from './op-def.js';
import type { NoAttrs } from './simple.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    hard_sigmoid: NoAttrs;
  }
}

export const hard_sigmoid: OpDef<'hard_sigmoid'> = {
  kind: 'hard_sigmoid',
  description: 'Hard sigmoid as PyTorch: relu6(x + 3)/6 (`nn.Hardsigmoid`).',
  attrs: {},
  keepsWidth: true,
  activationLayer: true,
  infer: (_a, [x]) => facts(x),
  build: (_a, ctx) => hardSigmoidCalls(ctx.name, true),
};
