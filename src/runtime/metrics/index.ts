/**
 * Classification metrics: accumulate per batch, report (accuracy, top-k,
 * per-class and macro precision/recall/F1, confusion matrix), format as
 * tables, write as CSV.
 */
export { MetricsAccumulator, metricsFromPredictions, topKFromSpecs, type AccumulatorOptions } from './accumulator.js';
export { reportFromConfusion } from './report.js';
export { METRIC_IMPLS, metricValue, type MetricImpls, type MetricValue } from './kinds.js';
export { formatConfusionMatrix, formatMetricsTable } from './format.js';
export { confusionMatrixCsv, csvField, perClassMetricsCsv, writeConfusionMatrixCsv, writeFileAtomic } from './csv.js';
