/** Every loss kind, by name (the `loss:` section). The runtime's implementations: runtime/losses/index.ts. */
import type { LossSpec } from '../../spec.js';
import type { Family } from '../kind.js';
import { binaryCrossEntropy } from './binary-cross-entropy.js';
import { crossEntropy } from './cross-entropy.js';
import { huber } from './huber.js';
import { mae } from './mae.js';
import { mse } from './mse.js';

export const LOSSES = {
  cross_entropy: crossEntropy,
  binary_cross_entropy: binaryCrossEntropy,
  mse,
  mae,
  huber,
} as const satisfies Family<LossSpec>;

/** The loss when the spec names none. */
export const DEFAULT_LOSS: LossSpec['kind'] = 'cross_entropy';
