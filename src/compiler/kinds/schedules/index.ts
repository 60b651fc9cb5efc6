/** Every learning-rate schedule kind, by name (the `schedule:` section). The runtime's implementations: runtime/schedules/index.ts. */
import type { ScheduleSpec } from '../../spec.js';
import type { Family } from '../kind.js';
import { constant } from './constant.js';
import { cosine } from './cosine.js';
import { exponential } from './exponential.js';
import { multiStep } from './multi-step.js';
import { oneCycle } from './one-cycle.js';
import { reduceOnPlateau } from './reduce-on-plateau.js';
import { step } from './step.js';

export const SCHEDULES = {
  constant,
  step,
  multi_step: multiStep,
  exponential,
  cosine,
  one_cycle: oneCycle,
  reduce_on_plateau: reduceOnPlateau,
} as const satisfies Family<ScheduleSpec>;

/** The schedule when the spec names none. */
export const DEFAULT_SCHEDULE: ScheduleSpec['kind'] = 'constant';
