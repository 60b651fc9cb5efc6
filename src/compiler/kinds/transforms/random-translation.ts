/** random_translation: training only. Shape rules: compiler/shared/transform-shape.ts; applied in runtime/transforms/host.ts. */
import { integer } from '../../front/schema/helpers.js';
import type { TransformSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

export const randomTranslation: KindDecl<Of<TransformSpec, 'random_translation'>> = {
  kind: 'random_translation',
  description: 'Shifts by a random number of pixels in [−max_pixels, max_pixels] on each axis.',
  attrs: { max_pixels: integer('Largest shift, in pixels.', { minimum: 0, examples: [4] }) },
  required: ['max_pixels'],
  shorthand: { schema: integer('Shorthand for `{max_pixels: …}`.', { minimum: 0, examples: [4] }), key: 'max_pixels' },
  defaults: {},
};
