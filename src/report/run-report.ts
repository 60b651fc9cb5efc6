/**
 * `dlc report RUN_DIR`: one self-contained HTML page for a run — learning
 * curves, learning-rate schedule, confusion matrix, per-class bars, the
 * misclassified test images, the layer graph and the run's details. Charts
 * are Vega-Lite rendered to inline SVG here, so the page has no script.
 */
import * as path from 'node:path';
import { confusionChart, histogramChart, lineChart, perClassChart, predictedVsActualChart, renderChart, type Row } from './charts.js';
import { thousands } from '../compiler/shared/format.js';
import { graphSvg } from './graph.js';
import { writeFileAtomic } from '../runtime/run-dir/write-atomic.js';
import { esc, figure, fmt, page, section, table } from './html.js';
import { readRunData, REPORT_FILES, type EpochRow, type RunData } from './run-data.js';

/** The value that decides the best epoch, and whether lower is better. */
export function monitorOf(data: Pick<RunData, 'ir' | 'epochs'>): { key: string; lower: boolean } {
  const train = (data.ir?.spec as { train?: { checkpoint?: { monitor?: string } } } | undefined)?.train;
  let key = train?.checkpoint?.monitor ?? 'val_loss';
  // Accuracy means nothing for real targets (the loop's class accuracy of a regression output): the loss decides.
  if ((data.ir as { target?: { kind?: string } } | undefined)?.target?.kind === 'real' && key.includes('accuracy')) key = key.startsWith('val_') ? 'val_loss' : 'loss';
  // As in the loop: val_* monitors fall back to the training value when there is no validation split.
  if (key.startsWith('val_') && !data.epochs.some((e) => typeof e[key] === 'number')) key = key.slice(4);
  return { key, lower: key.endsWith('loss') };
}

/** The epoch with the best monitored value (undefined before the first epoch). */
export function bestEpoch(epochs: readonly EpochRow[], monitor: { key: string; lower: boolean }): EpochRow | undefined {
  let best: EpochRow | undefined;
  for (const e of epochs) {
    const v = e[monitor.key];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    if (!best || (monitor.lower ? v < best[monitor.key] : v > best[monitor.key])) best = e;
  }
  return best;
}

function longRows(epochs: readonly EpochRow[], pairs: readonly [string, string][]): Row[] {
  return epochs.flatMap((e) => pairs.filter(([k]) => typeof e[k] === 'number' && Number.isFinite(e[k])).map(([k, label]) => ({ epoch: e.epoch, series: label, value: e[k] })));
}

