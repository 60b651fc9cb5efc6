/** resize: bilinear to [height, width]. Shape rules: compiler/shared/transform-shape.ts; applied in runtime/transforms/host.ts (hostResize). */
import { array } from '../../front/schema/helpers.js';
import type { TransformSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

export const resize: KindDecl<Of<TransformSpec, 'resize'>> = {
  kind: 'resize',
  description: 'Resizes to [height, width] (bilinear).',
  attrs: { size: array({ type: 'integer', minimum: 1 }, '[height, width]', { minItems: 2, maxItems: 2, examples: [[32, 32]] }) },
  required: ['size'],
  shorthand: { schema: array({ type: 'integer', minimum: 1 }, 'Shorthand for `{size: [height, width]}`.', { minItems: 2, maxItems: 2, examples: [[32, 32]] }), key: 'size' },
  defaults: {},
};
