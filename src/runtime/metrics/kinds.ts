/**
 * What each metric kind the compiler declares (compiler/kinds/metrics/)
 * reads from a MetricsReport. The accumulator computes everything a report
 * holds in one pass (confusion matrix and top-k hits); a metric kind is the
 * name, the value and whether it is a scalar or a table. Keyed by the spec
 * union, so a declared kind without an entry here does not compile.
 */
import type { MetricSpec } from '../../compiler/spec.js';
import type { MetricsReport } from '../contracts.js';

export type MetricValue =
  | { readonly kind: 'scalar'; readonly label: string; readonly value: number }
  | { readonly kind: 'matrix'; readonly label: string; readonly rows: readonly (readonly number[])[] };

/** A kind of metric → its value in a report (undefined when the report does not hold it, e.g. a k not tracked). */
export type MetricImpls = { readonly [K in MetricSpec['kind']]: (report: MetricsReport, spec: MetricSpec & { kind: K }) => MetricValue | undefined };

const scalar = (label: string, value: number): MetricValue => ({ kind: 'scalar', label, value });

export const METRIC_IMPLS: MetricImpls = {
  accuracy: (r) => scalar('accuracy', r.accuracy),
  precision: (r) => scalar('macro precision', r.macro.precision),
  recall: (r) => scalar('macro recall', r.macro.recall),
  f1: (r) => scalar('macro F1', r.macro.f1),
  confusion_matrix: (r) => ({ kind: 'matrix', label: 'confusion matrix', rows: r.confusion }),
  mae: (r) => (r.regression ? scalar('MAE', r.regression.mae) : undefined),
  rmse: (r) => (r.regression ? scalar('RMSE', r.regression.rmse) : undefined),
  r2: (r) => (r.regression ? scalar('R²', r.regression.r2) : undefined),
  roc_auc: (r) => (r.multiLabel ? scalar('macro ROC AUC', r.multiLabel.rocAuc.macro) : r.rocAuc !== undefined ? scalar('ROC AUC', r.rocAuc) : undefined),
  top_k_accuracy: (r, spec) => (r.topK[spec.k] === undefined ? undefined : scalar(`top-${spec.k} accuracy`, r.topK[spec.k])),
};

/** The value of one metric of the spec in a report. */
export function metricValue(report: MetricsReport, spec: MetricSpec): MetricValue | undefined {
  const impl = METRIC_IMPLS[spec.kind] as ((r: MetricsReport, s: MetricSpec) => MetricValue | undefined) | undefined;
  if (!impl) throw new Error(`unknown metric: ${JSON.stringify(spec)}`);
  return impl(report, spec);
}
