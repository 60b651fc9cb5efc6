/** Terminal lines and report.json fields of the task metrics (regression, multi-label, ROC AUC). */
import type { MetricsReport } from '../contracts.js';

const f4 = (v: number): string => (Number.isNaN(v) ? 'n/a' : v.toFixed(4));

/** Lines for the terminal summary; empty for a plain class report without ROC AUC. */
export function formatTargetMetrics(report: MetricsReport, names: readonly string[] = []): string {
  const lines: string[] = [];
  const r = report.regression;
  if (r) {
    lines.push(`MAE ${f4(r.mae)}, RMSE ${f4(r.rmse)}, R² ${f4(r.r2)}${r.perOutput.length > 1 ? ' (means over the outputs)' : ''}`);
    if (r.perOutput.length > 1) {
      lines.push('output        MAE      RMSE        R²');
      r.perOutput.forEach((o, j) => lines.push(`${(names[j] ?? String(j)).slice(0, 10).padEnd(10)} ${f4(o.mae).padStart(9)} ${f4(o.rmse).padStart(9)} ${f4(o.r2).padStart(9)}`));
    }
  }
  const m = report.multiLabel;
  if (m) {
    lines.push(`exact-match accuracy ${f4(m.subsetAccuracy)}`);
    lines.push(`micro precision ${f4(m.micro.precision)}, recall ${f4(m.micro.recall)}, F1 ${f4(m.micro.f1)}`);
    lines.push(`macro precision ${f4(m.macro.precision)}, recall ${f4(m.macro.recall)}, F1 ${f4(m.macro.f1)}, ROC AUC ${f4(m.rocAuc.macro)}`);
  }
  if (report.rocAuc !== undefined) lines.push(`ROC AUC ${f4(report.rocAuc)}`);
  return lines.join('\n');
}

/** The report.json fields of the task metrics (absent ones left out). */
export function targetMetricsJson(report: MetricsReport): Record<string, unknown> {
  return {
    ...(report.regression ? { regression: report.regression } : {}),
    ...(report.multiLabel ? { multi_label: { ...report.multiLabel, rocAuc: { perLabel: report.multiLabel.rocAuc.perLabel.map((v) => (Number.isNaN(v) ? null : v)), macro: Number.isNaN(report.multiLabel.rocAuc.macro) ? null : report.multiLabel.rocAuc.macro } } } : {}),
    ...(report.rocAuc !== undefined ? { roc_auc: Number.isNaN(report.rocAuc) ? null : report.rocAuc } : {}),
  };
}
