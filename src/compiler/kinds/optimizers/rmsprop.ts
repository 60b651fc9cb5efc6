/** rmsprop: RMSprop, optionally with momentum (runtime/optimizers/rmsprop.ts). */
import { number } from '../../front/schema/helpers.js';
import type { OptimizerSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';
import { COMMON_DEFAULTS, eps, lr, optCommon } from './common.js';

const defaults = { ...COMMON_DEFAULTS, learning_rate: 0.01, rho: 0.99, momentum: 0, epsilon: 1e-8 };

export const rmsprop: KindDecl<Of<OptimizerSpec, 'rmsprop'>> = {
  kind: 'rmsprop',
  description: 'RMSprop.',
  attrs: {
    learning_rate: lr(defaults.learning_rate),
    rho: number('Decay rate of the squared-gradient average.', { minimum: 0, maximum: 1, default: defaults.rho }),
    momentum: number('Momentum factor.', { minimum: 0, maximum: 1, default: defaults.momentum }),
    epsilon: eps(defaults.epsilon),
    ...optCommon(defaults.weight_decay),
  },
  defaults,
};
