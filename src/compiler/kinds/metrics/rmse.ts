/** rmse (runtime/metrics/kinds.ts reads it from the MetricsReport). */
import type { MetricSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

export const rmse: KindDecl<Of<MetricSpec, 'rmse'>> = {
  kind: 'rmse',
  description: 'Root mean squared error of real targets (the mean over the outputs; report.json has each output).',
  attrs: {},
  defaults: {},
};
