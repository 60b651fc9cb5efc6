/**
 * The csv data set's table logic, shared by the compiler (facts: input width,
 * classes) and the runtime (the loader, predict): which columns are numeric
 * or categorical, the category lists and class names, the missing-value
 * policy, the train/test split and the fitted preprocessing (means and
 * standard deviations from the training rows only).
 *
 * Rows arrive already parsed (the compiler and the runtime each read the
 * file with csv-parse or JSON.parse); this module does no I/O. A pure leaf:
 * no imports, so the runtime and emitted projects may use it.
 */
import { mulberry32 } from './mulberry32.js';

/** One parsed cell: CSV cells are strings; JSON records may hold numbers, booleans or null. */
export type Cell = string | number | boolean | null | undefined;
export type TableRow = Readonly<Record<string, Cell>>;

export type ColumnType = 'numeric' | 'categorical' | 'year' | 'date';
export type Missing = 'drop' | 'mean' | 'mode' | { readonly constant: number | string };

/** The part of the data section the table logic reads. */
export interface TableSpec {
  readonly features?: readonly (string | { readonly column: string; readonly type?: ColumnType })[];
  readonly target?: string;
  readonly target_type?: 'class' | 'real';
  readonly missing?: Missing;
  readonly test_split?: { readonly ratio?: number; readonly column?: string; readonly value?: string; readonly path?: string };
  readonly window?: { readonly column: string; readonly order_by?: string; readonly length: number; readonly horizon?: number };
}

/** One feature column after fitting: how it becomes numbers. */
export interface FittedColumn {
  readonly column: string;
  readonly type: ColumnType;
  /** Categorical: the categories in one-hot order. */
  readonly categories?: readonly string[];
  /** Numeric / year / date: standardisation from the training rows. */
  readonly mean?: number;
  readonly std?: number;
  /** The value a missing cell takes (fill policies). */
  readonly fill?: number | string;
}

/**
 * Everything needed to turn a raw row into the model's input, saved with the
 * run (preprocessing.json) so eval, predict and emitted projects encode rows
 * as training did.
 */
export interface TablePreprocessing {
  readonly kind: 'table' | 'window';
  readonly columns: readonly FittedColumn[];
  readonly target: string;
  readonly targetType: 'class' | 'real';
  /** Class targets: the class names (sorted); real targets: empty. */
  readonly classes: readonly string[];
  /** The encoded input width (sum of 1 per numeric column and the category count of each categorical one). */
  readonly width: number;
  /** window: steps seen and predicted, and the series' train mean/std. */
  readonly window?: { readonly length: number; readonly horizon: number; readonly mean: number; readonly std: number };
}

export const isMissing = (c: Cell): boolean => c === null || c === undefined || (typeof c === 'string' && /^\s*(|na|nan|null|none|\?)\s*$/i.test(c));

/** The number a cell holds, or NaN. */
export function cellNumber(c: Cell, type: ColumnType = 'numeric'): number {
  if (isMissing(c)) return NaN;
  if (typeof c === 'number') return c;
  if (typeof c === 'boolean') return c ? 1 : 0;
  const s = String(c).trim();
  if (type === 'year') {
    const m = /^(\d{4})/.exec(s);
    return m ? Number(m[1]) : NaN;
  }
  if (type === 'date') {
    const t = Date.parse(s);
    return Number.isFinite(t) ? t / 86_400_000 : NaN;
  }
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : NaN;
}

export const cellText = (c: Cell): string => (typeof c === 'string' ? c.trim() : String(c));

/** The feature entries as {column, type?}. */
export function featureEntries(spec: TableSpec): { column: string; type?: ColumnType; index: number }[] {
  return (spec.features ?? []).map((f, index) => (typeof f === 'string' ? { column: f, index } : { column: f.column, ...(f.type ? { type: f.type } : {}), index }));
}

/** Every column name the spec refers to, with its JSON pointer (for "unknown column" checks). */
export function referencedColumns(spec: TableSpec): { column: string; pointer: string }[] {
  const out: { column: string; pointer: string }[] = [];
  if (spec.window) {
    out.push({ column: spec.window.column, pointer: '/data/window/column' });
    if (spec.window.order_by !== undefined) out.push({ column: spec.window.order_by, pointer: '/data/window/order_by' });
  } else {
    for (const f of featureEntries(spec)) out.push({ column: f.column, pointer: typeof spec.features?.[f.index] === 'string' ? `/data/features/${f.index}` : `/data/features/${f.index}/column` });
    if (spec.target !== undefined) out.push({ column: spec.target, pointer: '/data/target' });
  }
  if (spec.test_split?.column !== undefined) out.push({ column: spec.test_split.column, pointer: '/data/test_split/column' });
  return out;
}

/** A column's type: declared, else numeric when every present cell is a number, else categorical. */
export function inferType(rows: readonly TableRow[], column: string, declared?: ColumnType): ColumnType {
  if (declared) return declared;
  for (const r of rows) {
    const c = r[column];
    if (!isMissing(c) && !Number.isFinite(cellNumber(c))) return 'categorical';
  }
  return 'numeric';
}

