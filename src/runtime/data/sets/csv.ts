/**
 * csv: a table (CSV, TSV, JSON records) → float32 feature rows (numeric
 * columns standardised with the training rows' statistics, categorical ones
 * one-hot) with class or real targets; or sequence windows over one numeric
 * column (data.window) for forecasting. The table logic is
 * compiler/shared/tabular.ts, which the compiler's facts use too.
 */
import type { DataSpec } from '../../../compiler/spec.js';
import { resolveDataPath } from '../../../compiler/shared/data-path.js';
import { cellNumber, cellText, dropMissing, encodeRow, fitTable, isMissing, planTable, referencedColumns, splitIndices, type TablePreprocessing, type TableRow } from '../../../compiler/shared/tabular.js';
import type { ExampleSet, LoadedDataset } from '../../contracts.js';
import { DataError, PreprocessingMismatch } from '../errors.js';
import { readTable, type Table } from '../table-file.js';
import type { DataLoadOptions, DataSetLoader } from './set-loader.js';

interface Part {
  readonly rows: TableRow[];
  readonly lines: number[];
  readonly file: string;
}

function checkColumns(table: Table, data: DataSpec): void {
  for (const ref of referencedColumns(data)) {
    if (!table.columns.includes(ref.column)) throw new DataError(`line 1: no column '${ref.column}' (the columns are ${table.columns.map((c) => `'${c}'`).join(', ')})`, table.file);
  }
}

function keep(part: Part, data: DataSpec): { part: Part; dropped: number } {
  const kept = dropMissing(part.rows, data).rows;
  const set = new Set(kept);
  const lines = part.lines.filter((_, i) => set.has(part.rows[i]));
  return { part: { ...part, rows: kept, lines }, dropped: part.rows.length - kept.length };
}

function encode(part: Part, pre: TablePreprocessing): ExampleSet {
  const n = part.rows.length;
  const x = new Float32Array(n * pre.width);
  const labels = new Int32Array(pre.targetType === 'class' ? n : 0);
  const targets = pre.targetType === 'real' ? new Float32Array(n) : undefined;
  part.rows.forEach((row, i) => {
    const problem = encodeRow(row, pre, x, i * pre.width);
    if (problem) throw new DataError(`line ${part.lines[i]}: ${problem}`, part.file);
    if (targets) {
      const y = cellNumber(row[pre.target]);
      if (!Number.isFinite(y)) throw new DataError(`line ${part.lines[i]}: the target '${pre.target}' is real but holds '${cellText(row[pre.target])}'`, part.file);
      targets[i] = y;
    } else labels[i] = pre.classes.indexOf(cellText(row[pre.target]));
  });
  return {
    count: n,
    shape: [pre.width],
    x: { dtype: 'float32', values: x },
    target: pre.targetType === 'class' ? { kind: 'class', classes: pre.classes.length } : { kind: 'real', width: 1 },
    labels,
    ...(targets ? { targets } : {}),
  };
}

/** Loads the table and fits its preprocessing; `preprocessing` is what a run saves. */
export function loadTable(data: DataSpec, opts: Pick<DataLoadOptions, 'seed' | 'log' | 'saved'>): LoadedDataset & { preprocessing: TablePreprocessing } {
  if (!data.path) throw new DataError("data.dataset is csv but data.path (the table file) is missing");
  const table = readTable(resolveDataPath(data.path, process.cwd()), data.path);
  checkColumns(table, data);
  if (data.window) return loadWindows(table, data, opts);
  const split = data.test_split ?? {};
  let train: Part;
  let test: Part;
  let dropped = 0;
  if (split.path !== undefined) {
    const t2 = readTable(resolveDataPath(split.path, process.cwd()), split.path);
    checkColumns(t2, data);
    const a = keep({ rows: [...table.rows], lines: [...table.lines], file: table.file }, data);
    const b = keep({ rows: [...t2.rows], lines: [...t2.lines], file: t2.file }, data);
    [train, test, dropped] = [a.part, b.part, a.dropped + b.dropped];
  } else {
    const all = keep({ rows: [...table.rows], lines: [...table.lines], file: table.file }, data);
    dropped = all.dropped;
    const rows = all.part.rows;
    let idx: { train: number[]; test: number[] };
    if (split.column !== undefined) {
      const value = split.value ?? 'test';
      idx = { train: [], test: [] };
      rows.forEach((r, i) => (cellText(r[split.column!]) === value ? idx.test : idx.train).push(i));
    } else {
      const strata = (data.target_type ?? 'class') === 'class' && data.target !== undefined ? rows.map((r) => cellText(r[data.target!])) : undefined;
      idx = splitIndices(rows.length, split.ratio ?? 0.2, opts.seed ?? 0, strata);
    }
    const pick = (ix: number[]): Part => ({ rows: ix.map((i) => rows[i]), lines: ix.map((i) => all.part.lines[i]), file: table.file });
    [train, test] = [pick(idx.train), pick(idx.test)];
  }
  if (train.rows.length === 0 || test.rows.length === 0) throw new DataError(`the split leaves ${train.rows.length} training and ${test.rows.length} test rows; both need at least one`, table.file);
  if (dropped > 0) opts.log?.(`${data.path}: ${dropped} row${dropped === 1 ? '' : 's'} with missing values dropped (data.missing: ${JSON.stringify(data.missing ?? 'drop')})`);
  const plan = planTable([...train.rows, ...test.rows], data);
  // A trained run's preprocessing (dlc eval, an emitted project's --preprocessing) wins over a new fit.
  const given = savedTable(opts.saved, 'table', data);
  const pre = given ?? fitTable(train.rows, plan, data);
  if (given) {
    const fitted = plan.columns.map((c) => c.column).join(', ');
    const saved = given.columns.map((c) => c.column).join(', ');
    if (fitted !== saved) throw new PreprocessingMismatch(`the given preprocessing encodes the columns ${saved}, but the spec's features are ${fitted}`);
    opts.log?.(`${data.path}: the given preprocessing is used (means, stds and categories are not fitted again)`);
  }
  return { name: 'csv', classNames: pre.classes, train: encode(train, pre), test: encode(test, pre), preprocessing: pre };
}

