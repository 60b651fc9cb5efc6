/**
 * A given preprocessing (--preprocessing FILE of an emitted project; a
 * resumed run's own): the file is checked before training, and the csv
 * loader refuses one that cannot encode this spec's data, naming why.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DataSpec } from '../../../src/compiler/spec.js';
import { loadTable } from '../../../src/runtime/data/sets/csv.js';
import { preprocessingKindOf, readGivenPreprocessing, readPreprocessingFile, runPreprocessing, weightsRunPreprocessing } from '../../../src/runtime/train/preprocessing-file.js';
import { parseProjectArgs } from '../../../src/runtime/train/project-args.js';

const root = mkdtempSync(join(tmpdir(), 'dlc-pre-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const table = join(root, 't.csv');
writeFileSync(table, ['x,c,y', ...Array.from({ length: 20 }, (_, i) => `${i},${i % 2 ? 'a' : 'b'},${i % 3 ? 'p' : 'q'}`)].join('\n'));
const data = { dataset: 'csv', path: table, features: ['x', 'c'], target: 'y', test_split: { ratio: 0.25 }, validation_split: 0, batch_size: 4, transforms: { train: [], eval: [] } } as unknown as DataSpec;

describe('a given preprocessing', () => {
  it('readPreprocessingFile: missing file, not JSON, not a preprocessing — each named', async () => {
    await expect(readPreprocessingFile(join(root, 'none.json'))).rejects.toThrow(`cannot read the preprocessing file ${join(root, 'none.json')}: no such file`);
    writeFileSync(join(root, 'bad.json'), '{"kind": ');
    await expect(readPreprocessingFile(join(root, 'bad.json'))).rejects.toThrow(`${join(root, 'bad.json')} is not JSON`);
    writeFileSync(join(root, 'other.json'), '{"means": [1]}');
    await expect(readPreprocessingFile(join(root, 'other.json'))).rejects.toThrow(`${join(root, 'other.json')} is not a dlc preprocessing.json: its "kind" is undefined`);
    expect(await runPreprocessing(root)).toBeUndefined();
  });

  it('readGivenPreprocessing: the file as written, or an error naming it when the spec needs another kind or none', async () => {
    const file = join(root, 'given.json');
    const text = '{ "kind":"table",\n "columns": [] }';
    writeFileSync(file, text);
    expect(await readGivenPreprocessing(file, data)).toEqual({ file, text, saved: { kind: 'table', columns: [] } });
    expect(preprocessingKindOf({ dataset: 'csv', window: { column: 'v', length: 3 } })).toBe('window');
    await expect(readGivenPreprocessing(file, { dataset: 'text' })).rejects.toThrow(`--preprocessing ${file}: it is a table preprocessing, but this spec's text data needs a text one`);
    await expect(readGivenPreprocessing(file, { dataset: 'csv', window: { column: 'v', length: 3 } })).rejects.toThrow(`--preprocessing ${file}: it is a table preprocessing, but this spec's csv data needs a window one`);
    await expect(readGivenPreprocessing(file, { dataset: 'cifar10' })).rejects.toThrow(`--preprocessing ${file}: the spec's data set cifar10 has no preprocessing`);
    await expect(readGivenPreprocessing(join(root, 'none.json'), data)).rejects.toThrow('no such file');
  });

  it("weightsRunPreprocessing: the preprocessing.json of a checkpoint's run, or of a run directory", async () => {
    const run = join(root, 'run');
    mkdirSync(join(run, 'checkpoints', 'best'), { recursive: true });
    expect(await weightsRunPreprocessing(join(run, 'checkpoints', 'best'))).toBeUndefined();
    writeFileSync(join(run, 'preprocessing.json'), '{"kind": "text", "vocab": ["a"]}');
    const found = { file: join(run, 'preprocessing.json'), saved: { kind: 'text', vocab: ['a'] } };
    expect(await weightsRunPreprocessing(join(run, 'checkpoints', 'best'))).toEqual(found);
    expect(await weightsRunPreprocessing(run)).toEqual(found);
    // Not readable as one: no preprocessing to compare with (a warning's input, never an error).
    writeFileSync(join(run, 'preprocessing.json'), '{');
    expect(await weightsRunPreprocessing(run)).toBeUndefined();
  });

  it('the csv loader uses a given table preprocessing: an edited mean moves every encoded value', () => {
    const fitted = loadTable(data, { seed: 1 });
    const x = fitted.preprocessing.columns.find((c) => c.column === 'x') as { mean: number; std: number };
    const edited = { ...fitted.preprocessing, columns: fitted.preprocessing.columns.map((c) => (c.column === 'x' ? { ...c, mean: x.mean + 2 * x.std } : c)) };
    const logs: string[] = [];
    const given = loadTable(data, { seed: 1, saved: edited, log: (l) => logs.push(l) });
    expect(given.preprocessing).toEqual(edited);
    expect(logs.join('\n')).toContain('the given preprocessing is used');
    const w = fitted.preprocessing.width;
    const a = fitted.train.x.values as Float32Array;
    const b = given.train.x.values as Float32Array;
    const col = 0; // x is the first encoded column
    for (let i = 0; i < fitted.train.count; i++) expect(b[i * w + col]).toBeCloseTo(a[i * w + col] - 2, 5);
  });

  it('the csv loader refuses a preprocessing of another kind, target or columns', () => {
    const fitted = loadTable(data, { seed: 1 }).preprocessing;
    const given = (p: object) => p as { kind: string };
    expect(() => loadTable(data, { seed: 1, saved: { kind: 'text' } })).toThrow("the given preprocessing is a text preprocessing, but this spec's csv data needs a table one");
    expect(() => loadTable(data, { seed: 1, saved: given({ ...fitted, target: 'x' }) })).toThrow("the given preprocessing is for the target 'x', but this spec's is 'y'");
    expect(() => loadTable(data, { seed: 1, saved: given({ ...fitted, columns: fitted.columns.slice(1) }) })).toThrow('the given preprocessing encodes the columns c, but the spec\'s features are x, c');
  });

  it('--preprocessing is a project flag, and excludes --resume', () => {
    expect(parseProjectArgs(['--preprocessing', 'p.json']).preprocessing).toBe('p.json');
    expect(parseProjectArgs(['--preprocessing=p.json']).preprocessing).toBe('p.json');
    expect(() => parseProjectArgs(['--preprocessing', 'p.json', '--resume', 'r'])).toThrow('--preprocessing and --resume exclude each other');
  });
});
