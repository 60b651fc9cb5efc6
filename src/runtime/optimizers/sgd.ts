/**
 * SGD with optional momentum and Nesterov momentum, in PyTorch's formulation
 * (`torch.optim.SGD`, dampening 0):
 *
 *   g ← g + wd·p                     (weight decay, if any)
 *   v ← μ·v + g                      (v starts at 0, so the first v is g)
 *   p ← p − lr·(g + μ·v)   Nesterov
 *   p ← p − lr·v           otherwise
 *
 * Note the learning rate multiplies the whole buffer at each step (unlike
 * Keras/Sutskever's v ← μv − lr·g), so changing lr mid-run takes effect at once.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerCommon } from '../../compiler/spec.js';
import { SlotOptimizer, type Slots } from './base.js';

export interface SgdOptions extends OptimizerCommon {
  readonly momentum: number;
  readonly nesterov: boolean;
}

export class SgdOptimizer extends SlotOptimizer {
  readonly kind = 'sgd';
  /** μ of the next steps: the spec's, or what a momentum-cycling schedule set (setMomentum). */
  private mu: number;
  /** A schedule sets μ (one_cycle): the buffer exists even when the spec's momentum is 0, as in PyTorch. */
  private cycled = false;

  constructor(private readonly opts: SgdOptions) {
    super(opts);
    this.mu = opts.momentum;
    if (!(opts.momentum >= 0)) throw new RangeError(`sgd: momentum must be >= 0, got ${opts.momentum}`);
    if (opts.nesterov && opts.momentum <= 0) throw new RangeError('sgd: nesterov needs momentum > 0');
  }

  setMomentum(momentum: number): void {
    this.mu = momentum;
    this.cycled = true;
  }

  protected slotSpecs(): Readonly<Record<string, number>> {
    return this.opts.momentum > 0 || this.cycled ? { momentum: 0 } : {};
  }

  protected updateVariable(p: tf.Variable, g: tf.Tensor, slots: Slots, lr: number): void {
    const mu = this.mu;
    let direction = g;
    if (mu > 0 || this.cycled) {
      const buf = slots.momentum;
      const v = tf.add(tf.mul(buf, mu), g);
      buf.assign(v);
      direction = this.opts.nesterov ? tf.add(g, tf.mul(v, mu)) : v;
    }
    p.assign(tf.sub(p, tf.mul(direction, lr)));
  }
}
