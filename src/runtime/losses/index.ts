/**
 * Losses: `makeLoss(spec)` turns the spec's loss into a `LossFn` taking the
 * model's logits and one-hot targets and returning the batch mean.
 */
import type { LossSpec } from '../../compiler/spec.js';
import type { LossFn } from '../contracts.js';
import { sigmoidBinaryCrossEntropy, softmaxCrossEntropy } from './classification.js';
import { huber, meanAbsoluteError, meanSquaredError } from './regression.js';

export { sigmoidBinaryCrossEntropy, softmaxCrossEntropy } from './classification.js';
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
    return softmaxCrossEntropy(spec.label_smoothing);
  },
  binary_cross_entropy: (spec) => {
    checkSmoothing(spec.label_smoothing);
    return sigmoidBinaryCrossEntropy(spec.label_smoothing);
  },
  mse: () => meanSquaredError(),
  mae: () => meanAbsoluteError(),
  huber: (spec) => huber(spec.delta),
};

/** Builds the loss function a spec asks for. Every returned function is tidy: it leaves only the scalar it returns. */
export function makeLoss(spec: LossSpec): LossFn {
  const impl = LOSS_IMPLS[spec.kind] as ((s: LossSpec) => LossFn) | undefined;
  if (!impl) throw new Error(`unknown loss: ${JSON.stringify(spec)}`);
  return impl(spec);
}

function checkSmoothing(eps: number): void {
  if (!(eps >= 0 && eps < 1)) throw new RangeError(`label_smoothing must be in [0, 1), got ${eps}`);
}
