/**
 * Gradient preprocessing shared by every optimizer, applied in the order a
 * PyTorch training loop does it: clipping first (what the loop calls between
 * `backward()` and `step()`), then the optimizer's own weight decay.
 */
import * as tf from '@tensorflow/tfjs';

/** Elementwise clip to [−c, c] (`torch.nn.utils.clip_grad_value_`). Call inside a tidy. */
export function clipByValue(grads: readonly tf.Tensor[], clipValue: number): tf.Tensor[] {
  return grads.map((g) => tf.clipByValue(g, -clipValue, clipValue));
}

/**
 * Scales all gradients together so their global L2 norm is at most maxNorm,
 * exactly as `torch.nn.utils.clip_grad_norm_`:
 *
 *   total = sqrt(Σ_all g²);  coef = min(1, maxNorm / (total + 1e-6));  g ← g·coef
 *
 * The norm stays a tensor (no GPU→CPU sync per step). Call inside a tidy.
 */
export function clipByGlobalNorm(grads: readonly tf.Tensor[], maxNorm: number): tf.Tensor[] {
  if (grads.length === 0) return [];
  const total = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
  const coef = tf.minimum(tf.scalar(1), tf.div(tf.scalar(maxNorm), tf.add(total, 1e-6)));
  return grads.map((g) => tf.mul(g, coef));
}

/** The global L2 norm of a set of gradients, as a JS number (for logging and tests). */
export function globalNorm(grads: readonly tf.Tensor[]): number {
  if (grads.length === 0) return 0;
  return tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))).dataSync()[0]);
}
