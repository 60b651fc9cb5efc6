/**
 * Classification losses computed from logits (never from probabilities), in
 * the numerically stable forms PyTorch and TensorFlow use.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Softmax cross-entropy from logits, averaged over the batch, as
 * `torch.nn.CrossEntropyLoss(label_smoothing=ε)` with one-hot (or soft) targets:
 *
 *   q = (1 − ε)·y + ε/K          (K classes; ε spread uniformly over all K)
 *   loss_i = −Σ_k q_k · logSoftmax(x_i)_k
 *
 * logSoftmax subtracts the row maximum before exponentiating, so large
 * logits never overflow.
 */
export function softmaxCrossEntropy(labelSmoothing: number): (logits: tf.Tensor2D, targets: tf.Tensor2D) => tf.Scalar {
  return (logits, targets) =>
    tf.tidy(() => {
      const k = logits.shape[1];
      const q = labelSmoothing > 0 ? targets.mul(1 - labelSmoothing).add(labelSmoothing / k) : targets;
      const perSample = tf.neg(tf.sum(tf.mul(q, tf.logSoftmax(logits, 1)), 1));
      return tf.mean(perSample) as tf.Scalar;
    });
}

/**
 * Binary cross-entropy from logits (independent sigmoid per output), averaged
 * over every element — `torch.nn.BCEWithLogitsLoss()` with reduction 'mean'.
 * Label smoothing follows Keras: t' = t·(1 − ε) + ε/2.
 *
 * Stable form (no log of a probability that may round to 0):
 *   loss = max(x, 0) − x·t + log(1 + exp(−|x|))
 */
export function sigmoidBinaryCrossEntropy(labelSmoothing: number): (logits: tf.Tensor2D, targets: tf.Tensor2D) => tf.Scalar {
  return (logits, targets) =>
    tf.tidy(() => {
      const t = labelSmoothing > 0 ? targets.mul(1 - labelSmoothing).add(labelSmoothing / 2) : targets;
      const elementwise = tf.relu(logits).sub(logits.mul(t)).add(tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
      return tf.mean(elementwise) as tf.Scalar;
    });
}
