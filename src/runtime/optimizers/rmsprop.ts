/**
 * RMSprop as `torch.optim.RMSprop` (not centered; PyTorch calls rho "alpha"):
 *
 *   g ← g + wd·p
 *   s ← ρ·s + (1 − ρ)·g²
 *   a = sqrt(s) + ε                      (ε outside the root, as PyTorch)
 *   b ← μ·b + g / a;  p ← p − lr·b       when momentum μ > 0
 *   p ← p − lr·g / a                     otherwise
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerCommon } from '../../compiler/spec.js';
import { SlotOptimizer, type Slots } from './base.js';

export interface RmspropOptions extends OptimizerCommon {
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
}

export class RmspropOptimizer extends SlotOptimizer {
  readonly kind = 'rmsprop';
  /** μ of the next steps: the spec's, or what a momentum-cycling schedule set (setMomentum). */
  private mu: number;
  private cycled = false;

  constructor(private readonly opts: RmspropOptions) {
    super(opts);
    this.mu = opts.momentum;
    if (!(opts.rho >= 0 && opts.rho < 1)) throw new RangeError(`rmsprop: rho must be in [0, 1), got ${opts.rho}`);
    if (!(opts.momentum >= 0)) throw new RangeError(`rmsprop: momentum must be >= 0, got ${opts.momentum}`);
  }

  setMomentum(momentum: number): void {
    this.mu = momentum;
    this.cycled = true;
  }

  protected slotSpecs(): Readonly<Record<string, number>> {
    return this.opts.momentum > 0 || this.cycled ? { square_avg: 0, momentum: 0 } : { square_avg: 0 };
  }

  protected updateVariable(p: tf.Variable, g: tf.Tensor, slots: Slots, lr: number): void {
    const { rho, epsilon } = this.opts;
    const momentum = this.mu;
    const s = tf.add(tf.mul(slots.square_avg, rho), tf.mul(tf.square(g), 1 - rho));
    slots.square_avg.assign(s);
    let direction = tf.div(g, tf.add(tf.sqrt(s), epsilon));
    if (momentum > 0) {
      const b = tf.add(tf.mul(slots.momentum, momentum), direction);
      slots.momentum.assign(b);
      direction = b;
    }
    p.assign(tf.sub(p, tf.mul(direction, lr)));
  }
}
