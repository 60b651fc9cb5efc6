/**
 * Plain-text tables of a MetricsReport for the terminal, in the layout of
 * scikit-learn's classification_report: one row per class, a macro-average
 * row, then accuracy lines. Columns are right-aligned; no colour, so the
 * same text goes to logs and files.
 */
import type { MetricSpec } from '../../compiler/spec.js';
import type { MetricsReport } from '../contracts.js';

const DIGITS = 4;
const ALL_METRICS: readonly MetricSpec[] = [{ kind: 'accuracy' }, { kind: 'precision' }, { kind: 'recall' }, { kind: 'f1' }];
/** Wider than this, the confusion matrix labels its columns by class index. */
const MAX_MATRIX_WIDTH = 120;

/** Class names for display; indices when names are missing. */
function namesFor(report: MetricsReport, classNames: readonly string[]): string[] {
  return report.perClass.map((_, i) => classNames[i] ?? String(i));
}

/**
 * The per-class table (only the precision/recall/F1 columns asked for, plus
 * support) with a macro-average row, followed by accuracy and top-k lines
 * when asked for. `metricsWanted` defaults to accuracy, precision, recall, F1;
 * when it asks for none of these (or top-k), the result is ''.
 */
export function formatMetricsTable(report: MetricsReport, classNames: readonly string[], metricsWanted: readonly MetricSpec[] = ALL_METRICS): string {
  const wanted = new Set(metricsWanted.map((m) => m.kind));
  const columns = (['precision', 'recall', 'f1'] as const).filter((c) => wanted.has(c));
  const headers = [...columns.map((c) => (c === 'f1' ? 'f1-score' : c)), 'support'];
  const names = namesFor(report, classNames);

  const rows: string[][] = [];
  if (columns.length > 0) {
    report.perClass.forEach((m, i) => rows.push([names[i], ...columns.map((c) => m[c].toFixed(DIGITS)), String(m.support)]));
  }
  const summary: string[][] = [];
  if (columns.length > 0) summary.push(['macro avg', ...columns.map((c) => report.macro[c].toFixed(DIGITS)), String(report.samples)]);
  // Accuracy values sit in the last metric column, as scikit-learn prints them.
  const valueRow = (label: string, value: number) => {
    const cells = new Array<string>(Math.max(columns.length, 1)).fill('');
    cells[cells.length - 1] = value.toFixed(DIGITS);
    return [label, ...cells, String(report.samples)];
  };
  if (wanted.has('accuracy')) summary.push(valueRow('accuracy', report.accuracy));
  for (const m of metricsWanted) {
    if (m.kind === 'top_k_accuracy' && report.topK[m.k] !== undefined) summary.push(valueRow(`top-${m.k} accuracy`, report.topK[m.k]));
  }

  // Nothing asked for that this table shows (e.g. only confusion_matrix).
  if (rows.length === 0 && summary.length === 0) return '';
  const head = ['', ...(columns.length > 0 ? headers : ['', 'support'])];
  if (columns.length === 0 && summary.length > 0) head[1] = 'value';
  const all = [head, ...rows, ...summary];
  const widths = head.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  const out = [line(head)];
  if (rows.length > 0) out.push('', ...rows.map(line));
  if (summary.length > 0) out.push('', ...summary.map(line));
  return out.join('\n');
}

/**
 * The confusion matrix, rows = true class, columns = predicted class, with
 * row totals. When class names would make it wider than 120 columns, the
 * columns are headed by class index and each row says "index name".
 */
export function formatConfusionMatrix(report: MetricsReport, classNames: readonly string[]): string {
  const names = namesFor(report, classNames);
  const k = names.length;
  const counts = report.confusion.map((row) => row.map(String));
  const totals = report.confusion.map((row) => String(row.reduce((a, b) => a + b, 0)));
  const maxCount = Math.max(1, ...counts.flat().map((s) => s.length));
  const corner = 'true \\ pred';

  const render = (colHeads: string[], rowHeads: string[]): string[] => {
    const w0 = Math.max(corner.length, ...rowHeads.map((s) => s.length));
    const wc = Math.max(maxCount, ...colHeads.map((s) => s.length));
    const wt = Math.max('total'.length, ...totals.map((s) => s.length));
    const head = [corner.padEnd(w0), ...colHeads.map((s) => s.padStart(wc)), 'total'.padStart(wt)].join('  ');
    const body = counts.map((row, i) => [rowHeads[i].padEnd(w0), ...row.map((s) => s.padStart(wc)), totals[i].padStart(wt)].join('  '));
    return [head, ...body];
  };

  let lines = render(names, names);
  if (lines[0].length > MAX_MATRIX_WIDTH) {
    const idx = Array.from({ length: k }, (_, i) => String(i));
    lines = render(idx, names.map((n, i) => `${i} ${n}`));
  }
  return lines.join('\n');
}
