/** cross_entropy: softmax cross-entropy on logits (runtime/losses/classification.ts softmaxCrossEntropy). */
import type { LossSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';
import { smoothing } from './common.js';

const defaults = { label_smoothing: 0 };

export const crossEntropy: KindDecl<Of<LossSpec, 'cross_entropy'>> = {
  kind: 'cross_entropy',
  description: 'Softmax cross-entropy on the logits (PyTorch `CrossEntropyLoss`): the last layer must be linear.',
  attrs: { label_smoothing: smoothing(defaults.label_smoothing) },
  defaults,
};
