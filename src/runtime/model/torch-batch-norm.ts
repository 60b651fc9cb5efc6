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
 *
 * Both this layer and `DlcBatchNormalization` (the recipe's plain
 * `batchNormalization`, Keras conventions) compute their training call
 * with the fused wasm kernels when the backend is wasm
 * (sync-batch-norm.ts, `trainingBatchNorm`); elsewhere they are tfjs's
 * layer (plus the correction above).
 */
import * as tf from '@tensorflow/tfjs';
import { canFuseBatchNorm, trainingBatchNorm, type BatchNormInternals as FusedInternals } from './sync-batch-norm.js';

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

/**
 * tfjs's BatchNormalization whose training call is fused on wasm (one pass
 * for the statistics, one for the output; two for the gradient). Same
 * results up to rounding, same running statistics; saved under tfjs's class
 * name. Other backends: tfjs's layer exactly.
 */
export class DlcBatchNormalization extends BatchNormalization {
  /** Serialised as tfjs's own layer: inference is identical. */
  static readonly className = 'BatchNormalization';

  /** PyTorch's running variance (TorchBatchNormalization); read by sync-batch-norm.ts too. */
  get unbiasedRunningVariance(): boolean {
    return false;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs['training'] === true && x !== undefined && canFuseBatchNorm(this as unknown as FusedInternals, x)) {
      return trainingBatchNorm(this as unknown as FusedInternals, x, this.unbiasedRunningVariance);
    }
    return super.call(inputs, kwargs);
  }
}

/** The recipe's `batchNormalization` call in dlc's runtime: tfjs's layer, fused on wasm. */
export function dlcBatchNormalization(args: BatchNormArgs): tf.layers.Layer {
  return new DlcBatchNormalization(args);
}

export class TorchBatchNormalization extends DlcBatchNormalization {
  /** Serialised as tfjs's own layer: inference is identical. */
  static override readonly className = 'BatchNormalization';

  override get unbiasedRunningVariance(): boolean {
    return true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const first = Array.isArray(inputs) ? inputs[0] : inputs;
    // The fused path moves the running variance PyTorch's way itself.
    if (kwargs['training'] === true && first !== undefined && canFuseBatchNorm(this as unknown as FusedInternals, first)) return super.call(inputs, kwargs);
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
