/**
 * Adam and AdamW, as `torch.optim.Adam` / `torch.optim.AdamW` (amsgrad off):
 *
 *   p ← p·(1 − lr·wd)                        AdamW only (decoupled decay)
 *   g ← g + wd·p                             Adam only (L2 in the gradient)
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   p ← p − (lr / (1 − β1^t)) · m / (sqrt(v) / sqrt(1 − β2^t) + ε)
 *
 * Epsilon placement is PyTorch's: ε is added to the bias-corrected sqrt(v̂).
 * Keras instead folds the corrections into the step size and adds ε to the
 * uncorrected sqrt(v) ("epsilon hat"), which acts like a larger ε early in
 * training; with the same ε the two differ only while 1 − β2^t is small.
 * Weight decay applies to every trainable variable (biases and norm scales
 * too); excluding those is a common variant dlc does not implement yet.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerCommon } from '../../compiler/spec.js';
import { SlotOptimizer, type Slots } from './base.js';

export interface AdamOptions extends OptimizerCommon {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** true: AdamW's decoupled weight decay; false: Adam's L2 in the gradient. */
  readonly decoupled: boolean;
}

export class AdamOptimizer extends SlotOptimizer {
  readonly kind: 'adam' | 'adamw';
  /** β1 of the next steps: the spec's, or what a momentum-cycling schedule set (one_cycle cycles beta1, as PyTorch). */
  private beta1: number;

  constructor(private readonly opts: AdamOptions) {
    super(opts);
    this.beta1 = opts.beta1;
    this.kind = opts.decoupled ? 'adamw' : 'adam';
    for (const [k, b] of [['beta1', opts.beta1], ['beta2', opts.beta2]] as const) {
      if (!(b >= 0 && b < 1)) throw new RangeError(`${this.kind}: ${k} must be in [0, 1), got ${b}`);
    }
    if (!(opts.epsilon >= 0)) throw new RangeError(`${this.kind}: epsilon must be >= 0, got ${opts.epsilon}`);
  }

  /** PyTorch's bias correction then uses the current β1: 1 − β1^t. */
  setMomentum(beta1: number): void {
    this.beta1 = beta1;
  }

  protected slotSpecs(): Readonly<Record<string, number>> {
    return { m: 0, v: 0 };
  }

  protected override couplesWeightDecay(): boolean {
    return !this.opts.decoupled;
  }

  protected updateVariable(p: tf.Variable, g: tf.Tensor, slots: Slots, lr: number, step: number): void {
    const { beta2, epsilon, decoupled } = this.opts;
    const beta1 = this.beta1;
    const wd = this.common.weight_decay;
    let param: tf.Tensor = p;
    if (decoupled && wd > 0) param = tf.mul(p, 1 - lr * wd);
    const m = tf.add(tf.mul(slots.m, beta1), tf.mul(g, 1 - beta1));
    const v = tf.add(tf.mul(slots.v, beta2), tf.mul(tf.square(g), 1 - beta2));
    slots.m.assign(m);
    slots.v.assign(v);
    const bc1 = 1 - beta1 ** step;
    const bc2 = 1 - beta2 ** step;
    const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(bc2)), epsilon);
    p.assign(tf.sub(param, tf.mul(tf.div(m, denom), lr / bc1)));
  }
}
