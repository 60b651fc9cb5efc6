/** reduce_on_plateau: PyTorch ReduceLROnPlateau, stepped once per epoch (runtime/schedules/plateau.ts). */
import { enumOf, integer, number } from '../../front/schema/helpers.js';
import type { MonitorName, ScheduleSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';
import { MONITORS } from '../monitors.js';
import { warmup, WARMUP_DEFAULTS } from './common.js';

const defaults = { monitor: 'val_loss' as MonitorName, factor: 0.1, patience: 2, min_lr: 0, ...WARMUP_DEFAULTS };

export const reduceOnPlateau: KindDecl<Of<ScheduleSpec, 'reduce_on_plateau'>> = {
  kind: 'reduce_on_plateau',
  description: 'Multiply the rate by factor when the monitored value stops improving for patience epochs.',
  attrs: {
    monitor: enumOf(MONITORS, 'The value watched.', { default: defaults.monitor }),
    factor: number('Multiplier applied on a plateau.', { exclusiveMinimum: 0, maximum: 1, default: defaults.factor }),
    patience: integer('Epochs without improvement before reducing.', { minimum: 0, default: defaults.patience }),
    min_lr: number('Lower bound of the rate.', { minimum: 0, default: defaults.min_lr }),
    warmup_epochs: warmup(),
  },
  defaults,
};
