/** mae: mean absolute error (runtime/losses/regression.ts meanAbsoluteError). */
import type { LossSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

export const mae: KindDecl<Of<LossSpec, 'mae'>> = {
  kind: 'mae',
  description: 'Mean absolute error (PyTorch `L1Loss`) against the targets: real values for regression.',
  attrs: {},
  defaults: {},
};
