/**
 * Regression-style losses. They compare the model's raw outputs with the
 * targets (for classification specs: the logits with the one-hot labels, as
 * `MSELoss()(model(x), one_hot)` would in PyTorch); no softmax is applied.
 */
import * as tf from '@tensorflow/tfjs';

/** Mean squared error over every element (`torch.nn.MSELoss()`; Keras's mean over the last axis then the batch is the same number). */
export function meanSquaredError(): (outputs: tf.Tensor2D, targets: tf.Tensor2D) => tf.Scalar {
  return (outputs, targets) => tf.tidy(() => tf.mean(tf.squaredDifference(outputs, targets)) as tf.Scalar);
}

/** Mean absolute error over every element (`torch.nn.L1Loss()`). */
export function meanAbsoluteError(): (outputs: tf.Tensor2D, targets: tf.Tensor2D) => tf.Scalar {
  return (outputs, targets) => tf.tidy(() => tf.mean(tf.abs(tf.sub(outputs, targets))) as tf.Scalar);
}

/**
 * Huber loss with threshold δ over every element, as `torch.nn.HuberLoss(delta=δ)`:
 *
 *   d = |x − y|;  0.5·d²  if d ≤ δ,  else  δ·(d − 0.5·δ)
 *
 * Smooth-L1 with β is Huber(δ=β)/β, so at δ = 1 the two are the same.
 * Written as 0.5·q² + δ·(d − q) with q = min(d, δ): one formula, no branch,
 * and the gradient is exactly clip(x − y, −δ, δ).
 */
export function huber(delta: number): (outputs: tf.Tensor2D, targets: tf.Tensor2D) => tf.Scalar {
  if (!(delta > 0)) throw new RangeError(`huber: delta must be > 0, got ${delta}`);
  return (outputs, targets) =>
    tf.tidy(() => {
      const d = tf.abs(tf.sub(outputs, targets));
      const q = tf.minimum(d, delta);
      const elementwise = tf.add(tf.mul(0.5, tf.square(q)), tf.mul(delta, tf.sub(d, q)));
      return tf.mean(elementwise) as tf.Scalar;
    });
}
