/** rescale: x · scale + offset. Applied in runtime/transforms/host.ts. */
import { number } from '../../front/schema/helpers.js';
import type { TransformSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

const defaults = { scale: 1, offset: 0 };

export const rescale: KindDecl<Of<TransformSpec, 'rescale'>> = {
  kind: 'rescale',
  description: 'x · scale + offset (e.g. scale 2, offset −1 maps [0, 1] to [−1, 1]).',
  attrs: { scale: number('Multiplier.', { default: defaults.scale, examples: [2] }), offset: number('Added after scaling.', { default: defaults.offset, examples: [-1] }) },
  defaults,
};
