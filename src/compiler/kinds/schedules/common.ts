import { number, type Schema } from '../../front/schema/helpers.js';

/** Every schedule but one_cycle (which has its own ramp) warms up linearly. */
export const WARMUP_DEFAULTS = { warmup_epochs: 0 };
export const warmup = (): Schema => number('Epochs of linear warm-up from 0 to the base learning rate.', { minimum: 0, default: WARMUP_DEFAULTS.warmup_epochs, examples: [1] });
export const gamma = (d?: number): Schema => number('Multiplicative decay factor.', { exclusiveMinimum: 0, maximum: 1, ...(d === undefined ? {} : { default: d }), examples: [0.1] });