/**
 * `saved` when it is a preprocessing of `kind` for this spec's target; undefined when none is given. A preprocessing of
 * another kind or target cannot encode this data: an error naming both.
 */
function savedTable(saved: DataLoadOptions['saved'], kind: TablePreprocessing['kind'], data: DataSpec): TablePreprocessing | undefined {
  if (!saved) return undefined;
  const p = saved as Partial<TablePreprocessing>;
  const want = kind === 'window' ? data.window!.column : data.target;
  if (p.kind !== kind) throw new PreprocessingMismatch(`the given preprocessing is a ${String(p.kind)} preprocessing, but this spec's csv data needs a ${kind} one`);
  if (p.target !== want) throw new PreprocessingMismatch(`the given preprocessing is for the target '${String(p.target)}', but this spec's is '${String(want)}'`);
  if (kind === 'table' && (!Array.isArray(p.columns) || !Array.isArray(p.classes) || typeof p.width !== 'number')) throw new PreprocessingMismatch('the given table preprocessing lacks its columns, classes or width');
  return p as TablePreprocessing;
}

function loadWindows(table: Table, data: DataSpec, opts: Pick<DataLoadOptions, 'seed' | 'log' | 'saved'>): LoadedDataset & { preprocessing: TablePreprocessing } {
  const w = data.window!;
  const horizon = w.horizon ?? 1;
  let order = table.rows.map((_, i) => i);
  if (w.order_by !== undefined) {
    const key = (i: number): number => {
      const c = table.rows[i][w.order_by!];
      const n = cellNumber(c);
      return Number.isFinite(n) ? n : cellNumber(c, 'date');
    };
    order = order.filter((i) => Number.isFinite(key(i))).sort((a, b) => key(a) - key(b) || a - b);
  }
  const series: number[] = [];
  for (const i of order) {
    const c = table.rows[i][w.column];
    if (isMissing(c)) continue;
    const v = cellNumber(c);
    if (!Number.isFinite(v)) throw new DataError(`line ${table.lines[i]}: column '${w.column}' is numeric but holds '${cellText(c)}'`, table.file);
    series.push(v);
  }
  const trainEnd = Math.floor(series.length * (1 - (data.test_split?.ratio ?? 0.2)));
  const head = series.slice(0, trainEnd);
  const given = savedTable(opts.saved, 'window', data)?.window;
  if (given && (given.length !== w.length || given.horizon !== horizon)) throw new PreprocessingMismatch(`the given preprocessing is for windows of ${given.length}+${given.horizon}, but the spec's are ${w.length}+${horizon}`);
  const mean = given ? given.mean : head.reduce((a, b) => a + b, 0) / Math.max(1, head.length);
  const std = given ? given.std : Math.sqrt(head.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, head.length)) || 1;
  if (given) opts.log?.(`${data.path}: the given preprocessing is used (mean ${mean}, std ${std})`);
  const z = series.map((v) => (v - mean) / std);
  const make = (starts: number[]): ExampleSet => {
    const x = new Float32Array(starts.length * w.length);
    const y = new Float32Array(starts.length * horizon);
    starts.forEach((s, k) => {
      x.set(z.slice(s, s + w.length), k * w.length);
      y.set(z.slice(s + w.length, s + w.length + horizon), k * horizon);
    });
    return { count: starts.length, shape: [w.length, 1], x: { dtype: 'float32', values: x }, target: { kind: 'real', width: horizon }, labels: new Int32Array(0), targets: y };
  };
  const trainStarts: number[] = [];
  const testStarts: number[] = [];
  for (let s = 0; s + w.length + horizon <= series.length; s++) {
    if (s + w.length + horizon <= trainEnd) trainStarts.push(s);
    else if (s + w.length >= trainEnd) testStarts.push(s);
  }
  if (trainStarts.length === 0 || testStarts.length === 0) throw new DataError(`${series.length} values give ${trainStarts.length} training and ${testStarts.length} test windows of ${w.length}+${horizon}; use a shorter window or another test_split.ratio`, table.file);
  // The naive forecast (repeat the last seen value) on the held-out tail, in the same standardised units as the loss.
  let se = 0;
  let ae = 0;
  for (const s of testStarts) for (let h = 0; h < horizon; h++) {
    const d = z[s + w.length + h] - z[s + w.length - 1];
    se += d * d;
    ae += Math.abs(d);
  }
  const m = testStarts.length * horizon;
  opts.log?.(`${data.path}: ${series.length} values of '${w.column}'; naive last-value forecast on the test tail: MSE ${(se / m).toFixed(4)}, MAE ${(ae / m).toFixed(4)} (standardised; ×${std.toFixed(3)} for ${w.column}'s units)`);
  const pre: TablePreprocessing = { kind: 'window', columns: [], target: w.column, targetType: 'real', classes: [], width: w.length, window: { length: w.length, horizon, mean, std } };
  return { name: 'csv', classNames: [], train: make(trainStarts), test: make(testStarts), preprocessing: pre };
}

export const loader: DataSetLoader<'csv'> = {
  name: 'csv',
  load: (data, opts) => loadTable(data, opts),
};
