/** batch_norm: batch normalisation over the channel axis (Keras `BatchNormalization`). */
import { number } from '../front/schema/helpers.js';
import { call, facts, type OpDef } from './op-def.js';

export interface BatchNormAttrs {
  /** Keras convention: PyTorch momentum 0.1 is 0.9 here. */
  readonly momentum: number;
  readonly epsilon: number;
}

declare module '../spec.js' {
  interface LayerAttrMap {
    batch_norm: BatchNormAttrs;
  }
}

/** PyTorch's (momentum 0.1 there); `conventions: keras` gives Keras's 0.99 and 1e-3 (front/conventions.ts). */
const DEFAULTS = { momentum: 0.9, epsilon: 1e-5 } as const;

export const batch_norm: OpDef<'batch_norm'> = {
  kind: 'batch_norm',
  description: 'Batch normalisation over the channel axis.',
  attrs: {
    momentum: number('Momentum of the moving mean and variance (Keras convention: PyTorch momentum 0.1 is 0.9 here).', { minimum: 0, maximum: 1, default: DEFAULTS.momentum }),
    epsilon: number('Added to the variance for numerical stability.', { exclusiveMinimum: 0, default: DEFAULTS.epsilon }),
  },
  defaults: DEFAULTS,
  keepsWidth: true,
  /** Gamma and beta train; the moving mean and variance do not (Keras counting). */
  infer(_a, [x]) {
    const c = x[x.length - 1];
    return facts(x, 2 * c, 2 * c);
  },
  build: (a, ctx) => [call('batchNormalization', { name: ctx.name, axis: -1, momentum: a.momentum, epsilon: a.epsilon })],
};
