/** step: PyTorch StepLR (runtime/schedules/curves.ts stepCurve). */
import { integer } from '../../front/schema/helpers.js';
import type { ScheduleSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';
import { gamma, warmup, WARMUP_DEFAULTS } from './common.js';

const defaults = { gamma: 0.1, ...WARMUP_DEFAULTS };

export const step: KindDecl<Of<ScheduleSpec, 'step'>> = {
  kind: 'step',
  description: 'Multiply the rate by gamma every step_size epochs.',
  attrs: { step_size: integer('Epochs between decays.', { minimum: 1, examples: [10] }), gamma: gamma(defaults.gamma), warmup_epochs: warmup() },
  required: ['step_size'],
  defaults,
};
