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
 *
 * With class weights w (one per class) each term is weighted by its class,
 * loss_i = −Σ_k q_k · w_k · logSoftmax(x_i)_k (for one-hot targets and ε = 0:
 * w_{y_i} · CE_i, PyTorch's weighted terms, label smoothing included), and the
 * batch value is Σ_i loss_i / B — Keras's `class_weight` convention, i.e.
 * `CrossEntropyLoss(weight=w, reduction='sum')(x, y) / B`, not PyTorch's
 * `reduction='mean'`, which divides by Σ_i w_{y_i}. Dividing by the batch
 * size keeps a data-parallel replica's share of a batch a plain n/B, and
 * balanced weights average 1 over the training rows, so the loss keeps its scale.
 */
export function softmaxCrossEntropy(labelSmoothing: number, classWeights?: readonly number[]): (logits: tf.Tensor2D, targets: tf.Tensor2D) => tf.Scalar {
  return (logits, targets) =>
    tf.tidy(() => {
      const k = logits.shape[1];
      if (classWeights && classWeights.length !== k) throw new RangeError(`cross_entropy: ${classWeights.length} class weights for ${k} outputs`);
      const q = labelSmoothing > 0 ? targets.mul(1 - labelSmoothing).add(labelSmoothing / k) : targets;
      const qw = classWeights ? q.mul(tf.tensor1d(classWeights as number[], 'float32')) : q;
      const perSample = tf.neg(tf.sum(tf.mul(qw, tf.logSoftmax(logits, 1)), 1));
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
