/**
 * `dlc compare RUN…`: the runs' final metrics side by side, the spec keys
 * whose values differ, and (as HTML) their learning curves overlaid.
 */
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { lineChart, renderChart, type Row } from './charts.js';
import { esc, figure, page, section, table } from './html.js';
import { readRunData, type RunData } from './run-data.js';
import { bestEpoch, monitorOf } from './run-report.js';

/** Flattens a parsed YAML document into dotted keys (lists as JSON). */
export function flattenSpec(doc: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
    for (const [k, v] of Object.entries(doc as Record<string, unknown>)) flattenSpec(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out[prefix] = typeof doc === 'string' ? doc : JSON.stringify(doc);
  }
  return out;
}

export interface Comparison {
  /** A short label per run (`<name>/<stamp>`). */
  readonly labels: readonly string[];
  readonly runs: readonly RunData[];
  /** Final metrics: one row per metric, one column per run. */
  readonly metrics: readonly [string, ...(number | string | undefined)[]][];
  /** Spec keys whose values differ: key, then the value in each run (undefined: absent). */
  readonly differences: readonly [string, ...(string | undefined)[]][];
}

/** Reads the runs and compares them. */
export async function compareRuns(dirs: readonly string[]): Promise<Comparison> {
  const runs = await Promise.all(dirs.map((d) => readRunData(path.resolve(d))));
  const labels = runs.map((r) => `${path.basename(path.dirname(r.dir))}/${path.basename(r.dir)}`);
  const last = (r: RunData): Record<string, number> => (r.epochs[r.epochs.length - 1] as Record<string, number> | undefined) ?? {};
  const best = (r: RunData): Record<string, number> | undefined => bestEpoch(r.epochs, monitorOf(r));
  const metricRows: [string, (r: RunData) => number | string | undefined][] = [
    ['test accuracy', (r) => r.report?.accuracy],
    ['test loss', (r) => r.report?.loss],
    ['test macro F1', (r) => r.report?.macro?.f1],
    ['epochs', (r) => r.epochs.length],
    ['final loss', (r) => last(r).loss],
    ['final val_loss', (r) => last(r).val_loss],
    ['final val_accuracy', (r) => last(r).val_accuracy],
    ['best epoch', (r) => best(r)?.epoch],
    ['train seconds', (r) => r.report?.train_seconds ?? r.epochs.reduce((a, e) => a + (e.seconds ?? 0), 0)],
    ['backend', (r) => r.info.backend],
  ];
  const metrics = metricRows.map(([name, f]): [string, ...(number | string | undefined)[]] => [name, ...runs.map(f)]).filter((row) => row.slice(1).some((v) => v !== undefined));
  const flats = runs.map((r) => {
    try {
      return flattenSpec(parseYaml(r.specYaml ?? '') ?? {});
    } catch {
      return {};
    }
  });
  const keys = [...new Set(flats.flatMap((f) => Object.keys(f)))].sort();
  const differences = keys.filter((k) => new Set(flats.map((f) => f[k])).size > 1).map((k): [string, ...(string | undefined)[]] => [k, ...flats.map((f) => f[k])]);
  return { labels, runs, metrics, differences };
}

function cellText(v: unknown): string {
  if (v === undefined) return '-';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  return String(v);
}

/** The comparison as terminal tables. */
export function formatComparison(c: Comparison): string {
  const block = (head: string[], rows: readonly (readonly unknown[])[]): string => {
    const cells = rows.map((r) => r.map(cellText));
    const widths = head.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
    const line = (cols: string[]): string => cols.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ').trimEnd();
    return [line(head), ...cells.map(line)].join('\n');
  };
  const runs = c.labels.map((l, i) => `[${i + 1}] ${l}`).join('\n');
  const cols = c.labels.map((_, i) => `[${i + 1}]`);
  const diff = c.differences.length ? block(['spec key', ...cols], c.differences) : 'The runs have the same resolved spec.';
  return `${runs}\n\n${block(['metric', ...cols], c.metrics)}\n\nSpec keys that differ:\n${diff}\n`;
}

/** The comparison as an HTML page with the learning curves overlaid. */
export async function compareHtml(c: Comparison): Promise<string> {
  const series = (key: string): Row[] => c.runs.flatMap((r, i) => r.epochs.filter((e) => typeof e[key] === 'number').map((e) => ({ epoch: e.epoch, series: `[${i + 1}] ${c.labels[i]}`, value: e[key] })));
  const figs: string[] = [];
  for (const [key, title] of [['loss', 'Training loss'], ['val_loss', 'Validation loss'], ['accuracy', 'Training accuracy'], ['val_accuracy', 'Validation accuracy'], ['lr', 'Learning rate']] as const) {
    const rows = series(key);
    if (rows.length) figs.push(figure(key, title, await renderChart(lineChart({ rows, x: 'epoch', xTitle: 'epoch', yTitle: key, series: 'series' }))));
  }
  const cols = c.labels.map((_, i) => `[${i + 1}]`);
  const runsList = `<ol>${c.labels.map((l, i) => `<li>${esc(l)} <span class="muted">${esc(c.runs[i].dir)}</span></li>`).join('')}</ol>`;
  const body = [
    section('curves', 'Learning curves', `${runsList}<div class="grid">${figs.join('\n')}</div>`),
    section('metrics', 'Final metrics', table(['metric', ...cols], c.metrics)),
    section('diff', 'Spec keys that differ', c.differences.length ? table(['spec key', ...cols], c.differences.map((d) => d.map((v) => v ?? '-'))) : '<p>The runs have the same resolved spec.</p>'),
  ];
  return page(`dlc compare: ${c.labels.length} runs`, [c.labels.join(' · ')], [['curves', 'Curves'], ['metrics', 'Metrics'], ['diff', 'Spec differences']], body.join('\n'));
}
