/** Every metric kind, by name (the `metrics:` list). The runtime's implementations: runtime/metrics/kinds.ts. */
import type { MetricSpec } from '../../spec.js';
import type { Family } from '../kind.js';
import { accuracy } from './accuracy.js';
import { confusionMatrix } from './confusion-matrix.js';
import { f1 } from './f1.js';
import { precision } from './precision.js';
import { recall } from './recall.js';
import { topKAccuracy } from './top-k-accuracy.js';
import { mae } from './mae.js';
import { rmse } from './rmse.js';
import { r2 } from './r2.js';
import { rocAuc } from './roc-auc.js';

export const METRICS = {
  accuracy,
  precision,
  recall,
  f1,
  confusion_matrix: confusionMatrix,
  top_k_accuracy: topKAccuracy,
  mae,
  rmse,
  r2,
  roc_auc: rocAuc,
} as const satisfies Family<MetricSpec>;

/** The metrics when the spec lists none. */
export const DEFAULT_METRICS: readonly MetricSpec['kind'][] = ['accuracy'];
