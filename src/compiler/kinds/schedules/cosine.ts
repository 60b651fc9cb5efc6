/** cosine: cosine annealing to min_lr at the run's last step (runtime/schedules/curves.ts cosineCurve). */
import { number } from '../../front/schema/helpers.js';
import type { ScheduleSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';
import { warmup, WARMUP_DEFAULTS } from './common.js';

const defaults = { min_lr: 0, ...WARMUP_DEFAULTS };

export const cosine: KindDecl<Of<ScheduleSpec, 'cosine'>> = {
  kind: 'cosine',
  description: 'Cosine annealing from the base rate to min_lr over the training run.',
  attrs: { min_lr: number('Final learning rate.', { minimum: 0, default: defaults.min_lr }), warmup_epochs: warmup() },
  defaults,
};
