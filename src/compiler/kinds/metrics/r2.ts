/** r2 (runtime/metrics/kinds.ts reads it from the MetricsReport). */
import type { MetricSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

export const r2: KindDecl<Of<MetricSpec, 'r2'>> = {
  kind: 'r2',
  description: 'Coefficient of determination R² of real targets (scikit-learn `r2_score`, uniform mean over the outputs).',
  attrs: {},
  defaults: {},
};
