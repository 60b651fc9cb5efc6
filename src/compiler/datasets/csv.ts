/**
 * csv: a table (CSV, TSV or a JSON array of records) from data.path — feature
 * columns and a target column by name, or sequence windows over one numeric
 * column (data.window). The facts come from the file: its header for the
 * column checks (a column the spec names that the header lacks is reported
 * at its spec position with did-you-mean), then its rows for the one-hot
 * widths and the classes (compiler/shared/tabular.ts, which the loader uses
 * too, so both agree).
 */
import { array, describe, integer, object } from '../front/schema/helpers.js';
import { resolveDataPath } from '../shared/data-path.js';
import { dropMissing, planTable, referencedColumns } from '../shared/tabular.js';
import type { DataSpec } from '../spec.js';
import type { DatasetDef, SetFacts, TargetKind } from './dataset-def.js';
import { readHeader, readRows } from './table-read.js';

const columnType = describe({ type: 'string', enum: ['numeric', 'categorical', 'year', 'date'] }, 'How the cells become numbers: numeric, categorical (one-hot), year (a date string\'s year), date (days since 1970).', { examples: ['year'] });

/** A window (forecasting) or `target_type: real` regresses; otherwise the target column holds classes. */
const csvTargetKind = (data: DataSpec): TargetKind => (data.window || data.target_type === 'real' ? 'real' : 'class');

export const csv: DatasetDef<'csv'> = {
  name: 'csv',
  description: 'A table from data.path (CSV, TSV or a JSON array of records): feature columns and a target column by name, or windows over a time series.',
  keys: ['path', 'features', 'target', 'target_type', 'missing', 'test_split', 'window'],
  schema: {
    features: array(
      { anyOf: [{ type: 'string' }, { type: 'object', properties: { column: describe({ type: 'string' }, 'The column name, as in the header.', { examples: ['Year'] }), type: columnType }, required: ['column'], additionalProperties: false }] },
      '`csv` only: the feature columns, by name; `{column, type}` declares a type (numeric, categorical, year — a date string\'s year —, date — days since 1970). Numeric columns are standardised with the training rows\' mean and std; categorical ones are one-hot.',
      { minItems: 1, examples: [['Island', 'Beak Length (mm)']] },
    ),
    target: describe({ type: 'string' }, '`csv` only: the target column.', { examples: ['Species'] }),
    target_type: describe({ type: 'string', enum: ['class', 'real'] }, '`csv` only: `class` (default; the classes are the column\'s values, sorted) or `real` (regression).', { examples: ['real'] }),
    missing: describe(
      { anyOf: [{ type: 'string', enum: ['drop', 'mean', 'mode'] }, { type: 'object', properties: { constant: describe({ type: ['number', 'string'] }, 'The value a missing cell takes.', { examples: [0] }) }, required: ['constant'], additionalProperties: false }] },
      '`csv` only: a missing feature cell (empty, NA, NaN, null, ?) drops its row (`drop`, default) or takes the training rows\' mean (numeric; mode for categorical), mode, or `{constant: v}`. Rows without a target are always dropped; the count is reported.',
      { examples: ['mean'] },
    ),
    test_split: object(
      {
        ratio: describe({ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }, 'Fraction held out (default 0.2): seeded, stratified for class targets; windows: the last fraction in time order.', { examples: [0.2] }),
        column: describe({ type: 'string' }, 'A column marking test rows.', { examples: ['split'] }),
        value: describe({ type: 'string' }, 'The value of `column` that marks a test row (default "test").', { examples: ['test'] }),
        path: describe({ type: 'string' }, 'A second file with the test rows (same columns).', { examples: ['test.csv'] }),
      },
      '`csv` only: where the test rows come from.',
    ),
    window: object(
      {
        column: describe({ type: 'string' }, 'The numeric series.', { examples: ['CO2'] }),
        order_by: describe({ type: 'string' }, 'The column the rows are ordered by (numbers or dates); the file order when absent.', { examples: ['Date'] }),
        length: integer('Steps the model sees.', { minimum: 1, examples: [24] }),
        horizon: integer('Steps it predicts (default 1).', { minimum: 1, examples: [1] }),
      },
      '`csv` only: sequence windows for forecasting: inputs [length, 1] of the standardised series, targets the next `horizon` values (standardised with the training part\'s mean and std).',
      { required: ['column', 'length'] },
    ),
  },
  requires: [{ key: 'path', message: "dataset csv needs 'path' (a CSV/TSV file or a JSON array of records)", hint: 'add path: vega-datasets/data/penguins.json (a package path or a file relative to the spec)' }],
  input: 'float32',
  target: 'class',
  downloads: false,
  source: 'The table is read from `data.path` in `src/data.ts` (a relative path is taken\nfrom the directory you run in); numeric columns are standardised with the\nstatistics of the training rows.',
  targetKindOf: (data) => csvTargetKind(data),
  facts(data, ctx) {
    if (data.path === undefined) return {};
    const file = resolveDataPath(data.path, ctx.specDir ?? '.');
    const files = [file, ...(data.test_split?.path !== undefined ? [resolveDataPath(data.test_split.path, ctx.specDir ?? '.')] : [])];
    const problems: NonNullable<SetFacts['problems']>[number][] = [];
    let header: string[];
    try {
      header = readHeader(file);
    } catch (err) {
      return { problems: [{ kind: 'file', pointer: '/data/path', message: `cannot read the table '${data.path}': ${(err as Error).message}` }] };
    }
    for (const ref of referencedColumns(data)) {
      if (!header.includes(ref.column)) problems.push({ kind: 'column', pointer: ref.pointer, message: `column '${ref.column}' is not in ${data.path}`, word: ref.column, candidates: header });
    }
    if (problems.length) return { problems };
    const targetKind = csvTargetKind(data);
    if (data.window) return { shape: [data.window.length, 1], numClasses: data.window.horizon ?? 1, targetKind, classesFrom: 'data.window.horizon says' };
    let rows;
    try {
      rows = files.flatMap((f) => readRows(f));
    } catch (err) {
      return { problems: [{ kind: 'file', pointer: '/data/path', message: `cannot read the table '${data.path}': ${(err as Error).message}` }] };
    }
    const plan = planTable(dropMissing(rows, data).rows, data);
    if (targetKind === 'real') return { shape: [plan.width], numClasses: 1, targetKind, classesFrom: 'a real target has' };
    return { shape: [plan.width], numClasses: plan.classes.length, classNames: plan.classes, targetKind, classesFrom: `the target column '${data.target}' of ${data.path} has` };
  },
  hints: { shape: 'give data.path and data.features', classes: 'give data.path and data.target' },
};
