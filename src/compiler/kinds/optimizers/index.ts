/** Every optimizer kind, by name (the `optimizer:` section). The runtime's implementations: runtime/optimizers/index.ts. */
import type { OptimizerSpec } from '../../spec.js';
import type { Family } from '../kind.js';
import { adagrad } from './adagrad.js';
import { adam } from './adam.js';
import { adamw } from './adamw.js';
import { rmsprop } from './rmsprop.js';
import { sgd } from './sgd.js';

export const OPTIMIZERS = {
  sgd,
  adam,
  adamw,
  rmsprop,
  adagrad,
} as const satisfies Family<OptimizerSpec>;

/** The optimizer when the spec names none. */
export const DEFAULT_OPTIMIZER: OptimizerSpec['kind'] = 'adam';