async function curvesSection(d: RunData): Promise<string> {
  if (d.epochs.length === 0) return section('curves', 'Learning curves', '<p class="muted">No epoch has finished yet.</p>');
  const mon = monitorOf(d);
  const best = bestEpoch(d.epochs, mon);
  const mark = best ? { x: best.epoch, label: `best (${mon.key} ${fmt(best[mon.key])})` } : undefined;
  const figs: string[] = [];
  figs.push(figure('loss', 'Loss per epoch', await renderChart(lineChart({ rows: longRows(d.epochs, [['loss', 'training'], ['val_loss', 'validation']]), x: 'epoch', xTitle: 'epoch', yTitle: 'loss', series: 'series', mark }))));
  const accPairs: [string, string][] = [['accuracy', 'training accuracy'], ['val_accuracy', 'validation accuracy'], ['val_f1', 'validation macro F1']];
  const regression = targetKind(d) === 'real';
  if (!regression && d.epochs.some((e) => typeof e.accuracy === 'number')) {
    figs.push(figure('accuracy', 'Accuracy per epoch', await renderChart(lineChart({ rows: longRows(d.epochs, accPairs), x: 'epoch', xTitle: 'epoch', yTitle: 'accuracy', series: 'series', mark }))));
  }
  const regPairs: [string, string][] = (['mae', 'rmse', 'r2'] as const).flatMap((k): [string, string][] => [[k, `training ${k === 'r2' ? 'R²' : k.toUpperCase()}`], [`val_${k}`, `validation ${k === 'r2' ? 'R²' : k.toUpperCase()}`]]);
  if (d.epochs.some((e) => regPairs.some(([k]) => typeof e[k] === 'number'))) {
    figs.push(figure('regression-metrics', 'Regression metrics per epoch', await renderChart(lineChart({ rows: longRows(d.epochs, regPairs), x: 'epoch', xTitle: 'epoch', yTitle: 'value', series: 'series', mark }))));
  }
  if (d.steps.length > 0) {
    const stepRows = d.steps.filter((s) => Number.isFinite(s.loss)).map((s) => ({ step: s.step, value: s.loss }));
    figs.push(figure('step-loss', 'Training loss per step', await renderChart(lineChart({ rows: stepRows, x: 'step', xTitle: 'step', yTitle: 'loss', points: false }))));
    figs.push(figure('lr', 'Learning rate per step', await renderChart(lineChart({ rows: d.steps.map((s) => ({ step: s.step, value: s.lr })), x: 'step', xTitle: 'step', yTitle: 'learning rate', points: false }))));
  } else {
    figs.push(figure('lr', 'Learning rate per epoch', await renderChart(lineChart({ rows: d.epochs.map((e) => ({ epoch: e.epoch, value: e.lr })), x: 'epoch', xTitle: 'epoch', yTitle: 'learning rate' }))));
  }
  const cols = ['epoch', 'step', 'lr', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'val_f1', ...regPairs.map(([k]) => k), 'seconds', 'samples_per_second'].filter((c) => d.epochs.some((e) => e[c] !== undefined) && !(regression && /accuracy|f1/.test(c)));
  const rows = d.epochs.map((e) => cols.map((c) => e[c]));
  const note = best ? `<p>Best epoch by <b>${esc(mon.key)}</b>: ${best.epoch} (${esc(fmt(best[mon.key]))}).</p>` : '';
  return section('curves', 'Learning curves', `${note}<div class="grid">${figs.join('\n')}</div><details><summary>Per-epoch table</summary>${table(cols, rows)}</details>`);
}

/** The run's target kind: from the IR (absent means class indices). */
export function targetKind(d: Pick<RunData, 'ir'>): 'class' | 'multi_label' | 'real' {
  return d.ir?.target?.kind ?? 'class';
}

/** A regression metric of the test split: report.json's when it has one, else predictions.json's (which cover every test sample too). */
function regressionMetric(d: RunData, key: 'mae' | 'rmse' | 'r2'): number | undefined {
  const v = d.report?.[key];
  return typeof v === 'number' ? v : d.predictions?.metrics[key];
}

async function regressionParts(d: RunData): Promise<string[]> {
  const p = d.predictions;
  const parts: string[] = [];
  if (!p) {
    parts.push('<p class="muted">No test predictions recorded yet (predictions.json is written at the end of the run, or by <code>dlc report</code> from checkpoints/last).</p>');
    return parts;
  }
  const figs = [
    figure('predicted-actual', `Predicted against actual (${p.points.length} of ${p.samples * p.width} test values; dashed: predicted = actual)`, await renderChart(predictedVsActualChart(p.points, p.width))),
    figure('residuals', 'Residuals (predicted − actual)', await renderChart(histogramChart(p.points.map(([, a, q]) => q - a), 'predicted − actual'))),
  ];
  parts.push(`<div class="grid">${figs.join('\n')}</div>`);
  if (p.width > 1) parts.push(`<details open><summary>Per-output metrics</summary>${table(['output', 'MAE', 'RMSE', 'R²'], p.metrics.per_output.map((o, i) => [i, o.mae, o.rmse, o.r2]))}</details>`);
  return parts;
}

interface LabelRow {
  readonly label?: string;
  readonly class?: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support?: number;
}

/** Multi-label per-label metrics, when report.json carries them (per_label, or perLabel). */
function perLabel(d: RunData): LabelRow[] | undefined {
  const r = d.report as Record<string, unknown> | undefined;
  const rows = (r?.per_label ?? r?.perLabel) as LabelRow[] | undefined;
  return Array.isArray(rows) && rows.length > 0 && rows.every((x) => typeof x?.f1 === 'number') ? rows : undefined;
}

