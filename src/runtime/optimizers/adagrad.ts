/**
 * Adagrad as `torch.optim.Adagrad` (lr_decay 0):
 *
 *   g ← g + wd·p
 *   s ← s + g²                      (s starts at initial_accumulator_value)
 *   p ← p − lr·g / (sqrt(s) + ε)
 *
 * PyTorch's default initial_accumulator_value is 0, Keras's 0.1; the spec
 * states it.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerCommon } from '../../compiler/spec.js';
import { SlotOptimizer, type Slots } from './base.js';

export interface AdagradOptions extends OptimizerCommon {
  readonly initial_accumulator_value: number;
  readonly epsilon: number;
}

export class AdagradOptimizer extends SlotOptimizer {
  readonly kind = 'adagrad';

  constructor(private readonly opts: AdagradOptions) {
    super(opts);
    if (!(opts.initial_accumulator_value >= 0)) throw new RangeError(`adagrad: initial_accumulator_value must be >= 0, got ${opts.initial_accumulator_value}`);
  }

  protected slotSpecs(): Readonly<Record<string, number>> {
    return { sum: this.opts.initial_accumulator_value };
  }

  protected updateVariable(p: tf.Variable, g: tf.Tensor, slots: Slots, lr: number): void {
    const s = tf.add(slots.sum, tf.square(g));
    slots.sum.assign(s);
    p.assign(tf.sub(p, tf.mul(tf.div(g, tf.add(tf.sqrt(s), this.opts.epsilon)), lr)));
  }
}
