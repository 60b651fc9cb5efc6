/** mae (runtime/metrics/kinds.ts reads it from the MetricsReport). */
import type { MetricSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

export const mae: KindDecl<Of<MetricSpec, 'mae'>> = {
  kind: 'mae',
  description: 'Mean absolute error of real targets (the mean over the outputs; report.json has each output).',
  attrs: {},
  defaults: {},
};
