/** mse: mean squared error against one-hot targets (runtime/losses/regression.ts meanSquaredError). */
import type { LossSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

export const mse: KindDecl<Of<LossSpec, 'mse'>> = {
  kind: 'mse',
  description: 'Mean squared error (PyTorch `MSELoss`) against the targets: real values for regression (one-hot vectors for classes).',
  attrs: {},
  defaults: {},
};
