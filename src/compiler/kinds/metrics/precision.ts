/** precision (runtime/metrics/kinds.ts reads it from the MetricsReport). */
import type { MetricSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

export const precision: KindDecl<Of<MetricSpec, 'precision'>> = {
  kind: 'precision',
  description: 'Macro-averaged precision.',
  attrs: {},
  defaults: {},
};
