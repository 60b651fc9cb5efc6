/**
 * Charts: Vega-Lite specifications rendered to SVG at report time with Vega's
 * headless renderer (`View.toSVG()`), so the page needs no script, no network
 * and no browser to draw them. Every function here returns a Vega-Lite spec;
 * `renderChart` turns one into SVG markup.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type Row = Record<string, string | number | null>;
export type VlSpec = TopLevelSpec;

const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif';
const CONFIG = { font: FONT, view: { stroke: '#d8dde6' }, axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11 } };

/** Renders a Vega-Lite spec to standalone SVG markup (text is escaped by Vega's SVG renderer). */
export async function renderChart(spec: VlSpec): Promise<string> {
  const compiled = compile({ ...spec, config: { ...CONFIG, ...(spec as { config?: object }).config } } as TopLevelSpec).spec;
  // No loader: every chart carries its data inline, so nothing is fetched.
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * One line per series over x; `rows` are long-format {x, series, value}.
 * `mark` optionally draws a vertical rule at x = mark.x (the best epoch).
 */
export function lineChart(o: { rows: Row[]; x: string; xTitle: string; yTitle: string; series?: string; logY?: boolean; mark?: { x: number; label: string }; width?: number; height?: number; points?: boolean }): VlSpec {
  // Legend under the plot: two charts then fit side by side on a laptop screen.
  const long = o.series !== undefined && o.rows.some((r) => String(r[o.series!]).length > 28);
  const color = o.series ? { color: { field: o.series, type: 'nominal' as const, title: null, legend: { orient: 'bottom' as const, direction: 'horizontal' as const, labelLimit: 480, columns: long ? 1 : 2 } } } : {};
  const line = {
    mark: { type: 'line' as const, point: o.points ?? o.rows.length <= 60, strokeWidth: 2 },
    encoding: {
      x: { field: o.x, type: 'quantitative' as const, title: o.xTitle, axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative' as const, title: o.yTitle, scale: o.logY ? { type: 'log' as const } : { zero: false } },
      ...color,
      tooltip: [{ field: o.x, type: 'quantitative' as const }, { field: 'value', type: 'quantitative' as const }],
    },
  };
  const layers: object[] = [line];
  if (o.mark) {
    layers.push({ data: { values: [{ x: o.mark.x, label: o.mark.label }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#888' }, encoding: { x: { field: 'x', type: 'quantitative' } } });
    layers.push({ data: { values: [{ x: o.mark.x, label: o.mark.label }] }, mark: { type: 'text', align: 'right', dx: -4, dy: 4, baseline: 'top', color: '#555' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } } });
  }
  return { width: o.width ?? 380, height: o.height ?? 210, data: { values: o.rows }, layer: layers } as unknown as VlSpec;
}

/** Axis labels for classes: the names when they are distinct, else "index: name" (the axis is keyed by label). */
export function classLabeler(classNames: readonly string[], count: number): (i: number) => string {
  const names = Array.from({ length: count }, (_, i) => classNames[i] ?? String(i));
  const distinct = new Set(names).size === names.length;
  return (i) => (distinct ? names[i] : `${i}: ${names[i]}`);
}

/** The confusion matrix as a heat map with counts in the cells (rows: true class, columns: predicted). */
export function confusionChart(matrix: readonly (readonly number[])[], classNames: readonly string[]): VlSpec {
  const rows: Row[] = [];
  const label = classLabeler(classNames, matrix.length);
  matrix.forEach((r, t) => r.forEach((count, p) => rows.push({ true: label(t), predicted: label(p), count })));
  const order = matrix.map((_, i) => label(i));
  const cell = Math.max(14, Math.min(44, Math.floor(400 / Math.max(1, matrix.length))));
  const max = rows.reduce((m, r) => Math.max(m, r.count as number), 1); // not Math.max(...rows): 1,000 classes are 10⁶ arguments (stack overflow)
  return {
    width: cell * matrix.length,
    height: cell * matrix.length,
    data: { values: rows },
    encoding: {
      x: { field: 'predicted', type: 'ordinal', sort: order, title: 'predicted', axis: { labelAngle: -45, labelLimit: 120 } },
      y: { field: 'true', type: 'ordinal', sort: order, title: 'true', axis: { labelLimit: 120 } },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues' }, title: 'count' } } },
      ...(matrix.length <= 20
        ? [{ mark: { type: 'text', fontSize: Math.min(12, cell / 2.6) }, encoding: { text: { field: 'count', type: 'quantitative' }, color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: 'black' } } }]
        : []),
    ],
  } as unknown as VlSpec;
}

/** Grouped bars: precision / recall / F1 per class. */
export function perClassChart(perClass: readonly { class: string; precision: number; recall: number; f1: number }[]): VlSpec {
  const label = classLabeler(perClass.map((c) => c.class), perClass.length);
  const rows: Row[] = perClass.flatMap((c, i) => (['precision', 'recall', 'f1'] as const).map((m) => ({ class: label(i), metric: m, value: c[m] })));
  return {
    width: { step: 12 },
    height: 200,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      column: { field: 'class', type: 'ordinal', title: null, sort: perClass.map((_, i) => label(i)), header: { labelAngle: -45, labelAlign: 'right', labelOrient: 'bottom', labelLimit: 120 }, spacing: 4 },
      x: { field: 'metric', type: 'nominal', axis: null, sort: ['precision', 'recall', 'f1'] },
      y: { field: 'value', type: 'quantitative', scale: { domain: [0, 1] }, title: null },
      color: { field: 'metric', type: 'nominal', sort: ['precision', 'recall', 'f1'], title: null },
      tooltip: [{ field: 'class' }, { field: 'metric' }, { field: 'value', type: 'quantitative', format: '.3f' }],
    },
  } as unknown as VlSpec;
}

/** Scatter of a metric against one swept value (log x for log-spaced values). */
export function scatterChart(o: { rows: Row[]; x: string; y: string; xTitle?: string; yTitle?: string; logX?: boolean; nominalX?: boolean; color?: string }): VlSpec {
  return {
    width: 260,
    height: 200,
    data: { values: o.rows },
    mark: { type: 'point', filled: true, size: 70 },
    encoding: {
      x: o.nominalX ? { field: o.x, type: 'nominal', title: o.xTitle ?? o.x } : { field: o.x, type: 'quantitative', title: o.xTitle ?? o.x, scale: o.logX ? { type: 'log' } : { zero: false } },
      y: { field: o.y, type: 'quantitative', title: o.yTitle ?? o.y, scale: { zero: false } },
      ...(o.color ? { color: { field: o.color, type: 'nominal', title: o.color } } : {}),
      tooltip: [{ field: 'trial' }, { field: o.x, title: o.xTitle ?? o.x }, { field: o.y, title: o.yTitle ?? o.y }],
    },
  } as unknown as VlSpec;
}

/** Parallel coordinates: each trial a line across the swept keys and the metric, every axis scaled to [0, 1] (log-scaled when its values span 20x or more). */
export function parallelChart(rows: Row[], keys: readonly { field: string; title: string }[], metric: { field: string; title: string }): VlSpec {
  const axes = [...keys, metric];
  const long: Row[] = [];
  const label = (v: unknown): string => (typeof v === 'number' ? String(Number(v.toPrecision(4))) : v === null || v === undefined ? '' : String(v));
  for (const a of axes) {
    const vals = rows.map((r) => r[a.field]).filter((v): v is number => typeof v === 'number');
    const logish = vals.length > 1 && vals.every((v) => v > 0) && Math.max(...vals) / Math.min(...vals) >= 20;
    const f = (v: number): number => (logish ? Math.log10(v) : v);
    const lo = Math.min(...vals.map(f));
    const hi = Math.max(...vals.map(f));
    const cats = [...new Set(rows.map((r) => String(r[a.field])))];
    for (const r of rows) {
      const v = r[a.field];
      const norm = typeof v === 'number' ? (hi > lo ? (f(v) - lo) / (hi - lo) : 0.5) : cats.length > 1 ? cats.indexOf(String(v)) / (cats.length - 1) : 0.5;
      long.push({ trial: r.trial, axis: a.title, norm, value: label(v), score: typeof r[metric.field] === 'number' ? r[metric.field] : null });
    }
  }
  const order = axes.map((a) => a.title);
  return {
    width: Math.max(300, 150 * axes.length),
    height: 240,
    data: { values: long },
    layer: [
      {
        mark: { type: 'line', opacity: 0.85, strokeWidth: 2 },
        encoding: {
          x: { field: 'axis', type: 'nominal', sort: order, title: null, axis: { labelAngle: 0, orient: 'top', domain: false, labelLimit: 200 } },
          y: { field: 'norm', type: 'quantitative', axis: null, scale: { domain: [0, 1] } },
          detail: { field: 'trial', type: 'nominal' },
          color: { field: 'score', type: 'quantitative', title: metric.title, scale: { scheme: 'viridis' } },
        },
      },
      { mark: { type: 'rule', color: '#999' }, encoding: { x: { field: 'axis', type: 'nominal', sort: order } } },
      { mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 }, encoding: { x: { field: 'axis', type: 'nominal', sort: order }, y: { field: 'norm', type: 'quantitative' }, text: { field: 'value' } } },
    ],
  } as unknown as VlSpec;
}

/** Histogram of numbers (regression residuals). */
export function histogramChart(values: readonly number[], title: string): VlSpec {
  return { width: 320, height: 200, data: { values: values.map((v) => ({ v })) }, mark: 'bar', encoding: { x: { field: 'v', bin: { maxbins: 30 }, title }, y: { aggregate: 'count', title: 'count' } } } as unknown as VlSpec;
}

/** Predicted against actual values (one colour per output when there are several), with the y = x line a perfect model lies on. */
export function predictedVsActualChart(points: readonly (readonly [number, number, number])[], width: number): VlSpec {
  const rows: Row[] = points.map(([o, actual, predicted]) => ({ output: `output ${o}`, actual, predicted }));
  const vals = points.flatMap(([, a, p]) => [a, p]).filter((v) => Number.isFinite(v));
  const lo = vals.length ? Math.min(...vals) : 0;
  const hi = vals.length ? Math.max(...vals) : 1;
  const domain = [lo, hi > lo ? hi : lo + 1];
  return {
    width: 320,
    height: 320,
    layer: [
      {
        data: { values: [{ actual: domain[0], predicted: domain[0] }, { actual: domain[1], predicted: domain[1] }] },
        mark: { type: 'line', color: '#999', strokeDash: [4, 4] },
        encoding: { x: { field: 'actual', type: 'quantitative', scale: { domain } }, y: { field: 'predicted', type: 'quantitative', scale: { domain } } },
      },
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, size: 24, opacity: 0.6 },
        encoding: {
          x: { field: 'actual', type: 'quantitative', title: 'actual', scale: { domain } },
          y: { field: 'predicted', type: 'quantitative', title: 'predicted', scale: { domain } },
          ...(width > 1 ? { color: { field: 'output', type: 'nominal', title: null } } : {}),
          tooltip: [{ field: 'output' }, { field: 'actual', type: 'quantitative', format: '.4g' }, { field: 'predicted', type: 'quantitative', format: '.4g' }],
        },
      },
    ],
  } as unknown as VlSpec;
}
