/** multi_step: PyTorch MultiStepLR (runtime/schedules/curves.ts multiStepCurve). */
import { array } from '../../front/schema/helpers.js';
import type { ScheduleSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';
import { gamma, warmup, WARMUP_DEFAULTS } from './common.js';

const defaults = { gamma: 0.1, ...WARMUP_DEFAULTS };

export const multiStep: KindDecl<Of<ScheduleSpec, 'multi_step'>> = {
  kind: 'multi_step',
  description: 'Multiply the rate by gamma at each milestone epoch.',
  attrs: {
    milestones: array({ type: 'integer', minimum: 1 }, 'Epochs at which to decay, increasing.', { minItems: 1, examples: [[30, 60]] }),
    gamma: gamma(defaults.gamma),
    warmup_epochs: warmup(),
  },
  required: ['milestones'],
  defaults,
};
