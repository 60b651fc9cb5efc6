/** cross_entropy: softmax cross-entropy on logits (runtime/losses/classification.ts softmaxCrossEntropy). */
import { anyOf, array, enumOf } from '../../front/schema/helpers.js';
import type { LossSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';
import { smoothing } from './common.js';

const defaults = { label_smoothing: 0 };

export const crossEntropy: KindDecl<Of<LossSpec, 'cross_entropy'>> = {
  kind: 'cross_entropy',
  description: 'Softmax cross-entropy on the logits (PyTorch `CrossEntropyLoss`): the last layer must be linear.',
  attrs: {
    label_smoothing: smoothing(defaults.label_smoothing),
    class_weight: anyOf(
      [
        enumOf(['balanced'], 'N / (K · n_c): the training split\'s N rows over K classes, n_c of class c (scikit-learn\'s "balanced").'),
        { type: 'object', additionalProperties: { type: 'number', exclusiveMinimum: 0 }, minProperties: 1, description: 'Class name → weight; classes not listed weigh 1.' },
        array({ type: 'number', exclusiveMinimum: 0 }, 'One weight per class, in class-index order.', { minItems: 1 }),
      ],
      'Per-class weights of the training loss, for imbalanced classes: each sample\'s loss is multiplied by its class\'s weight and the batch sum divided by the batch size (Keras `class_weight`). Validation and test losses stay unweighted.',
      { examples: ['balanced', { snow: 4, fog: 2 }] },
    ),
  },
  defaults,
};
