/** one_cycle: PyTorch OneCycleLR, cosine in two phases; no warm-up of its own (runtime/schedules/curves.ts oneCycleCurve). */
import { number } from '../../front/schema/helpers.js';
import type { ScheduleSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

const defaults = { pct_start: 0.3, div_factor: 25, final_div_factor: 1e4 };

export const oneCycle: KindDecl<Of<ScheduleSpec, 'one_cycle'>> = {
  kind: 'one_cycle',
  description: 'One-cycle policy (Smith): warm up to max_lr, then anneal far below the start.',
  attrs: {
    max_lr: number('Peak learning rate.', { exclusiveMinimum: 0, examples: [0.1] }),
    pct_start: number('Fraction of the run spent increasing the rate.', { exclusiveMinimum: 0, maximum: 1, default: defaults.pct_start }),
    div_factor: number('Initial rate = max_lr / div_factor.', { exclusiveMinimum: 0, default: defaults.div_factor }),
    final_div_factor: number('Final rate = initial rate / final_div_factor.', { exclusiveMinimum: 0, default: defaults.final_div_factor }),
  },
  required: ['max_lr'],
  defaults,
};
