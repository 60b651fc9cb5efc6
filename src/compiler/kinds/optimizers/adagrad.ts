/** adagrad: Adagrad (runtime/optimizers/adagrad.ts). */
import { number } from '../../front/schema/helpers.js';
import type { OptimizerSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';
import { COMMON_DEFAULTS, eps, lr, optCommon } from './common.js';

const defaults = { ...COMMON_DEFAULTS, learning_rate: 0.01, initial_accumulator_value: 0, epsilon: 1e-10 };

export const adagrad: KindDecl<Of<OptimizerSpec, 'adagrad'>> = {
  kind: 'adagrad',
  description: 'Adagrad.',
  attrs: {
    learning_rate: lr(defaults.learning_rate),
    initial_accumulator_value: number('Starting value of the accumulators.', { minimum: 0, default: defaults.initial_accumulator_value }),
    epsilon: eps(defaults.epsilon),
    ...optCommon(defaults.weight_decay),
  },
  defaults,
};
