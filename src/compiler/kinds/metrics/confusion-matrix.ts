/** confusion_matrix (runtime/metrics/kinds.ts reads it from the MetricsReport). */
import type { MetricSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

export const confusionMatrix: KindDecl<Of<MetricSpec, 'confusion_matrix'>> = {
  kind: 'confusion_matrix',
  description: 'Confusion matrix (rows: true class, columns: predicted).',
  attrs: {},
  defaults: {},
};
