/** huber: Huber loss against one-hot targets (runtime/losses/regression.ts huber). */
import { number } from '../../front/schema/helpers.js';
import type { LossSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

const defaults = { delta: 1 };

export const huber: KindDecl<Of<LossSpec, 'huber'>> = {
  kind: 'huber',
  description: 'Huber loss (PyTorch `HuberLoss`) against the targets: real values for regression (one-hot vectors for classes).',
  attrs: { delta: number('Where the loss turns from quadratic to linear.', { exclusiveMinimum: 0, default: defaults.delta }) },
  defaults,
};
