/** random_rotation: training only. Applied in runtime/transforms/host.ts (hostRotate). */
import { number } from '../../front/schema/helpers.js';
import type { TransformSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

export const randomRotation: KindDecl<Of<TransformSpec, 'random_rotation'>> = {
  kind: 'random_rotation',
  description: 'Rotates by a random angle in [−degrees, degrees].',
  attrs: { degrees: number('Largest rotation, in degrees.', { minimum: 0, maximum: 180, examples: [15] }) },
  required: ['degrees'],
  shorthand: { schema: number('Shorthand for `{degrees: …}`.', { minimum: 0, maximum: 180, examples: [15] }), key: 'degrees' },
  defaults: {},
};
