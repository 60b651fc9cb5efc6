/**
 * hard_swish: PyTorch's `nn.Hardswish`, x·relu6(x + 3)/6 (issue 14; MobileNetV3).
 * tfjs has no such activation: the layer is dlc's own `dlcHardSwish`
 * (runtime/model/custom-layers.ts), also what `activation: hard_swish` appends.
 */
import { hardSwishCall } from './activations.js';
import { facts, type OpDef } from './op-def.js';
import type { NoAttrs } from './simple.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    hard_swish: NoAttrs;
  }
}

export const hard_swish: OpDef<'hard_swish'> = {
  kind: 'hard_swish',
  description: 'Hard swish as PyTorch: x·relu6(x + 3)/6 (`nn.Hardswish`).',
  attrs: {},
  keepsWidth: true,
  activationLayer: true,
  infer: (_a, [x]) => facts(x),
  build: (_a, ctx) => [hardSwishCall(ctx.name)],
};
