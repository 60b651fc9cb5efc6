/** top_k_accuracy (runtime/metrics/kinds.ts reads it from the MetricsReport; the accumulator counts the hits). */
import { integer } from '../../front/schema/helpers.js';
import type { MetricSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

const defaults = { k: 5 };

export const topKAccuracy: KindDecl<Of<MetricSpec, 'top_k_accuracy'>> = {
  kind: 'top_k_accuracy',
  description: 'Fraction of samples whose true class is among the k highest scores.',
  attrs: { k: integer('How many top classes count.', { minimum: 1, default: defaults.k, examples: [5] }) },
  shorthand: { schema: integer('Shorthand for `{k: …}`.', { minimum: 1, examples: [5] }), key: 'k' },
  defaults,
};
