/** sgd: stochastic gradient descent with optional (Nesterov) momentum (runtime/optimizers/sgd.ts). */
import { boolean, number } from '../../front/schema/helpers.js';
import type { OptimizerSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';
import { COMMON_DEFAULTS, lr, optCommon } from './common.js';

const defaults = { ...COMMON_DEFAULTS, learning_rate: 0.01, momentum: 0, nesterov: false };

export const sgd: KindDecl<Of<OptimizerSpec, 'sgd'>> = {
  kind: 'sgd',
  description: 'Stochastic gradient descent, optionally with (Nesterov) momentum.',
  attrs: {
    learning_rate: lr(defaults.learning_rate),
    momentum: number('Momentum factor.', { minimum: 0, maximum: 1, default: defaults.momentum, examples: [0.9] }),
    nesterov: boolean('Use Nesterov momentum.', { default: defaults.nesterov }),
    ...optCommon(defaults.weight_decay),
  },
  defaults,
};
