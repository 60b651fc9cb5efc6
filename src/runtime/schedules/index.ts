/**
 * Learning-rate schedules: `makeSchedule` turns the spec's schedule (stated
 * in epochs) into an LrSchedule evaluated per optimizer step. The train loop
 * sets `optimizer.learningRate = schedule.lrAt(globalStep)` before each step
 * (globalStep 0-based) and calls `endEpoch` after each epoch's validation
 * with the monitor names (`val_loss`, `val_accuracy`, …) as keys.
 *
 * Decisions (PyTorch's behaviour unless noted):
 * - Linear warmup over `warmup_epochs` (may be fractional): step s < W uses
 *   lr·(s + 1)/W. The main curve is evaluated at the absolute step, so
 *   step/multi_step/exponential count epochs from the start of the run.
 * - exponential changes at epoch boundaries (PyTorch's ExponentialLR).
 * - cosine anneals from the end of warmup to min_lr at the run's last step.
 * - one_cycle follows OneCycleLR (cosine, two phases) and peaks at max_lr;
 *   it has its own ramp, so no warmup. With cycle_momentum it also has
 *   `momentumAt(step)`, which the loop hands to `optimizer.setMomentum`
 *   (SGD/RMSprop momentum, Adam's beta1) before each step, as OneCycleLR does.
 * - reduce_on_plateau: see plateau.ts.
 */
import type { ScheduleSpec } from '../../compiler/spec.js';
import type { LrSchedule } from '../contracts.js';
import {
  cosineCurve,
  exponentialCurve,
  multiStepCurve,
  oneCycleCurve,
  oneCycleMomentum,
  stepCurve,
  withWarmup,
  type Curve,
  type CurveContext,
} from './curves.js';
import { PlateauTracker, type PlateauState } from './plateau.js';

export { annealCos, epochOf, type Curve, type CurveContext } from './curves.js';
export { monitorMode, PlateauTracker, type PlateauOptions, type PlateauState } from './plateau.js';

export interface ScheduleOptions {
  readonly stepsPerEpoch: number;
  readonly epochs: number;
}

/** Builds the per-step schedule for a spec; baseLr is the optimizer's learning_rate. */
export function makeSchedule(spec: ScheduleSpec, baseLr: number, opts: ScheduleOptions): LrSchedule {
  if (!(opts.stepsPerEpoch >= 1) || !Number.isInteger(opts.stepsPerEpoch)) throw new RangeError(`stepsPerEpoch must be a positive integer, got ${opts.stepsPerEpoch}`);
  if (!(opts.epochs >= 1)) throw new RangeError(`epochs must be >= 1, got ${opts.epochs}`);
  const warmupEpochs = 'warmup_epochs' in spec ? spec.warmup_epochs : 0;
  if (!(warmupEpochs >= 0)) throw new RangeError(`warmup_epochs must be >= 0, got ${warmupEpochs}`);
  const ctx: CurveContext = {
    baseLr,
    stepsPerEpoch: opts.stepsPerEpoch,
    totalSteps: Math.round(opts.epochs * opts.stepsPerEpoch),
    warmupSteps: Math.round(warmupEpochs * opts.stepsPerEpoch),
  };
  const impl = SCHEDULE_IMPLS[spec.kind] as ((s: ScheduleSpec, ctx: CurveContext) => LrSchedule) | undefined;
  if (!impl) throw new Error(`unknown schedule: ${JSON.stringify(spec)}`);
  return impl(spec, ctx);
}

/** A kind of schedule → how it is built from its spec and the run's step counts (ctx.baseLr is the optimizer's rate). */
export type ScheduleImpls = { readonly [K in ScheduleSpec['kind']]: (spec: Extract<ScheduleSpec, { kind: K }>, ctx: CurveContext) => LrSchedule };

const warmed = (kind: string, curve: Curve, ctx: CurveContext): LrSchedule => {
  const constant: Curve = () => ctx.baseLr;
  return stateless(kind, withWarmup(curve, ctx.warmupSteps, constant));
};

/**
 * The implementation of every schedule kind the compiler declares
 * (compiler/kinds/schedules/): keyed by the spec union, so a declared kind
 * without an entry here does not compile.
 */
export const SCHEDULE_IMPLS: ScheduleImpls = {
  constant: (spec, ctx) => warmed(spec.kind, () => ctx.baseLr, ctx),
  step: (spec, ctx) => warmed(spec.kind, stepCurve(ctx, spec.step_size, spec.gamma), ctx),
  multi_step: (spec, ctx) => warmed(spec.kind, multiStepCurve(ctx, spec.milestones, spec.gamma), ctx),
  exponential: (spec, ctx) => warmed(spec.kind, exponentialCurve(ctx, spec.gamma), ctx),
  cosine: (spec, ctx) => warmed(spec.kind, cosineCurve(ctx, spec.min_lr), ctx),
  one_cycle: (spec, ctx) => {
    const lr = stateless(spec.kind, oneCycleCurve(ctx.totalSteps, { maxLr: spec.max_lr, pctStart: spec.pct_start, divFactor: spec.div_factor, finalDivFactor: spec.final_div_factor }));
    if (!spec.cycle_momentum) return lr;
    return { ...lr, momentumAt: oneCycleMomentum(ctx.totalSteps, spec.pct_start, spec.base_momentum ?? 0.85, spec.max_momentum ?? 0.95) };
  },
  reduce_on_plateau: (spec, ctx) =>
    new PlateauSchedule(new PlateauTracker(ctx.baseLr, { monitor: spec.monitor, factor: spec.factor, patience: spec.patience, minLr: spec.min_lr }), ctx.warmupSteps),
};

/** A schedule that is a pure function of the step: its state is just its kind. */
function stateless(kind: string, curve: Curve): LrSchedule {
  return {
    lrAt: curve,
    endEpoch: () => {},
    getState: () => ({ kind }),
    setState: (state: unknown) => checkKind(state, kind),
  };
}

class PlateauSchedule implements LrSchedule {
  constructor(
    private readonly tracker: PlateauTracker,
    private readonly warmupSteps: number,
  ) {}

  lrAt(step: number): number {
    return step < this.warmupSteps ? (this.tracker.lr * (step + 1)) / this.warmupSteps : this.tracker.lr;
  }

  endEpoch(_epoch: number, metrics: Readonly<Record<string, number>>): void {
    this.tracker.observe(metrics);
  }

  getState(): unknown {
    return { kind: 'reduce_on_plateau', ...this.tracker.getState() };
  }

  setState(state: unknown): void {
    checkKind(state, 'reduce_on_plateau');
    this.tracker.setState(state as PlateauState);
  }
}

function checkKind(state: unknown, kind: string): void {
  const got = typeof state === 'object' && state !== null ? (state as { kind?: unknown }).kind : undefined;
  if (got !== kind) throw new Error(`schedule state is for "${String(got)}", but this run's schedule is "${kind}"`);
}
