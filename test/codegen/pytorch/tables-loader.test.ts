/**
 * The PyTorch target's csv loader (templates/pytorch/dlc_runtime/tables.py) against dlc's
 * (src/runtime/data/sets/csv.ts): on tables this test writes — JSON records with numeric,
 * boolean, categorical and missing cells; a regression CSV with year/date columns and a split
 * column; a TSV with a second test file; a CSV with quoted multi-line cells; a time series in
 * shuffled date order with gaps for sequence windows — both give the same float32 inputs
 * (within 1e-6), the same labels / targets in the same order (so the same split), the same
 * class list and the same preprocessing.json text, under every missing-value policy. Malformed
 * files give the same error, naming the file and the line.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DataSpec } from '../../../src/compiler/spec.js';
import { loadTable } from '../../../src/runtime/data/sets/csv.js';
import { PY_B64, PYTHON, f32FromBase64, runPython } from './python.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlc-torch-tables-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let seed = 12345;
const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const num = (lo: number, hi: number, digits = 1): number => Number((lo + rnd() * (hi - lo)).toFixed(digits));

function write(name: string, text: string | Buffer): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

// Penguins-like: species from numeric measurements, the island, the sex (missing as null, "NA", "" and "?"), a boolean.
const penguins = Array.from({ length: 61 }, (_, i) => {
  const species = pick(['Adelie', 'Chinstrap', 'Gentoo']);
  const base = species === 'Gentoo' ? 47 : species === 'Chinstrap' ? 49 : 39;
  return {
    Species: species,
    Island: pick(['Biscoe', 'Dream', 'Torgersen']),
    'Beak Length (mm)': i % 17 === 3 ? null : num(base - 3, base + 3),
    'Body Mass (g)': i % 13 === 5 ? 'NA' : Math.round(num(2800, 6000)),
    Sex: i % 7 === 2 ? null : i % 11 === 4 ? '?' : pick(['MALE', 'FEMALE']),
    Banded: rnd() < 0.4,
    Year: 2007 + (i % 3),
  };
});
const penguinsFile = write('penguins.json', JSON.stringify(penguins, null, 1));
const penguinFeatures = ['Island', 'Beak Length (mm)', 'Body Mass (g)', 'Sex', 'Banded', { column: 'Year', type: 'categorical' as const }];

// Regression: a real target, a year column written as a date string, a date column, a split column.
const cars = ['mpg,cyl,weight,year,when,origin,split'];
for (let i = 0; i < 48; i++) {
  const cyl = pick([4, 6, 8]);
  cars.push(`${num(10, 40, 2)},${cyl},${Math.round(num(1600, 5000))},${1970 + (i % 12)}-01-01,2020-0${1 + (i % 9)}-1${i % 10},${pick(['USA', 'Europe', 'Japan'])},${i % 5 === 0 ? 'test' : 'train'}`);
}
cars.splice(9, 0, ' 21.5 , 4 ,2100, 1975-01-01 ,2020-03-11,"Europe",train');
const carsFile = write('cars.csv', cars.join('\n') + '\n');

// TSV with a second file as the test split; a BOM and CRLF line ends.
const tsvRows = (n: number) => Array.from({ length: n }, () => `${num(0, 10)}\t${pick(['a', 'b'])}\t${pick(['yes', 'no'])}`);
const tsvTrain = write('train.tsv', '\ufeffx\tkind\tlabel\r\n' + tsvRows(30).join('\r\n') + '\r\n');
const tsvTest = write('test.tsv', 'x\tkind\tlabel\n' + tsvRows(9).join('\n') + '\n\n');

// JSON numbers whose text JavaScript writes its own way (String(v)) as categories: 1.2345e-5, an integer past 2^53, 3.0, 1e21.
const oddCodes = ['1.2345e-5', '12345678901234567890', '3.0', '1e21', 'true', '"x"'];
const oddJson = write('odd.json', `[${Array.from({ length: 24 }, (_, i) => `{"code": ${oddCodes[i % oddCodes.length]}, "v": ${i % 5}, "y": "${i % 3 === 0 ? 'a' : 'b'}"}`).join(',\n')}]`);

// Quoted cells with commas, quotes and line breaks (the lines of later rows shift).
const quoted = write('quoted.csv', ['name,score,label', '"Smith, J.",3.5,pass', '"line one\nline two",1.25,fail', '"say ""hi""",2,pass', 'plain,4.75,pass', '', 'last,0.5,fail', 'one more,2.5,fail'].join('\n') + '\n');

// A monthly series, rows shuffled, a few missing values and an unparsable date.
const months = Array.from({ length: 70 }, (_, i) => `${1990 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01,${i % 19 === 7 ? 'NA' : num(300, 320, 2)}`);
for (let i = months.length - 1; i > 0; i--) {
  const j = Math.floor(rnd() * (i + 1));
  [months[i], months[j]] = [months[j]!, months[i]!];
}
months.push('not a date,311.5');
const seriesFile = write('series.csv', ['Date,CO2', ...months].join('\n') + '\n');

interface Loaded {
  classNames: string[];
  pre: string;
  logs: string[];
  train: { count: number; shape: number[]; x: string; labels: number[]; targets: string | null };
  test: { count: number; shape: number[]; x: string; labels: number[]; targets: string | null };
}

// Every load the tests ask Python for, answered by one Python process (starting one per case is slow).
interface Request {
  data: DataSpec;
  seed: number;
  saved?: unknown;
}
const requests: Request[] = [];
let answers: (Loaded | { error: string; type: string })[] | undefined;
const key = (r: Request) => JSON.stringify(r);

function answer(r: Request): Loaded | { error: string; type: string } {
  if (!answers) {
    answers = runPython<(Loaded | { error: string; type: string })[]>(
      `${PY_B64}
from dlc_runtime.tables import load_table, preprocessing_json
def part(s):
    return {'count': s.count, 'shape': s.shape, 'x': b64(s.images.astype(np.float32)), 'labels': s.labels.tolist() if s.targets is None else [],
            'targets': None if s.targets is None else b64(s.targets.astype(np.float32))}
out = []
for req in INPUT:
    logs = []
    try:
        ds = load_table(req['data'], seed=req['seed'], log=logs.append, saved=req.get('saved'))
        out.append({'classNames': ds.class_names, 'pre': preprocessing_json(ds.preprocessing), 'logs': logs, 'train': part(ds.train), 'test': part(ds.test)})
    except Exception as e:
        out.append({'error': str(e), 'type': type(e).__name__})
print(json.dumps(out))`,
      requests,
    );
  }
  const i = requests.findIndex((q) => key(q) === key(r));
  expect(i, 'the request was queued before the first answer').toBeGreaterThanOrEqual(0);
  return answers[i]!;
}

function python(data: DataSpec, seedValue: number, saved?: unknown): Loaded {
  const a = answer({ data, seed: seedValue, ...(saved ? { saved } : {}) });
  if ('error' in a) throw new Error(a.error);
  return a;
}

function expectClose(a: Float32Array, b: Float32Array, what: string): void {
  expect(b.length, what).toBe(a.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  expect(worst, what).toBeLessThanOrEqual(1e-6);
}

function compare(data: DataSpec, seedValue = 0): Loaded {
  const logs: string[] = [];
  const ts = loadTable(data, { seed: seedValue, log: (l) => logs.push(l) });
  const py = python(data, seedValue);
  expect(py.classNames).toEqual([...ts.classNames]);
  expect(py.pre).toBe(`${JSON.stringify(ts.preprocessing, null, 2)}\n`);
  expect(py.logs).toEqual(logs);
  for (const split of ['train', 'test'] as const) {
    const a = ts[split];
    const b = py[split];
    expect(b.count, split).toBe(a.count);
    expect(b.shape, split).toEqual([...a.shape]);
    expectClose(a.x.values as Float32Array, f32FromBase64(b.x), `${split} x`);
    if (a.target.kind === 'class') expect(b.labels, `${split} labels`).toEqual(Array.from(a.labels));
    else expectClose(a.targets!, f32FromBase64(b.targets!), `${split} targets`);
  }
  return py;
}

const base = { validation_split: 0, batch_size: 8, transforms: { train: [], eval: [] } };
const spec = (d: Record<string, unknown>): DataSpec => ({ dataset: 'csv', ...base, ...d }) as unknown as DataSpec;
const queue = (data: DataSpec, seedValue = 0, saved?: unknown): DataSpec => {
  requests.push({ data, seed: seedValue, ...(saved ? { saved } : {}) });
  return data;
};

// The loads compared (queued now, so one Python process answers them all).
const PENGUIN_CASES = [
  ['mode', 'mode', 7, penguinFeatures],
  ['mean', 'mean', 1, penguinFeatures],
  ['drop', 'drop', 42, penguinFeatures],
  // A numeric constant cannot fill a categorical cell (dlc says so for Sex): numeric and boolean columns only.
  ['constant 0', { constant: 0 }, 3, ['Island', 'Beak Length (mm)', 'Body Mass (g)', 'Banded']],
] as const;
const penguinSpecs = PENGUIN_CASES.map(([, missing, s, features]) => queue(spec({ path: penguinsFile, features, target: 'Species', missing, test_split: { ratio: 0.25 } }), s));
const constantString = queue(spec({ path: penguinsFile, features: ['Island', 'Sex'], target: 'Species', missing: { constant: 'unknown' }, test_split: { ratio: 0.3 } }), 5);
const carsByColumn = queue(spec({ path: carsFile, features: ['cyl', 'weight', { column: 'year', type: 'year' }, { column: 'when', type: 'date' }, 'origin'], target: 'mpg', target_type: 'real', test_split: { column: 'split', value: 'test' } }));
const carsByRatio = queue(spec({ path: carsFile, features: ['cyl', 'weight', 'origin'], target: 'mpg', target_type: 'real', test_split: { ratio: 0.3 } }), 99);
const tsvSpec = queue(spec({ path: tsvTrain, features: ['x', 'kind'], target: 'label', test_split: { path: tsvTest } }));
const oddSpec = queue(spec({ path: oddJson, features: [{ column: 'code', type: 'categorical' }, 'v'], target: 'y', test_split: { ratio: 0.25 } }), 6);
const quotedSpec = queue(spec({ path: quoted, features: ['score'], target: 'label', test_split: { ratio: 0.34 } }), 2);
const windowSpec = queue(spec({ path: seriesFile, window: { column: 'CO2', order_by: 'Date', length: 6, horizon: 2 }, test_split: { ratio: 0.25 } }));
const windowOther = spec({ path: seriesFile, window: { column: 'CO2', order_by: 'Date', length: 6, horizon: 2 }, test_split: { ratio: 0.5 } });
const windowSaved = loadTable(windowSpec, { seed: 0 }).preprocessing;
queue(windowOther, 0, windowSaved);
queue(windowOther, 0);
const tableSaved = spec({ path: penguinsFile, features: penguinFeatures, target: 'Species', missing: 'mean', test_split: { ratio: 0.25 } });
const tablePre = loadTable(tableSaved, { seed: 0 }).preprocessing;
const moved = { ...tablePre, columns: tablePre.columns.map((c) => (c.mean !== undefined ? { ...c, mean: c.mean + 1 } : c)) };
queue(tableSaved, 0, moved);
queue(tableSaved, 0);
// Saved preprocessings this data cannot be encoded with (another target, other columns, other windows): refused by both.
const MISFITS: [string, DataSpec, object][] = [
  ['another target', tableSaved, { ...tablePre, target: 'Island' }],
  ['other columns', tableSaved, { ...tablePre, columns: tablePre.columns.slice(1) }],
  ['other windows', windowOther, { ...windowSaved, window: { ...windowSaved.window!, length: 4 } }],
];
for (const [, data, saved] of MISFITS) queue(data, 0, saved);

const BAD: [string, string | Buffer, Record<string, unknown>, RegExp][] = [
  ['ragged-long.csv', 'a,b,y\n1,2,p\n3,4,q\n5,6,7,q\n', { features: ['a', 'b'], target: 'y' }, /ragged-long\.csv: line 4: row has 4 cells but the header has 3 columns/],
  ['ragged-short.csv', 'a,b,y\n1,2,p\n3,q\n', { features: ['a', 'b'], target: 'y' }, /ragged-short\.csv: line 3: row has 2 cells but the header has 3 columns/],
  ['no-column.csv', 'a,b,y\n1,2,p\n3,4,q\n', { features: ['a', 'nope'], target: 'y' }, /no-column\.csv: line 1: no column 'nope' \(the columns are 'a', 'b', 'y'\)/],
  ['not-number.csv', 'a,b,y\n1,2,p\n3,4,q\n5,abc,p\n6,7,q\n8,9,p\n', { features: ['a', { column: 'b', type: 'numeric' }], target: 'y', test_split: { column: 'a', value: '6' } }, /not-number\.csv: line 4: column 'b' is numeric but holds 'abc'/],
  ['real-target.csv', 'a,y\n1,2.5\n3,oops\n4,5\n', { features: ['a'], target: 'y', target_type: 'real', test_split: { column: 'a', value: '4' } }, /real-target\.csv: line 3: the target 'y' is real but holds 'oops'/],
  ['empty.csv', ' \n\n', { features: ['a'], target: 'y' }, /empty\.csv: the file is empty \(no header line\)/],
  ['header-only.csv', 'a,y\n', { features: ['a'], target: 'y' }, /header-only\.csv: the file has a header but no rows/],
  ['latin1.csv', Buffer.concat([Buffer.from('a,y\n1,p\n2,'), Buffer.from([0xe9, 0x74, 0xe9]), Buffer.from('\n')]), { features: ['a'], target: 'y' }, /latin1\.csv: line 3: not valid UTF-8 \(save the file as UTF-8\)/],
  ['open-quote.csv', 'a,y\n1,p\n2,x"y\n', { features: ['a'], target: 'y' }, /open-quote\.csv: line 3: Invalid Opening Quote: a quote is found on field "y" at line 3, value is "x"/],
  ['unclosed.csv', 'a,y\n1,p\n2,"p\n3,q\n', { features: ['a'], target: 'y' }, /unclosed\.csv: line \d+: Quote Not Closed/],
  ['dup.csv', 'a,a,y\n1,2,p\n', { features: ['a'], target: 'y' }, /dup\.csv: line 1: column 'a' appears twice in the header/],
  ['keys.json', '[{"b": 1, "10": 2, "2": 3, "y": "p"}, {"a": 1, "07": 0, "y": "q"}]', { features: ['nope'], target: 'y' }, /keys\.json: line 1: no column 'nope' \(the columns are '2', '10', 'b', 'y', 'a', '07'\)/],
  ['records.json', '[{"a": 1, "y": "p"}, 3]', { features: ['a'], target: 'y' }, /records\.json: record 2 is not an object/],
  ['series-bad.csv', 't,v\n1,2\n2,x\n3,4\n', { window: { column: 'v', order_by: 't', length: 1 } }, /series-bad\.csv: line 3: column 'v' is numeric but holds 'x'/],
];
const badSpecs = BAD.map(([name, text, d]) => queue(spec({ path: write(name, text), ...d })));
const absent = queue(spec({ path: join(tmp, 'absent.csv'), features: ['a'], target: 'y' }));
mkdirSync(join(tmp, 'a-dir'));
const aDirectory = queue(spec({ path: join(tmp, 'a-dir'), features: ['a'], target: 'y' }));

describe.skipIf(!PYTHON)('PyTorch target: the csv loader is dlc\'s', () => {
  it.each(PENGUIN_CASES.map((c, i) => [c[0], i] as const))('JSON records, numeric + boolean + categorical + missing, missing: %s, stratified split', (_label, i) => {
    const py = compare(penguinSpecs[i]!, PENGUIN_CASES[i]![2]);
    expect(py.classNames).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(py.train.count + py.test.count).toBeGreaterThan(30);
  });

  it('a string constant fills categorical columns (and joins their categories)', () => {
    const py = compare(constantString, 5);
    expect(py.pre).toContain('"unknown"');
  });

  it('regression CSV: a real target, year and date columns, cells with spaces and quotes, the split from a column; a seeded ratio', () => {
    const py = compare(carsByColumn);
    expect(py.test.count).toBe(10);
    compare(carsByRatio, 99);
  });

  it('TSV (BOM, CRLF) with a second file as the test split', () => {
    const py = compare(tsvSpec);
    expect([py.train.count, py.test.count]).toEqual([30, 9]);
  });

  it('JSON numbers as categories are written as JavaScript writes them (exponents, big integers, 3.0)', () => {
    const py = compare(oddSpec, 6);
    expect(py.pre).toContain('"0.000012345"');
    expect(py.pre).toContain('"12345678901234567000"');
    expect(py.pre).toContain('"1e+21"');
  });

  it('quoted cells with commas, quotes and line breaks; an empty line', () => {
    const py = compare(quotedSpec, 2);
    expect(py.train.count + py.test.count).toBe(6);
  });

  it('sequence windows over a column ordered by a date column (gaps, an unparsable date); a saved preprocessing is reused', () => {
    const py = compare(windowSpec);
    expect(py.train.shape).toEqual([6, 1]);
    // --preprocessing: the saved mean/std are used instead of fitting (this other ratio fits others).
    const reused = python(windowOther, 0, windowSaved);
    expect(reused.pre).toBe(py.pre);
    const refit = python(windowOther, 0);
    expect((JSON.parse(refit.pre) as { window: { mean: number } }).window.mean).not.toBe(windowSaved.window!.mean);
  });

  it.each(MISFITS.map((m, i) => [m[0], i] as const))('a saved preprocessing for %s is refused with dlc\'s words', (_what, i) => {
    const [, data, saved] = MISFITS[i]!;
    let tsMessage = '';
    try {
      loadTable(data, { seed: 0, saved: saved as { kind: string } });
    } catch (e) {
      tsMessage = (e as Error).message;
    }
    expect(tsMessage).toMatch(/^the given preprocessing (is for|encodes)/);
    const py = answer({ data, seed: 0, saved }) as { error: string; type: string };
    expect(py.type).toBe('DataError');
    expect(py.error).toBe(`${data.path}: ${tsMessage.replace('the given preprocessing', 'the saved preprocessing')}`);
  });

  it('a saved table preprocessing is used instead of fitting (the TS run\'s preprocessing.json)', () => {
    const py = python(tableSaved, 0, moved);
    expect(py.pre).toBe(`${JSON.stringify(moved, null, 2)}\n`);
    const fitted = python(tableSaved, 0);
    expect(Array.from(f32FromBase64(py.train.x))).not.toEqual(Array.from(f32FromBase64(fitted.train.x)));
  });
});

describe.skipIf(!PYTHON)('PyTorch target: malformed tables give dlc\'s error, naming the file and the line', () => {
  it.each(BAD.map((b, i) => [b[0], i] as const))('%s', (_name, i) => {
    let tsMessage = '';
    try {
      loadTable(badSpecs[i]!, { seed: 0 });
    } catch (e) {
      tsMessage = (e as Error).message;
    }
    expect(tsMessage).toMatch(BAD[i]![3]);
    const py = answer({ data: badSpecs[i]!, seed: 0 }) as { error: string; type: string };
    expect(py.type).toBe('DataError');
    expect(py.error).toBe(tsMessage);
  });

  it('a missing file, a directory: dlc\'s words, naming the path', () => {
    for (const data of [absent, aDirectory]) {
      let tsMessage = '';
      try {
        loadTable(data, { seed: 0 });
      } catch (e) {
        tsMessage = (e as Error).message;
      }
      expect(tsMessage).toMatch(/(absent\.csv: no such file or directory|a-dir: it is a directory, not a regular file)$/);
      const py = answer({ data, seed: 0 }) as { error: string; type: string };
      expect(py.type).toBe('DataError');
      expect(py.error).toBe(tsMessage);
    }
  });
});
