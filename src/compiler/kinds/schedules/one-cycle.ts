/**
 * one_cycle: PyTorch OneCycleLR, cosine in two phases; no warm-up of its own
 * (runtime/schedules/curves.ts oneCycleCurve). With cycle_momentum (PyTorch's
 * default; off under `conventions: keras`) the optimizer's momentum — SGD's and
 * RMSprop's momentum, Adam's beta1 — goes the other way: max_momentum → base_momentum
 * while the rate rises, back to max_momentum while it falls; it replaces the
 * optimizer's own value for the whole run. Adagrad has none to cycle: that is
 * DLC146, and a momentum ≥ 1 as Adam's beta1 is DLC147
 * (lower/passes/training-settings.ts).
 */
import { boolean, number } from '../../front/schema/helpers.js';
import type { ScheduleSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

const defaults = { pct_start: 0.3, div_factor: 25, final_div_factor: 1e4, cycle_momentum: true, base_momentum: 0.85, max_momentum: 0.95 };

export const oneCycle: KindDecl<Of<ScheduleSpec, 'one_cycle'>> = {
  kind: 'one_cycle',
  description: 'One-cycle policy (Smith): warm up to max_lr, then anneal far below the start.',
  attrs: {
    max_lr: number('Peak learning rate.', { exclusiveMinimum: 0, examples: [0.1] }),
    pct_start: number('Fraction of the run spent increasing the rate.', { exclusiveMinimum: 0, maximum: 1, default: defaults.pct_start }),
    div_factor: number('Initial rate = max_lr / div_factor.', { exclusiveMinimum: 0, default: defaults.div_factor }),
    final_div_factor: number('Final rate = initial rate / final_div_factor.', { exclusiveMinimum: 0, default: defaults.final_div_factor }),
    cycle_momentum: boolean(
      "Cycle the optimizer's momentum (SGD/RMSprop momentum, Adam's beta1) inversely to the rate, as PyTorch OneCycleLR: max_momentum → base_momentum → max_momentum. Default true (false under conventions: keras).",
      { default: defaults.cycle_momentum },
    ),
    base_momentum: number('Lowest momentum, reached at the peak rate.', { minimum: 0, maximum: 1, default: defaults.base_momentum }),
    max_momentum: number('Highest momentum, at the start and the end of the cycle.', { minimum: 0, maximum: 1, default: defaults.max_momentum }),
  },
  required: ['max_lr'],
  defaults,
};
