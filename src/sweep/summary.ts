/**
 * The sweep's summary: one row per trial (swept values, status, the
 * monitored value, final test accuracy/loss, epochs), best first — written as
 * summary.json / summary.csv, printed as a table, and the best trial's
 * resolved spec copied to best.yaml.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { cmpMetric, runMetric, SWEEP_FILES, type TrialState } from './runner.js';

export interface SummaryRow {
  readonly trial: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly status: TrialState['status'];
  /** The monitored value (best over the trial's epochs, or its test_* value). */
  readonly metric?: number;
  readonly test_accuracy?: number;
  readonly test_loss?: number;
  readonly epochs?: number;
  /** Run directory, relative to the sweep directory. */
  readonly run?: string;
  readonly seconds?: number;
  readonly error?: string;
}

export interface SweepSummary {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly keys: readonly string[];
  /** Best first: finished trials by the metric, then pruned ones, then failed ones. */
  readonly rows: readonly SummaryRow[];
  /** The best finished trial's id. */
  readonly best?: string;
}

const STATUS_ORDER: Record<TrialState['status'], number> = { done: 0, pruned: 1, running: 2, failed: 3 };

/** Builds the summary from the trials' states and run directories. */
export async function summarize(sweepDir: string, states: readonly TrialState[], monitor: string, mode: 'min' | 'max'): Promise<SweepSummary> {
  const rows: SummaryRow[] = [];
  for (const s of states) {
    const runDir = s.run ? path.join(sweepDir, s.run) : undefined;
    let report: { accuracy?: number; loss?: number; epochs?: number } | undefined;
    try {
      report = runDir ? JSON.parse(await fs.readFile(path.join(runDir, 'report.json'), 'utf8')) : undefined;
    } catch {
      report = undefined;
    }
    const metric = runDir && s.status !== 'failed' ? await runMetric(runDir, monitor, mode) : undefined;
    rows.push({ trial: s.id, params: s.params, status: s.status, metric, test_accuracy: report?.accuracy, test_loss: report?.loss, epochs: s.epochs, run: s.run, seconds: s.seconds, ...(s.error ? { error: s.error } : {}) });
  }
  rows.sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || cmpMetric(a.metric, b.metric, mode) || a.trial.localeCompare(b.trial));
  const keys = [...new Set(states.flatMap((s) => Object.keys(s.params)))];
  const best = rows.find((r) => r.status === 'done' && r.metric !== undefined)?.trial;
  return { monitor, mode, keys, rows, best };
}

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The summary as a text table (the order of `rows`). */
export function formatSummary(s: SweepSummary): string {
  const head = ['trial', ...s.keys, s.monitor, 'test_acc', 'epochs', 'status'];
  const body = s.rows.map((r) => [r.trial, ...s.keys.map((k) => cell(r.params[k])), cell(r.metric), cell(r.test_accuracy), cell(r.epochs), r.trial === s.best ? `${r.status} *best` : r.status]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cols: string[]): string => cols.map((c, i) => (i === 0 || i === cols.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(head), ...body.map(line)].join('\n') + '\n';
}

function csvCell(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Writes summary.json, summary.csv and best.yaml into the sweep directory. */
export async function writeSummary(sweepDir: string, s: SweepSummary): Promise<void> {
  await fs.writeFile(path.join(sweepDir, SWEEP_FILES.summary), JSON.stringify(s, null, 2) + '\n');
  const head = ['trial', ...s.keys, s.monitor, 'test_accuracy', 'test_loss', 'epochs', 'status', 'run'];
  const rows = s.rows.map((r) => [r.trial, ...s.keys.map((k) => cell(r.params[k])), cell(r.metric), cell(r.test_accuracy), cell(r.test_loss), cell(r.epochs), r.status, r.run ?? ''].map(csvCell).join(','));
  await fs.writeFile(path.join(sweepDir, SWEEP_FILES.summaryCsv), [head.map(csvCell).join(','), ...rows].join('\n') + '\n');
  const best = s.rows.find((r) => r.trial === s.best);
  const bestFile = path.join(sweepDir, SWEEP_FILES.best);
  if (best?.run) {
    const spec = await fs.readFile(path.join(sweepDir, best.run, 'spec.yaml'), 'utf8');
    const values = Object.entries(best.params).map(([k, v]) => `${k}=${cell(v)}`).join(', ');
    await fs.writeFile(bestFile, `# Best trial of the sweep: ${best.trial} (${values}); ${s.monitor} ${cell(best.metric)}\n${spec}`);
  } else {
    await fs.rm(bestFile, { force: true });
  }
}
