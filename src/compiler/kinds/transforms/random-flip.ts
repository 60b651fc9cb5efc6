/** random_flip: training only. Applied in runtime/transforms/host.ts (hostFlip). */
import { enumOf } from '../../front/schema/helpers.js';
import type { TransformSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

const MODES = ['horizontal', 'vertical', 'both'] as const;
const defaults = { mode: 'horizontal' as (typeof MODES)[number] };

export const randomFlip: KindDecl<Of<TransformSpec, 'random_flip'>> = {
  kind: 'random_flip',
  description: 'Flips images at random (probability 0.5 per axis).',
  attrs: { mode: enumOf(MODES, 'Which flips.', { default: defaults.mode }) },
  shorthand: { schema: enumOf(MODES, 'Shorthand for `{mode: …}`.', { examples: ['horizontal'] }), key: 'mode' },
  defaults,
};
