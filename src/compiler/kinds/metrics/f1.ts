/** f1 (runtime/metrics/kinds.ts reads it from the MetricsReport). */
import type { MetricSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

export const f1: KindDecl<Of<MetricSpec, 'f1'>> = {
  kind: 'f1',
  description: 'Macro-averaged F1 score.',
  attrs: {},
  defaults: {},
};
