import { number, type Schema } from '../../front/schema/helpers.js';

/** label_smoothing, shared by the cross-entropy losses. */
export const smoothing = (d: number): Schema => number('Label smoothing: targets become (1 − ε)·onehot + ε/classes.', { minimum: 0, maximum: 1, default: d, examples: [0.1] });
