/**
 * CSV files of metrics, RFC 4180 (fields quoted when they hold a comma, a
 * quote or a line break), written atomically so a killed run never leaves a
 * half-written file.
 */
import { writeFileAtomic } from '../run-dir/write-atomic.js';
import type { MetricsReport } from '../contracts.js';

/** One CSV field. */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvLines(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

/** The confusion matrix as CSV: header `true\pred,<names…>`, then one row per true class. */
export function confusionMatrixCsv(report: MetricsReport, classNames: readonly string[]): string {
  const names = report.confusion.map((_, i) => classNames[i] ?? String(i));
  return csvLines([['true\\pred', ...names], ...report.confusion.map((row, i) => [names[i], ...row])]);
}

/** Per-class precision/recall/F1/support plus a macro row, as CSV. */
export function perClassMetricsCsv(report: MetricsReport, classNames: readonly string[]): string {
  const rows: (string | number)[][] = [['class', 'precision', 'recall', 'f1', 'support']];
  report.perClass.forEach((m, i) => rows.push([classNames[i] ?? String(i), m.precision, m.recall, m.f1, m.support]));
  rows.push(['macro avg', report.macro.precision, report.macro.recall, report.macro.f1, report.samples]);
  return csvLines(rows);
}

/** Writes text to path whole or not at all (the one atomic write: run-dir/write-atomic.ts). */
export { writeFileAtomic };

/** Writes the confusion matrix CSV to path (atomically). */
export async function writeConfusionMatrixCsv(path: string, report: MetricsReport, classNames: readonly string[]): Promise<void> {
  await writeFileAtomic(path, confusionMatrixCsv(report, classNames));
}
