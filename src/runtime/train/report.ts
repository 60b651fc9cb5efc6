/** The end-of-run report: report.json contents and the tables printed to stdout. */
import type { MetricSpec } from '../../compiler/spec.js';
import type { MetricsReport } from '../contracts.js';
import { formatConfusionMatrix, formatMetricsTable } from '../metrics/index.js';
import { formatTargetMetrics, targetMetricsJson } from '../metrics/target-format.js';

/** The tables for a report, as the spec's metrics ask (confusion matrix only when listed). */
export function formatReport(title: string, loss: number, report: MetricsReport, classNames: readonly string[], metrics: readonly MetricSpec[]): string {
  // Regression: no accuracy and no class table, the regression metrics instead.
  if (report.regression) return `${title}: ${report.samples} samples, loss ${loss.toFixed(4)}\n\n${formatTargetMetrics(report)}\n`;
  const parts = [`${title}: ${report.samples} samples, loss ${loss.toFixed(4)}, accuracy ${(report.accuracy * 100).toFixed(2)}%`, '', formatMetricsTable(report, classNames, metrics)];
  const task = formatTargetMetrics(report);
  if (task) parts.push('', task);
  if (metrics.some((m) => m.kind === 'confusion_matrix')) parts.push('', 'Confusion matrix (rows: true, columns: predicted)', formatConfusionMatrix(report, classNames));
  return parts.join('\n').replace(/\n*$/, '\n');
}

/** The JSON-friendly summary of one evaluation. */
export function reportJson(loss: number, report: MetricsReport, classNames: readonly string[]): Record<string, unknown> {
  return {
    samples: report.samples,
    loss,
    accuracy: report.accuracy,
    top_k_accuracy: report.topK,
    macro: report.macro,
    per_class: report.perClass.map((c, i) => ({ class: classNames[i] ?? String(i), ...c })),
    confusion: report.confusion,
    ...targetMetricsJson(report),
  };
}
