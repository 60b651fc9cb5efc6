/** binary_cross_entropy: sigmoid BCE per class on logits (runtime/losses/classification.ts sigmoidBinaryCrossEntropy). */
import type { LossSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';
import { smoothing } from './common.js';

const defaults = { label_smoothing: 0 };

export const binaryCrossEntropy: KindDecl<Of<LossSpec, 'binary_cross_entropy'>> = {
  kind: 'binary_cross_entropy',
  description: 'Sigmoid binary cross-entropy per class on the logits.',
  attrs: { label_smoothing: smoothing(defaults.label_smoothing) },
  defaults,
};
