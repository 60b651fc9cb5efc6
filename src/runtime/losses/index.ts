/**
 * Losses: `makeLoss(spec)` turns the spec's loss into a `LossFn` taking the
 * model's logits and one-hot targets and returning the batch mean.
 */
import type { LossSpec } from '../../compiler/spec.js';
import type { LossFn } from '../contracts.js';
import { sigmoidBinaryCrossEntropy, softmaxCrossEntropy } from './classification.js';
import { huber, meanSquaredError } from './regression.js';

export { sigmoidBinaryCrossEntropy, softmaxCrossEntropy } from './classification.js';
export { huber, meanSquaredError } from './regression.js';

/** Builds the loss function a spec asks for. Every returned function is tidy: it leaves only the scalar it returns. */
export function makeLoss(spec: LossSpec): LossFn {
  switch (spec.kind) {
    case 'cross_entropy':
      checkSmoothing(spec.label_smoothing);
      return softmaxCrossEntropy(spec.label_smoothing);
    case 'binary_cross_entropy':
      checkSmoothing(spec.label_smoothing);
      return sigmoidBinaryCrossEntropy(spec.label_smoothing);
    case 'mse':
      return meanSquaredError();
    case 'huber':
      return huber(spec.delta);
    default:
      return assertNever(spec);
  }
}

function checkSmoothing(eps: number): void {
  if (!(eps >= 0 && eps < 1)) throw new RangeError(`label_smoothing must be in [0, 1), got ${eps}`);
}

function assertNever(x: never): never {
  throw new Error(`unknown loss: ${JSON.stringify(x)}`);
}
