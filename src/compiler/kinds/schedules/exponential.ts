/** exponential: PyTorch ExponentialLR, changing at epoch boundaries (runtime/schedules/curves.ts exponentialCurve). */
import type { ScheduleSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';
import { gamma, warmup, WARMUP_DEFAULTS } from './common.js';

export const exponential: KindDecl<Of<ScheduleSpec, 'exponential'>> = {
  kind: 'exponential',
  description: 'Multiply the rate by gamma every epoch.',
  attrs: { gamma: gamma(), warmup_epochs: warmup() },
  required: ['gamma'],
  defaults: { ...WARMUP_DEFAULTS },
};
