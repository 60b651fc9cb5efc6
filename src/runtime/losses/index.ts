/**
 * Losses: `makeLoss(spec)` turns the spec's loss into a `LossFn` taking the
 * model's logits and one-hot targets and returning the batch mean.
 */
import type { LossSpec } from '../../compiler/spec.js';
import type { LossFn } from '../contracts.js';
import { sigmoidBinaryCrossEntropy, softmaxCrossEntropy } from './classification.js';
import { huber, meanAbsoluteError, meanSquaredError } from './regression.js';

export { sigmoidBinaryCrossEntropy, softmaxCrossEntropy } from './classification.js';
export { ClassWeightError, resolveClassWeights } from './class-weights.js';
export { huber, meanAbsoluteError, meanSquaredError } from './regression.js';

/** A kind of loss → how it is built from its spec (the member of LossSpec with that kind). */
export type LossImpls = { readonly [K in LossSpec['kind']]: (spec: Extract<LossSpec, { kind: K }>) => LossFn };

/**
 * The implementation of every loss kind the compiler declares
 * (compiler/kinds/losses/): keyed by the spec union, so a declared kind
 * without an entry here does not compile.
 */
export const LOSS_IMPLS: LossImpls = {
  cross_entropy: (spec) => {
    checkSmoothing(spec.label_smoothing);
    // Only the resolved form (one weight per class) weighs here; `balanced` and names need the data (setup.ts resolves them).
    return softmaxCrossEntropy(spec.label_smoothing, Array.isArray(spec.class_weight) ? (spec.class_weight as readonly number[]) : undefined);
  },
  binary_cross_entropy: (spec) => {
    checkSmoothing(spec.label_smoothing);
    return sigmoidBinaryCrossEntropy(spec.label_smoothing);
  },
  mse: () => meanSquaredError(),
  mae: () => meanAbsoluteError(),
  huber: (spec) => huber(spec.delta),
};

/**
 * The spec's loss with its class weights resolved to one per class (`weights`),
 * as the training steps use it (and data-parallel replicas receive it in their IR).
 */
export function withClassWeights(spec: LossSpec, weights: readonly number[] | undefined): LossSpec {
  return spec.kind === 'cross_entropy' && weights ? { ...spec, class_weight: [...weights] } : spec;
}

/** The loss validation and test report: class weights weigh only the training loss (Keras's `class_weight`). */
export function evaluationLoss(spec: LossSpec): LossFn {
  return makeLoss(spec.kind === 'cross_entropy' && spec.class_weight !== undefined ? { kind: spec.kind, label_smoothing: spec.label_smoothing } : spec);
}

/**
 * Builds the loss function a spec asks for. Every returned function is tidy: it leaves only the scalar it returns.
 * A cross_entropy class_weight weighs only in its resolved form (a list); see withClassWeights.
 */
export function makeLoss(spec: LossSpec): LossFn {
  const impl = LOSS_IMPLS[spec.kind] as ((s: LossSpec) => LossFn) | undefined;
  if (!impl) throw new Error(`unknown loss: ${JSON.stringify(spec)}`);
  return impl(spec);
}

function checkSmoothing(eps: number): void {
  if (!(eps >= 0 && eps < 1)) throw new RangeError(`label_smoothing must be in [0, 1), got ${eps}`);
}
