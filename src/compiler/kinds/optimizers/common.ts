/** Attributes every optimizer has: learning rate, weight decay, gradient clipping (Keras-style). */
import { number, type Schema } from '../../front/schema/helpers.js';

export const lr = (d: number): Schema => number('Learning rate (the base rate the schedule scales).', { exclusiveMinimum: 0, default: d, examples: [d] });
export const eps = (d: number): Schema => number('Numerical-stability constant.', { exclusiveMinimum: 0, default: d });
export const beta = (d: number, what: string): Schema => number(`Decay rate of the ${what} moment estimate.`, { minimum: 0, maximum: 1, default: d });

/** weight_decay, clip_norm, clip_value (listed after the kind's own attributes). */
export const optCommon = (wd: number) => ({
  weight_decay: number('L2 weight decay (adamw: decoupled).', { minimum: 0, default: wd, examples: [0.0005] }),
  clip_norm: number('Clip each gradient to this L2 norm.', { exclusiveMinimum: 0, examples: [1] }),
  clip_value: number('Clip each gradient element to [−value, value].', { exclusiveMinimum: 0, examples: [0.5] }),
});

/** Defaults every optimizer shares; they come first in a normalised optimizer. */
export const COMMON_DEFAULTS = { weight_decay: 0 };