async function testSection(d: RunData, classNames: readonly string[]): Promise<string> {
  const r = d.report;
  const kind = targetKind(d);
  if (!r && !(kind === 'real' && d.predictions)) return section('test', 'Test results', '<p class="muted">The run has not finished: no test evaluation yet (report.json appears at the end of the run).</p>');
  const rr = r ?? {};
  const kv: [string, unknown][] =
    kind === 'real'
      ? [
          ['split', rr.split ?? 'test'],
          ['samples', rr.samples ?? d.predictions?.samples],
          ['loss', rr.loss],
          ['MAE', regressionMetric(d, 'mae')],
          ['RMSE', regressionMetric(d, 'rmse')],
          ['R²', regressionMetric(d, 'r2')],
          ['stop reason', rr.stop_reason],
        ]
      : [
          ['split', rr.split ?? 'test'],
          ['samples', rr.samples],
          ['loss', rr.loss],
          [kind === 'multi_label' ? 'subset accuracy' : 'accuracy', rr.accuracy],
          ...Object.entries(rr.top_k_accuracy ?? {}).map(([k, v]): [string, unknown] => [`top-${k} accuracy`, v]),
          ...(rr.macro ? ([['macro precision', rr.macro.precision], ['macro recall', rr.macro.recall], ['macro F1', rr.macro.f1]] as [string, unknown][]) : []),
          ['stop reason', rr.stop_reason],
        ];
  const parts = [table(['metric', 'value'], kv.filter(([, v]) => v !== undefined), 'kv')];
  if (kind === 'real') return section('test', 'Test results', [...parts, ...(await regressionParts(d))].join('\n'));
  const figs: string[] = [];
  const labels = kind === 'multi_label' ? perLabel(d) : undefined;
  if (labels) {
    const named = labels.map((l, i) => ({ class: l.label ?? l.class ?? classNames[i] ?? `label ${i}`, precision: l.precision, recall: l.recall, f1: l.f1, support: l.support }));
    figs.push(figure('per-label', 'Precision, recall and F1 per label', await renderChart(perClassChart(named))));
    parts.push(`<div class="grid">${figs.join('\n')}</div>`);
    parts.push(`<details><summary>Per-label table</summary>${table(['label', 'precision', 'recall', 'f1', 'support'], named.map((c) => [c.class, c.precision, c.recall, c.f1, c.support]))}</details>`);
    return section('test', 'Test results', parts.join('\n'));
  }
  if (kind === 'class' && rr.confusion && rr.confusion.length > 0) figs.push(figure('confusion', 'Confusion matrix (rows: true class, columns: predicted)', await renderChart(confusionChart(rr.confusion, classNames))));
  if (kind === 'class' && rr.per_class && rr.per_class.length > 0) figs.push(figure('per-class', 'Precision, recall and F1 per class', await renderChart(perClassChart(rr.per_class))));
  parts.push(`<div class="grid">${figs.join('\n')}</div>`);
  if (kind === 'class' && rr.per_class) parts.push(`<details><summary>Per-class table</summary>${table(['class', 'precision', 'recall', 'f1', 'support'], rr.per_class.map((c) => [c.class, c.precision, c.recall, c.f1, c.support]))}</details>`);
  return section('test', 'Test results', parts.join('\n'));
}

function mistakesSection(d: RunData, classNames: readonly string[]): string {
  const m = d.mistakes;
  if (!m || targetKind(d) !== 'class') return '';
  const name = (i: number): string => classNames[i] ?? String(i);
  const tiles = m.items.map(
    (x) =>
      `<div class="tile"><img alt="test image ${x.index}" src="${esc(x.png)}"><div>#${x.index}</div><div>true: <b>${esc(name(x.trueClass))}</b> (${(x.trueProbability * 100).toFixed(1)}%)</div><div class="bad">predicted: <b>${esc(name(x.predicted))}</b> (${(x.probability * 100).toFixed(1)}%)</div></div>`,
  );
  const intro = m.items.length === 0 ? `<p>No misclassified image among the ${m.scanned} test images scanned.</p>` : `<p>The first ${m.items.length} misclassified test images (of ${m.scanned} scanned, at most ${m.limit} shown), with the predicted probability of the true and the predicted class.</p>`;
  return section('mistakes', 'Misclassified test images', `${intro}<div class="tiles">${tiles.join('\n')}</div>`);
}

