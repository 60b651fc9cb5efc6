/**
 * dropout: zeroes a fraction of the inputs while training (Keras `Dropout`).
 * The recipe's seed is the step-0 mask; the training loop re-seeds every
 * dropout layer before each step with deriveSeed(specSeed, name, 'dropout',
 * step) (runtime/model/dropout.ts).
 */
import { number } from '../front/schema/helpers.js';
import { call, facts, type OpDef } from './op-def.js';

export interface DropoutAttrs {
  readonly rate: number;
}

declare module '../spec.js' {
  interface LayerAttrMap {
    dropout: DropoutAttrs;
  }
}

export const dropout: OpDef<'dropout'> = {
  kind: 'dropout',
  description: 'Randomly zeroes a fraction of the inputs during training.',
  attrs: { rate: number('Fraction of inputs to drop.', { minimum: 0, maximum: 1, examples: [0.5, 0.25] }) },
  required: ['rate'],
  shorthand: { schema: number('Shorthand for `{rate: …}`.', { minimum: 0, maximum: 1, examples: [0.5] }), key: 'rate' },
  keepsWidth: true,
  infer: (_a, [x]) => facts(x),
  build: (a, ctx) => [call('dropout', { name: ctx.name, rate: a.rate, seed: ctx.seed(ctx.name, 'dropout', 0) })],
};
