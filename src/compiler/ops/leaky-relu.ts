/** leaky_relu: x if x > 0, else alpha·x (Keras `LeakyReLU`, PyTorch `negative_slope`). */
import { number } from '../front/schema/helpers.js';
import { leakyReluCall } from './activations.js';
import { facts, type OpDef } from './op-def.js';

export interface LeakyReluAttrs {
  readonly alpha: number;
}

declare module '../spec.js' {
  interface LayerAttrMap {
    leaky_relu: LeakyReluAttrs;
  }
}

export const leaky_relu: OpDef<'leaky_relu'> = {
  kind: 'leaky_relu',
  description: 'Leaky ReLU: x if x > 0, else alpha·x.',
  attrs: { alpha: number('Slope for negative inputs (0.01 as `activation: leaky_relu`; 0.3 under `conventions: keras`).', { minimum: 0, default: 0.01 }) },
  defaults: { alpha: 0.01 },
  keepsWidth: true,
  activationLayer: true,
  infer: (_a, [x]) => facts(x),
  build: (a, ctx) => [leakyReluCall(ctx.name, a.alpha)],
};
