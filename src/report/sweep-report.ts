/**
 * The sweep's page (`<sweep>/report.html`): the monitored value against each
 * swept key, parallel coordinates over all keys, and the summary table with
 * links to each trial's own report.
 */
import * as path from 'node:path';
import type { SweepSummary } from '../sweep/summary.js';
import { parallelChart, renderChart, scatterChart, type Row } from './charts.js';
import { esc, figure, fmt, page, section } from './html.js';

function flat(v: unknown): string | number | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'number' ? v : typeof v === 'string' ? v : JSON.stringify(v);
}

/** Builds the sweep report page. */
export async function buildSweepReport(sweepDir: string, s: SweepSummary, title = path.basename(sweepDir)): Promise<string> {
  const scored = s.rows.filter((r) => r.metric !== undefined);
  // Vega-Lite reads dots in field names as nested access: the swept keys (`optimizer.sgd.learning_rate`) get plain field names.
  const field = (i: number): string => `k${i}`;
  const rows: Row[] = scored.map((r) => ({ trial: r.trial, status: r.status, metric: r.metric!, ...Object.fromEntries(s.keys.map((k, i) => [field(i), flat(r.params[k])])) }));
  const figs: string[] = [];
  for (const [i, k] of s.keys.entries()) {
    const vals = rows.map((r) => r[field(i)]);
    const numeric = vals.every((v) => typeof v === 'number');
    const pos = numeric && vals.every((v) => (v as number) > 0);
    const logX = pos && Math.max(...(vals as number[])) / Math.min(...(vals as number[])) >= 20;
    figs.push(figure(`metric-vs-${k}`, `${s.monitor} against ${k}`, await renderChart(scatterChart({ rows, x: field(i), y: 'metric', xTitle: k, yTitle: s.monitor, logX, nominalX: !numeric, color: 'status' }))));
  }
  if (s.keys.length >= 1 && rows.length >= 2) figs.push(figure('parallel', 'Parallel coordinates (colour: ' + s.monitor + ')', await renderChart(parallelChart(rows, s.keys.map((k, i) => ({ field: field(i), title: k })), { field: 'metric', title: s.monitor }))));
  const head = ['#', 'trial', ...s.keys, s.monitor, 'test accuracy', 'epochs', 'status', 'report'];
  const trs = s.rows.map((r, i) => {
    const link = r.run ? `<a href="${esc(path.posix.join(...r.run.split(path.sep), 'report.html'))}">open</a>` : '';
    const cells = [String(i + 1), r.trial + (r.trial === s.best ? ' ★' : ''), ...s.keys.map((k) => fmt(r.params[k])), fmt(r.metric), fmt(r.test_accuracy), fmt(r.epochs), r.status];
    return `<tr${r.status === 'failed' ? ' class="bad"' : ''}>${cells.map((c) => `<td>${esc(c)}</td>`).join('')}<td>${link}</td></tr>`;
  });
  const tableHtml = `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${trs.join('\n')}</tbody></table>`;
  const failed = s.rows.filter((r) => r.status === 'failed');
  const failures = failed.length ? `<h3>Failed trials</h3>${failed.map((r) => `<p><b>${esc(r.trial)}</b></p><pre>${esc(r.error ?? '')}</pre>`).join('')}` : '';
  const best = s.rows.find((r) => r.trial === s.best);
  const sub = [`${s.rows.length} trials, ranked by ${s.monitor} (${s.mode === 'max' ? 'higher' : 'lower'} is better)`, ...(best ? [`best: ${best.trial} (${s.keys.map((k) => `${k}=${fmt(best.params[k])}`).join(', ')}) ${s.monitor} ${fmt(best.metric)}; its resolved spec is best.yaml`] : [])];
  const body = [section('charts', 'Metric against the swept values', figs.length ? `<div class="grid">${figs.join('\n')}</div>` : '<p class="muted">No trial has a value yet.</p>'), section('trials', 'Trials', tableHtml + failures)];
  return page(`dlc sweep: ${title}`, sub, [['charts', 'Charts'], ['trials', 'Trials']], body.join('\n'));
}
