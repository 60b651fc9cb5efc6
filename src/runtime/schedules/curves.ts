/**
 * The stateless schedule curves: learning rate as a pure function of the
 * global step (0-based: the step about to be taken). Epoch-stated schedules
 * count epochs from the start of the run, warmup included (timm's
 * convention), so "step_size: 30" decays at epoch 30 whatever the warmup.
 */

/** Shared inputs of every curve. */
export interface CurveContext {
  readonly baseLr: number;
  readonly stepsPerEpoch: number;
  /** Total optimizer steps of the run (epochs × stepsPerEpoch). */
  readonly totalSteps: number;
  /** Linear-warmup steps (round(warmup_epochs × stepsPerEpoch)); 0 for none. */
  readonly warmupSteps: number;
}

export type Curve = (step: number) => number;

/** Index of the epoch a step belongs to. */
export function epochOf(step: number, stepsPerEpoch: number): number {
  return Math.floor(step / stepsPerEpoch);
}

/**
 * Linear warmup: step s < W gets lr·(s + 1)/W, so the first step already
 * moves (lr/W, not 0) and step W − 1 reaches the full rate.
 */
export function withWarmup(curve: Curve, warmupSteps: number, warmupTarget: Curve): Curve {
  if (warmupSteps <= 0) return curve;
  return (step) => (step < warmupSteps ? (warmupTarget(step) * (step + 1)) / warmupSteps : curve(step));
}

/** StepLR: lr·γ^⌊epoch / step_size⌋. */
export function stepCurve(ctx: CurveContext, stepSize: number, gamma: number): Curve {
  if (!(stepSize > 0)) throw new RangeError(`step schedule: step_size must be > 0, got ${stepSize}`);
  return (step) => ctx.baseLr * gamma ** Math.floor(epochOf(step, ctx.stepsPerEpoch) / stepSize);
}

/** MultiStepLR: lr·γ^(number of milestones ≤ epoch). */
export function multiStepCurve(ctx: CurveContext, milestones: readonly number[], gamma: number): Curve {
  return (step) => {
    const epoch = epochOf(step, ctx.stepsPerEpoch);
    return ctx.baseLr * gamma ** milestones.filter((m) => m <= epoch).length;
  };
}

/**
 * ExponentialLR: lr·γ^epoch, changing at epoch boundaries (as PyTorch's
 * ExponentialLR stepped once per epoch), not continuously within an epoch.
 */
export function exponentialCurve(ctx: CurveContext, gamma: number): Curve {
  return (step) => ctx.baseLr * gamma ** epochOf(step, ctx.stepsPerEpoch);
}

/**
 * Cosine annealing per step from lr (at the end of warmup) to min_lr at the
 * run's last step (step totalSteps − 1 uses exactly min_lr; later steps stay
 * there):
 *
 *   t = (s − W) / (T − 1 − W);  lr = min + ½(lr − min)(1 + cos πt)
 */
export function cosineCurve(ctx: CurveContext, minLr: number): Curve {
  const span = Math.max(1, ctx.totalSteps - 1 - ctx.warmupSteps);
  return (step) => {
    const t = Math.min(1, Math.max(0, (step - ctx.warmupSteps) / span));
    return minLr + 0.5 * (ctx.baseLr - minLr) * (1 + Math.cos(Math.PI * t));
  };
}

/** Cosine interpolation from start (pct 0) to end (pct 1), PyTorch's `_annealing_cos`. */
export function annealCos(start: number, end: number, pct: number): number {
  return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
}

export interface OneCycleParams {
  readonly maxLr: number;
  readonly pctStart: number;
  readonly divFactor: number;
  readonly finalDivFactor: number;
}

/**
 * OneCycleLR (PyTorch, two phases, cosine annealing): from max_lr/div_factor
 * up to max_lr at step pct_start·T − 1, then down to
 * max_lr/(div_factor·final_div_factor) at step T − 1. The spec's max_lr is
 * the peak; the optimizer's learning_rate is not used by this schedule.
 */
export function oneCycleCurve(totalSteps: number, p: OneCycleParams): Curve {
  const initial = p.maxLr / p.divFactor;
  return twoPhaseCos(totalSteps, p.pctStart, initial, p.maxLr, initial / p.finalDivFactor);
}

/**
 * OneCycleLR's momentum with cycle_momentum (PyTorch's default): the same two
 * cosine phases the other way, max → base at step pct_start·T − 1, base → max
 * at step T − 1 (step 0, PyTorch's first step, has max).
 */
export function oneCycleMomentum(totalSteps: number, pctStart: number, base: number, max: number): Curve {
  return twoPhaseCos(totalSteps, pctStart, max, base, max);
}

/** OneCycleLR's two cosine phases over T steps: a → b until step pct·T − 1, b → c until step T − 1 (then c). */
function twoPhaseCos(totalSteps: number, pctStart: number, a: number, b: number, c: number): Curve {
  if (!(pctStart > 0 && pctStart < 1)) throw new RangeError(`one_cycle: pct_start must be in (0, 1), got ${pctStart}`);
  const end1 = pctStart * totalSteps - 1;
  const end2 = totalSteps - 1;
  return (step) => {
    const s = Math.min(step, end2);
    if (s <= end1) return annealCos(a, b, end1 > 0 ? s / end1 : 1);
    return annealCos(b, c, end2 > end1 ? (s - end1) / (end2 - end1) : 1);
  };
}
