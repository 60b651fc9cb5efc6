/** constant: the optimizer's rate throughout, after an optional warm-up (runtime/schedules/index.ts). */
import type { ScheduleSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';
import { warmup, WARMUP_DEFAULTS } from './common.js';

export const constant: KindDecl<Of<ScheduleSpec, 'constant'>> = {
  kind: 'constant',
  description: 'The optimizer learning rate throughout.',
  attrs: { warmup_epochs: warmup() },
  defaults: { ...WARMUP_DEFAULTS },
};
