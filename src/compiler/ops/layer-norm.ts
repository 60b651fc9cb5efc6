/** layer_norm: layer normalisation over the last axis (Keras `LayerNormalization`). */
import { number } from '../front/schema/helpers.js';
import { call, facts, type OpDef } from './op-def.js';

export interface LayerNormAttrs {
  readonly epsilon: number;
}

declare module '../spec.js' {
  interface LayerAttrMap {
    layer_norm: LayerNormAttrs;
  }
}

export const layer_norm: OpDef<'layer_norm'> = {
  kind: 'layer_norm',
  description: 'Layer normalisation over the last axis.',
  attrs: { epsilon: number('Added to the variance for numerical stability.', { exclusiveMinimum: 0, default: 1e-5 }) },
  // PyTorch's; `conventions: keras` gives 1e-3 (front/conventions.ts).
  defaults: { epsilon: 1e-5 },
  keepsWidth: true,
  infer: (_a, [x]) => facts(x, 2 * x[x.length - 1]),
  build: (a, ctx) => [call('layerNormalization', { name: ctx.name, axis: -1, epsilon: a.epsilon })],
};
