/**
 * The csv data set's loader on tiny tables this test writes: encoding
 * (standardisation from the training rows only, one-hot), missing-value
 * policies, the three test splits, sequence windows, and malformed files
 * (ragged rows, a missing column, a non-numeric cell in a numeric column, an
 * empty file, bytes that are not UTF-8) → a DataError naming file and line.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DataSpec } from '../../../src/compiler/spec.js';
import { loadTable } from '../../../src/runtime/data/sets/csv.js';
import { readTable } from '../../../src/runtime/data/table-file.js';
import { tempDir, write } from './fixtures.js';

const spec = (over: Partial<DataSpec>): DataSpec => ({ dataset: 'csv', validation_split: 0, batch_size: 4, transforms: { train: [], eval: [] }, ...over });

function file(name: string, text: string | Uint8Array): string {
  return write(join(tempDir(), name), typeof text === 'string' ? Buffer.from(text) : text);
}

describe('csv tables: malformed files name the file and the line', () => {
  it('a ragged row', () => {
    const f = file('r.csv', 'a,b\n1,2\n3\n4,5\n');
    expect(() => readTable(f)).toThrow(`${f}: line 3: row has 1 cells but the header has 2 columns`);
  });
  it('an empty file, and a header without rows', () => {
    const e = file('e.csv', '');
    expect(() => readTable(e)).toThrow(`${e}: the file is empty`);
    const h = file('h.csv', 'a,b\n');
    expect(() => readTable(h)).toThrow(`${h}: the file has a header but no rows`);
  });
  it('bytes that are not UTF-8, with their line', () => {
    const f = file('l.csv', Uint8Array.from([...Buffer.from('a,b\n1,2\n'), 0x66, 0xe9, 0x2c, 0x33, 0x0a]));
    expect(() => readTable(f)).toThrow(`${f}: line 3: not valid UTF-8`);
  });
  it('a column the spec names that the file lacks', () => {
    const f = file('m.csv', 'size,label\n1,a\n2,b\n');
    expect(() => loadTable(spec({ path: f, features: ['sise'], target: 'label' }), {})).toThrow(`${f}: line 1: no column 'sise'`);
  });
  it('a non-numeric cell in a declared numeric column', () => {
    const f = file('n.csv', 'size,label\n1,a\n2,b\nbig,a\n3,b\n4,a\n');
    expect(() => loadTable(spec({ path: f, features: [{ column: 'size', type: 'numeric' }], target: 'label', test_split: { ratio: 0.4 } }), {})).toThrow(`${f}: line 4: column 'size' is numeric but holds 'big'`);
  });
  it('TSV and JSON records read as tables', () => {
    expect(readTable(file('t.tsv', 'a\tb\n1\tx\n')).rows).toEqual([{ a: '1', b: 'x' }]);
    const j = readTable(file('t.json', '[{"a": 1, "b": null}, {"a": 2, "c": "z"}]'));
    expect(j.columns).toEqual(['a', 'b', 'c']);
    expect(j.lines).toEqual([1, 2]);
  });
});

describe('csv tables: preprocessing', () => {
  it('standardises numeric columns with the training rows only and one-hots categories', () => {
    const f = file('p.csv', 'x,c,split,y\n1,u,train,a\n3,v,train,b\n100,u,test,a\n');
    const ds = loadTable(spec({ path: f, features: ['x', 'c'], target: 'y', test_split: { column: 'split' } }), {});
    expect(ds.preprocessing.columns[0]).toMatchObject({ column: 'x', type: 'numeric', mean: 2, std: 1 });
    expect(ds.preprocessing.columns[1]).toMatchObject({ column: 'c', type: 'categorical', categories: ['u', 'v'] });
    expect([...ds.train.x.values]).toEqual([-1, 1, 0, 1, 0, 1]);
    expect([...ds.test.x.values]).toEqual([98, 1, 0]);
    expect(ds.classNames).toEqual(['a', 'b']);
    expect([...ds.train.labels]).toEqual([0, 1]);
  });
  it('drops rows with missing cells and reports the count, or fills them (mean / constant)', () => {
    const text = 'x,c,y\n1,u,a\n,u,b\n3,,a\n5,v,b\n7,u,a\n9,v,b\n';
    const logs: string[] = [];
    const dropped = loadTable(spec({ path: file('d.csv', text), features: ['x', 'c'], target: 'y', test_split: { ratio: 0.25 } }), { log: (m) => logs.push(m) });
    expect(dropped.train.count + dropped.test.count).toBe(4);
    expect(logs.join('\n')).toMatch(/2 rows with missing values dropped/);
    const filled = loadTable(spec({ path: file('f.csv', text), features: ['x', { column: 'c', type: 'categorical' }], target: 'y', missing: { constant: 'u' }, test_split: { ratio: 0.25 } }), {});
    expect(filled.train.count + filled.test.count).toBe(6);
    const mean = loadTable(spec({ path: file('g.csv', text), features: ['x'], target: 'y', missing: 'mean', test_split: { ratio: 0.25 } }), {});
    expect(mean.preprocessing.columns[0].fill).toBeCloseTo(mean.preprocessing.columns[0].mean!, 6);
  });
  it('a seeded ratio split is stratified and reproducible; year columns read a date string', () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${1970 + (i % 10)}-01-01,${i < 30 ? 'a' : 'b'}`);
    const f = file('s.csv', ['d,y', ...rows].join('\n'));
    const s = spec({ path: f, features: [{ column: 'd', type: 'year' }], target: 'y', test_split: { ratio: 0.2 } });
    const one = loadTable(s, { seed: 3 });
    const two = loadTable(s, { seed: 3 });
    const other = loadTable(s, { seed: 4 });
    expect([...one.test.labels].sort()).toEqual([0, 0, 0, 0, 0, 0, 1, 1]);
    expect([...one.test.x.values]).toEqual([...two.test.x.values]);
    expect([...other.test.x.values]).not.toEqual([...one.test.x.values]);
    expect(one.preprocessing.columns[0].mean).toBeGreaterThan(1970);
  });
  it('real targets, and a second file as the test split', () => {
    const train = file('a.csv', 'x,y\n1,2.5\n2,4.5\n');
    const test = file('b.csv', 'x,y\n3,6.5\n');
    const ds = loadTable(spec({ path: train, features: ['x'], target: 'y', target_type: 'real', test_split: { path: test } }), {});
    expect(ds.train.target).toEqual({ kind: 'real', width: 1 });
    expect([...ds.train.targets!]).toEqual([2.5, 4.5]);
    expect([...ds.test.x.values]).toEqual([3]);
  });
});

describe('csv sequence windows', () => {
  it('orders by a column, standardises with the training part and holds out the tail', () => {
    const rows = Array.from({ length: 10 }, (_, i) => `2000-${String(10 - i).padStart(2, '0')}-01,${10 - i}`);
    const f = file('w.csv', ['date,v', ...rows].join('\n'));
    const logs: string[] = [];
    const ds = loadTable(spec({ path: f, window: { column: 'v', order_by: 'date', length: 3 }, test_split: { ratio: 0.2 } }), { log: (m) => logs.push(m) });
    // series 1..10, train part 1..8 (mean 4.5), windows of 3 → next value.
    const w = ds.preprocessing.window!;
    expect(w.mean).toBe(4.5);
    expect(ds.train.shape).toEqual([3, 1]);
    expect(ds.train.count).toBe(5);
    expect(ds.test.count).toBe(2);
    const unz = (z: number) => Math.round(z * w.std + w.mean);
    expect([...ds.test.targets!].map(unz)).toEqual([9, 10]);
    expect([...ds.test.x.values].slice(0, 3).map(unz)).toEqual([6, 7, 8]);
    expect(logs.join('\n')).toMatch(/naive last-value forecast/);
  });
});
