/**
 * Batch norm with PyTorch's running variance (`conventions: pytorch`,
 * compiler/ops/recipe.ts names it `torchBatchNormalization`): tfjs's
 * BatchNormalization moves its running variance toward the *biased* batch
 * variance, PyTorch's `nn.BatchNorm*` toward the unbiased one (× n/(n−1),
 * n = values per channel in the batch). This layer is tfjs's, plus the
 * missing (1 − momentum)·var_b/(n − 1) after each training call, so
 *
 *   running_var ← m·running_var + (1 − m)·var_b·n/(n − 1)     (m: the Keras momentum)
 *
 * as PyTorch (whose momentum is 1 − m). Normalisation itself (batch
 * statistics in training, running ones in inference) is tfjs's, which is
 * PyTorch's too. It is saved as a plain `BatchNormalization` (its class
 * name), so saved models load anywhere with the same inference.
 */
import * as tf from '@tensorflow/tfjs';

type BatchNormArgs = Parameters<typeof tf.layers.batchNormalization>[0];
type Kwargs = Record<string, unknown>;

/** tfjs's BatchNormalization class (tf.layers exports only its factory). */
const BatchNormalization = tf.layers.batchNormalization({}).constructor as new (args: BatchNormArgs) => tf.layers.Layer;

/** The fields of tfjs's BatchNormalization this layer reads. */
interface BatchNormInternals {
  readonly momentum: number;
  readonly axis: number;
  readonly movingVariance: { read(): tf.Tensor; write(v: tf.Tensor): void };
}

export class TorchBatchNormalization extends BatchNormalization {
  /** Serialised as tfjs's own layer: inference is identical. */
  static readonly className = 'BatchNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const out = super.call(inputs, kwargs);
    if (kwargs['training'] !== true) return out;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const self = this as unknown as BatchNormInternals;
    const axis = self.axis >= 0 ? self.axis : self.axis + x.rank;
    const n = x.size / x.shape[axis];
    if (n <= 1) return out;
    tf.tidy(() => {
      const axes = [...Array(x.rank).keys()].filter((a) => a !== axis);
      const { variance } = tf.moments(x, axes);
      const mv = self.movingVariance;
      mv.write(tf.add(mv.read(), tf.mul(variance, (1 - self.momentum) / (n - 1))));
    });
    return out;
  }
}

/** The recipe's `torchBatchNormalization` call: tfjs batchNormalization's config. */
export function torchBatchNormalization(args: BatchNormArgs): tf.layers.Layer {
  return new TorchBatchNormalization(args);
}
