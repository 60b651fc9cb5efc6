/** accuracy (runtime/metrics/kinds.ts reads it from the MetricsReport). */
import type { MetricSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

export const accuracy: KindDecl<Of<MetricSpec, 'accuracy'>> = {
  kind: 'accuracy',
  description: 'Fraction of samples classified correctly.',
  attrs: {},
  defaults: {},
};
