/** cutout: training only. Shape rules: compiler/shared/transform-shape.ts; applied in runtime/transforms/host.ts (hostCutout). */
import { integer } from '../../front/schema/helpers.js';
import type { TransformSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

export const cutout: KindDecl<Of<TransformSpec, 'cutout'>> = {
  kind: 'cutout',
  description: 'Zeroes a random size×size square (DeVries & Taylor, 2017).',
  attrs: { size: integer('Side of the square.', { minimum: 1, examples: [8, 16] }) },
  required: ['size'],
  shorthand: { schema: integer('Shorthand for `{size: …}`.', { minimum: 1, examples: [8] }), key: 'size' },
  defaults: {},
};
