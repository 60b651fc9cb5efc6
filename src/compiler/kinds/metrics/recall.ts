/** recall (runtime/metrics/kinds.ts reads it from the MetricsReport). */
import type { MetricSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

export const recall: KindDecl<Of<MetricSpec, 'recall'>> = {
  kind: 'recall',
  description: 'Macro-averaged recall.',
  attrs: {},
  defaults: {},
};
