/** random_crop: pad, then crop size×size (a centre crop outside training). Shape rules: compiler/shared/transform-shape.ts. */
import { integer } from '../../front/schema/helpers.js';
import type { TransformSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

const defaults = { padding: 0 };

export const randomCrop: KindDecl<Of<TransformSpec, 'random_crop'>> = {
  kind: 'random_crop',
  description: 'Pads the image with zeros, then crops a random size×size window (e.g. 32 with padding 4 on CIFAR-10).',
  attrs: {
    size: integer('Side of the square crop.', { minimum: 1, examples: [32, 28] }),
    padding: integer('Zero padding added on every side before cropping.', { minimum: 0, default: defaults.padding, examples: [4] }),
  },
  required: ['size'],
  shorthand: { schema: integer('Shorthand for `{size: …}`.', { minimum: 1, examples: [32] }), key: 'size' },
  defaults,
};