/** Rows with a missing target dropped, and (policy drop) rows with a missing feature; the count dropped. */
export function dropMissing(rows: readonly TableRow[], spec: TableSpec): { rows: TableRow[]; dropped: number } {
  const cols = featureEntries(spec).map((f) => f.column);
  const policy = spec.missing ?? 'drop';
  const kept = rows.filter((r) => (spec.target === undefined || !isMissing(r[spec.target])) && (policy !== 'drop' || cols.every((c) => !isMissing(r[c]))));
  return { rows: kept, dropped: rows.length - kept.length };
}

/** The categories of each categorical feature and the classes, from all rows (both splits): a stable one-hot layout. */
export function planTable(rows: readonly TableRow[], spec: TableSpec): { columns: { column: string; type: ColumnType; categories?: string[] }[]; classes: string[]; width: number } {
  const columns = featureEntries(spec).map((f) => {
    const type = inferType(rows, f.column, f.type);
    if (type !== 'categorical') return { column: f.column, type };
    const cats = new Set<string>();
    for (const r of rows) if (!isMissing(r[f.column])) cats.add(cellText(r[f.column]));
    const fill = spec.missing;
    if (typeof fill === 'object' && typeof fill.constant === 'string') cats.add(fill.constant);
    return { column: f.column, type, categories: [...cats].sort() };
  });
  const classes = new Set<string>();
  if ((spec.target_type ?? 'class') === 'class' && spec.target !== undefined) for (const r of rows) if (!isMissing(r[spec.target])) classes.add(cellText(r[spec.target]));
  const width = columns.reduce((n, c) => n + (c.categories ? c.categories.length : 1), 0);
  return { columns, classes: [...classes].sort(), width };
}

/** A seeded generator (mulberry32). */
export const seededRandom = mulberry32;

/**
 * The test rows' indices: a seeded ratio (per class when `strata` is given,
 * so every class keeps its share), in ascending order.
 */
export function splitIndices(count: number, ratio: number, seed: number, strata?: readonly string[]): { train: number[]; test: number[] } {
  const rand = seededRandom(seed ^ 0x5eed);
  const groups = new Map<string, number[]>();
  for (let i = 0; i < count; i++) {
    const key = strata ? strata[i] : '';
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  }
  const test = new Set<number>();
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key)!;
    for (let i = g.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [g[i], g[j]] = [g[j], g[i]];
    }
    const n = Math.round(g.length * ratio);
    for (const i of g.slice(0, n)) test.add(i);
  }
  const train: number[] = [];
  const testOut: number[] = [];
  for (let i = 0; i < count; i++) (test.has(i) ? testOut : train).push(i);
  return { train, test: testOut };
}

/** Fits the preprocessing on the training rows only (means, stds, fill values). */
export function fitTable(train: readonly TableRow[], plan: ReturnType<typeof planTable>, spec: TableSpec): TablePreprocessing {
  const policy = spec.missing ?? 'drop';
  const columns: FittedColumn[] = plan.columns.map((c) => {
    if (c.type === 'categorical') {
      let fill: string | undefined;
      if (policy === 'mode' || policy === 'mean') {
        const counts = new Map<string, number>();
        for (const r of train) if (!isMissing(r[c.column])) counts.set(cellText(r[c.column]), (counts.get(cellText(r[c.column])) ?? 0) + 1);
        fill = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
      } else if (typeof policy === 'object') fill = String(policy.constant);
      return { column: c.column, type: c.type, categories: c.categories!, ...(fill !== undefined ? { fill } : {}) };
    }
    const xs = train.map((r) => cellNumber(r[c.column], c.type)).filter(Number.isFinite);
    const mean = xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
    const sd = xs.length ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) : 1;
    let fill: number | undefined;
    if (policy === 'mean') fill = mean;
    else if (policy === 'mode') {
      const counts = new Map<number, number>();
      for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
      fill = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? mean;
    } else if (typeof policy === 'object') fill = typeof policy.constant === 'number' ? policy.constant : cellNumber(policy.constant, c.type);
    return { column: c.column, type: c.type, mean, std: sd > 1e-12 ? sd : 1, ...(fill !== undefined ? { fill } : {}) };
  });
  const targetType = spec.target_type ?? 'class';
  return { kind: 'table', columns, target: spec.target ?? '', targetType, classes: plan.classes, width: plan.width };
}

/** Why a row cannot be encoded (a non-numeric cell in a numeric column, an unknown category), or undefined. */
export function encodeRow(row: TableRow, pre: TablePreprocessing, out: Float32Array, offset: number): string | undefined {
  let o = offset;
  for (const c of pre.columns) {
    const raw = row[c.column];
    if (c.categories) {
      const v = isMissing(raw) ? (c.fill !== undefined ? String(c.fill) : undefined) : cellText(raw);
      if (v === undefined) return `column '${c.column}' is missing`;
      const k = c.categories.indexOf(v);
      if (k < 0) return `column '${c.column}' has '${v}', which is not one of its categories (${c.categories.slice(0, 6).join(', ')}${c.categories.length > 6 ? ', …' : ''})`;
      out.fill(0, o, o + c.categories.length);
      out[o + k] = 1;
      o += c.categories.length;
    } else {
      let x = cellNumber(raw, c.type);
      if (isMissing(raw)) {
        if (typeof c.fill !== 'number') return `column '${c.column}' is missing`;
        x = c.fill;
      } else if (!Number.isFinite(x)) return `column '${c.column}' is ${c.type} but holds '${cellText(raw)}'`;
      out[o++] = (x - c.mean!) / c.std!;
    }
  }
  return undefined;
}
