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

  constructor(private readonly opts: SgdOptions) {
    super(opts);
    if (!(opts.momentum >= 0)) throw new RangeError(`sgd: momentum must be >= 0, got ${opts.momentum}`);
    if (opts.nesterov && opts.momentum <= 0) throw new RangeError('sgd: nesterov needs momentum > 0');
  }

  protected slotSpecs(): Readonly<Record<string, number>> {
    return this.opts.momentum > 0 ? { momentum: 0 } : {};
  }

  protected updateVariable(p: tf.Variable, g: tf.Tensor, slots: Slots, lr: number): void {
    const mu = this.opts.momentum;
    let direction = g;
    if (mu > 0) {
      const buf = slots.momentum;
      const v = tf.add(tf.mul(buf, mu), g);
      buf.assign(v);
      direction = this.opts.nesterov ? tf.add(g, tf.mul(v, mu)) : v;
    }
    p.assign(tf.sub(p, tf.mul(direction, lr)));
  }
}
