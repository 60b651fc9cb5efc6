/** roc_auc (runtime/metrics/kinds.ts reads it from the MetricsReport). */
import type { MetricSpec } from '../../spec.js';
import type { KindDecl, Of } from '../kind.js';

export const rocAuc: KindDecl<Of<MetricSpec, 'roc_auc'>> = {
  kind: 'roc_auc',
  description: 'ROC AUC: of the class-1 score for two classes, the macro mean over the labels for multi-label targets.',
  attrs: {},
  defaults: {},
};