function modelSection(d: RunData): string {
  const nodes = d.ir?.nodes ?? [];
  if (nodes.length === 0) return '';
  const trainable = nodes.reduce((a, n) => a + n.params.trainable, 0);
  const frozen = nodes.reduce((a, n) => a + n.params.nonTrainable, 0);
  const macs = nodes.reduce((a, n) => a + (n.macs ?? 0), 0);
  const intro = `<p>${nodes.length} nodes, ${thousands(trainable)} trainable parameters${frozen ? ` (+${thousands(frozen)} non-trainable)` : ''}, ${thousands(macs)} multiply-adds per sample. Output shapes are per sample; dashed red edges are residual / concat connections.</p>`;
  return section('model', 'Model', `${intro}${figure('graph', 'Layer graph', `<div class="graph">${graphSvg(nodes, d.ir?.outputId)}</div>`)}`);
}

function detailsSection(d: RunData): string {
  const spec = (d.ir?.spec ?? {}) as { seed?: number; name?: string };
  const m = d.machine ?? {};
  const r = d.report ?? {};
  const totalSeconds = d.epochs.reduce((a, e) => a + (e.seconds ?? 0), 0);
  const kv: [string, unknown][] = [
    ['run directory', d.dir],
    ['started', d.info.started],
    ['backend', d.info.backend ? `${d.info.backend} (${d.info.backendReason ?? ''})` : undefined],
    ['seed', spec.seed],
    ['epochs finished', d.epochs.length],
    ['optimizer steps', d.epochs.length ? d.epochs[d.epochs.length - 1].step : 0],
    ['training time', r.train_seconds !== undefined ? `${fmt(r.train_seconds)} s` : `${fmt(totalSeconds)} s (epochs so far)`],
    ['dlc', m.dlc],
    ['TensorFlow.js', m.tfjs],
    ['Node.js', m.node],
    ['platform', m.platform],
    ['CPU', m.cpus ? `${m.cpus} × ${m.cores ?? '?'}` : undefined],
    ['memory', m.memoryGb !== undefined ? `${m.memoryGb} GB` : undefined],
    ['host', m.hostname],
  ];
  const specText = d.specYaml ? `<h3>Resolved spec (spec.yaml)</h3><pre>${esc(d.specYaml)}</pre>` : '';
  return section('details', 'Run details', table(['', ''], kv.filter(([, v]) => v !== undefined && v !== ''), 'kv') + specText);
}

/** Builds the report page of a run directory. */
export async function buildRunReport(dir: string): Promise<string> {
  const d = await readRunData(path.resolve(dir));
  const classNames = d.info.classNames ?? [];
  const name = d.info.name ?? (d.ir?.spec as { name?: string } | undefined)?.name ?? path.basename(dir);
  const last = d.epochs[d.epochs.length - 1];
  const rmse = targetKind(d) === 'real' ? regressionMetric(d, 'rmse') : undefined;
  const headline = rmse !== undefined ? `test RMSE ${fmt(rmse)}` : `test accuracy ${d.report?.accuracy !== undefined ? (d.report.accuracy * 100).toFixed(2) + '%' : 'n/a'}`;
  const status = d.report ? `finished (${d.report.stop_reason ?? 'completed'}), ${headline}` : last ? `in progress: ${d.epochs.length} epoch${d.epochs.length > 1 ? 's' : ''} done${rmse !== undefined ? ` (checkpoints/last: ${headline})` : ''}` : 'started, no epoch finished yet';
  const desc = (d.ir?.spec as { description?: string } | undefined)?.description;
  const sub = [`${path.basename(path.dirname(d.dir))}/${path.basename(d.dir)} — ${status}`, ...(desc ? [desc] : [])];
  const body = [await curvesSection(d), await testSection(d, classNames), mistakesSection(d, classNames), modelSection(d), detailsSection(d)].filter((s) => s);
  const nav: [string, string][] = [['curves', 'Curves'], ['test', 'Test'], ...(d.mistakes && targetKind(d) === 'class' ? ([['mistakes', 'Mistakes']] as [string, string][]) : []), ['model', 'Model'], ['details', 'Details']];
  return page(`dlc run: ${name}`, sub, nav, body.join('\n'));
}

/** Writes `<dir>/report.html` (or `out`) and returns its path. */
export async function writeRunReport(dir: string, out?: string): Promise<string> {
  const file = out ?? path.join(dir, REPORT_FILES.html);
  // A reader (a browser refreshing during a run) never sees half of the page.
  await writeFileAtomic(file, await buildRunReport(dir));
  return file;
}
