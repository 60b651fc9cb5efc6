/** adamw: Adam with decoupled weight decay (runtime/optimizers/adam.ts, decoupled: true). */
import type { OptimizerSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';
import { beta, COMMON_DEFAULTS, eps, lr, optCommon } from './common.js';

const defaults = { ...COMMON_DEFAULTS, learning_rate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0.01 };

export const adamw: KindDecl<Of<OptimizerSpec, 'adamw'>> = {
  kind: 'adamw',
  description: 'Adam with decoupled weight decay (Loshchilov & Hutter).',
  attrs: { learning_rate: lr(defaults.learning_rate), beta1: beta(defaults.beta1, 'first'), beta2: beta(defaults.beta2, 'second'), epsilon: eps(defaults.epsilon), ...optCommon(defaults.weight_decay) },
  defaults,
};
