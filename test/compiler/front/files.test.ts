/**
 * Files and composition: hostile files (too large, not UTF-8, missing),
 * `extends` (merge, chains, cycles, missing bases, diagnostics pointing into
 * the base file) and `--set` overrides.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, compileFile } from '../../../src/compiler/compile.js';
import { decodeSpecBytes, firstInvalidUtf8 } from '../../../src/compiler/front/parse.js';

const MIN = `name: t
data: {dataset: mnist}
model:
  layers:
    - flatten
    - dense: {units: 10}
`;

const brief = (r: { diagnostics: readonly { code: string; file: string; line: number; col: number }[] }) =>
  r.diagnostics.map((d) => ({ code: d.code, file: d.file, line: d.line, col: d.col }));

/** An in-memory file system for `readFile`. */
function memfs(files: Record<string, string>) {
  return (abs: string): string => {
    if (!(abs in files)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return files[abs];
  };
}

describe('hostile files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dlc-files-'));

  it('DLC007: a path that does not exist', () => {
    expect(brief(compileFile('nope.yaml', { cwd: dir }))).toEqual([{ code: 'DLC007', file: 'nope.yaml', line: 1, col: 1 }]);
  });

  it('DLC007: a directory', () => {
    expect(brief(compileFile('.', { cwd: dir }))[0].code).toBe('DLC007');
  });

  it('DLC005: a 2 MiB file is refused before parsing', () => {
    writeFileSync(join(dir, 'big.yaml'), MIN + '#'.repeat(2 * 1024 * 1024) + '\n');
    expect(brief(compileFile('big.yaml', { cwd: dir }))).toEqual([{ code: 'DLC005', file: 'big.yaml', line: 1, col: 1 }]);
  });

  it('DLC005: also for source text handed to compile() (editor buffers)', () => {
    expect(brief(compile(MIN + '#'.repeat(2 * 1024 * 1024), { file: 'buf.yaml' }))).toEqual([{ code: 'DLC005', file: 'buf.yaml', line: 1, col: 1 }]);
  });

  it('DLC006: invalid UTF-8 is reported at the first bad byte', () => {
    const bytes = Buffer.concat([Buffer.from('name: t\ndescription: caf'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    writeFileSync(join(dir, 'latin.yaml'), bytes);
    expect(brief(compileFile('latin.yaml', { cwd: dir }))).toEqual([{ code: 'DLC006', file: 'latin.yaml', line: 2, col: 17 }]);
    expect(firstInvalidUtf8(bytes)).toBe(24);
    expect(firstInvalidUtf8(Buffer.from('ok ✓'))).toBe(-1);
    expect(decodeSpecBytes(Buffer.from([0xef, 0xbb, 0xbf, 0x61]), 'bom.yaml').text).toBe('a');
  });

  it('deep nesting is a diagnostic, not a crash', () => {
    const r = compile('a: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n', { file: 'deep.yaml' });
    expect(r.diagnostics.map((d) => d.code)).toContain('DLC001');
  });

  it('__proto__ and constructor keys stay data (no prototype pollution)', () => {
    const r = compile(MIN + '__proto__: {polluted: 1}\n', { file: 'p.yaml', overrides: ['__proto__.polluted=1', 'constructor.prototype.polluted=1'] });
    expect(r.diagnostics.map((d) => [d.code, d.path]).sort()).toEqual([
      ['DLC010', '/__proto__'],
      ['DLC010', '/constructor'],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a valid file on disk compiles, and a display name replaces the path in diagnostics', () => {
    writeFileSync(join(dir, 'bad.yaml'), MIN.replace('units: 10', 'units: 0'));
    const r = compileFile('bad.yaml', { cwd: dir, displayPath: 'shown.yaml' });
    expect(brief(r)).toEqual([{ code: 'DLC012', file: 'shown.yaml', line: 6, col: 22 }]);
    expect(r.sources.get('shown.yaml')).toContain('units: 0');
  });
});

describe('extends', () => {
  const BASE = `name: base
data:
  dataset: cifar10
  batch_size: 32
  transforms:
    train: [random_flip, {normalize: {mean: [0.5], std: [0.5]}}]
model:
  layers:
    - flatten
    - dense: {units: 10}
optimizer: {sgd: {learning_rate: 0.1, momentum: 0.9}}
`;

  it('deep-merges mappings and replaces lists', () => {
    const child = `extends: base.yaml
name: child
data: {batch_size: 8, transforms: {train: [random_flip]}}
optimizer: {sgd: {learning_rate: 0.01}}
`;
    const r = compile(child, { file: '/p/specs/child.yaml', readFile: memfs({ '/p/specs/base.yaml': BASE }) });
    expect(r.diagnostics).toEqual([]);
    expect(r.spec!.name).toBe('child');
    expect(r.spec!.data.dataset).toBe('cifar10');
    expect(r.spec!.data.batch_size).toBe(8);
    expect(r.spec!.data.transforms.train.map((t) => t.kind)).toEqual(['random_flip']);
    expect(r.spec!.optimizer).toMatchObject({ kind: 'sgd', learning_rate: 0.01, momentum: 0.9 });
  });

  it('follows chains, relative to each file', () => {
    const files = {
      '/p/a/child.yaml': 'extends: ../b/mid.yaml\nname: child\n',
      '/p/b/mid.yaml': 'extends: base.yaml\ndata: {batch_size: 16}\n',
      '/p/b/base.yaml': BASE,
    };
    const r = compile(files['/p/a/child.yaml'], { file: '/p/a/child.yaml', readFile: memfs(files) });
    expect(r.diagnostics).toEqual([]);
    expect(r.spec!.data.batch_size).toBe(16);
    expect(r.spec!.optimizer.kind).toBe('sgd');
  });

  it("keeps an inherited relative data.path pointing where its base file meant", () => {
    const folder = (path: string) => `data: {dataset: image_folder, path: ${path}, image_size: [8, 8], channels: 1, num_classes: 2}\nmodel: {layers: [flatten, {dense: {units: 2}}]}\n`;
    const files = {
      '/p/specs/child.yaml': 'extends: ../bases/mid.yaml\nname: child\n',
      '/p/bases/mid.yaml': 'extends: deeper/base.yaml\n',
      '/p/bases/deeper/base.yaml': folder('../../images'),
    };
    const r = compile(files['/p/specs/child.yaml'], { file: '/p/specs/child.yaml', readFile: memfs(files) });
    expect(r.diagnostics).toEqual([]);
    expect(r.spec!.data.path).toBe('../images'); // /p/images, seen from /p/specs
    // The extending file's own path wins and stays as written; absolute paths are left alone.
    const own = compile('extends: ../bases/deeper/base.yaml\nname: c\ndata: {path: mine}\n', { file: '/p/specs/c.yaml', readFile: memfs(files) });
    expect(own.spec!.data.path).toBe('mine');
    const abs = compile('extends: b.yaml\nname: c\n', { file: '/p/x/c.yaml', readFile: memfs({ '/p/x/b.yaml': folder('/data/imgs') }) });
    expect(abs.spec!.data.path).toBe('/data/imgs');
  });

  it('DLC008: a cycle, at the extends value', () => {
    const files = { '/p/a.yaml': 'name: a\nextends: b.yaml\n', '/p/b.yaml': 'extends: a.yaml\n' };
    const r = compile(files['/p/a.yaml'], { file: '/p/a.yaml', readFile: memfs(files) });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['DLC008']);
    expect(r.diagnostics[0]).toMatchObject({ line: 1, col: 10 });
  });

  it('DLC008: a spec extending itself', () => {
    const r = compile('extends: a.yaml\n', { file: '/p/a.yaml', readFile: memfs({ '/p/a.yaml': 'extends: a.yaml\n' }) });
    expect(brief(r)).toEqual([{ code: 'DLC008', file: '/p/a.yaml', line: 1, col: 10 }]);
  });

  it('DLC007: a missing base, at the extends value of the extending file', () => {
    const r = compile('name: t\nextends: nowhere.yaml\n', { file: '/p/c.yaml', readFile: memfs({}) });
    expect(brief(r)).toEqual([{ code: 'DLC007', file: '/p/c.yaml', line: 2, col: 10 }]);
  });

  it('diagnostics about inherited values point into the base file', () => {
    const base = BASE.replace('batch_size: 32', 'batch_size: 0');
    const r = compile('extends: base.yaml\nname: child\n', { file: 'specs/child.yaml', cwd: '/p', readFile: memfs({ '/p/specs/base.yaml': base }) });
    expect(brief(r)).toEqual([{ code: 'DLC012', file: 'specs/base.yaml', line: 4, col: 15 }]);
    expect(r.sources.get('specs/base.yaml')).toBe(base);
  });

  it('a syntax error in the base is reported at the extends value, with its position but none of its text (issue 16)', () => {
    const r = compile('extends: base.yaml\n', { file: '/p/x.yaml', readFile: memfs({ '/p/base.yaml': 'a: [1\nb: 2\n' }) });
    expect(r.diagnostics.map((d) => [d.code, d.file, d.line, d.col])).toEqual([['DLC018', '/p/x.yaml', 1, 10]]);
    expect(r.diagnostics[0].message).toMatch(/not valid YAML \(syntax error at line \d+, column \d+\)/);
    expect(r.sources.has('/p/base.yaml')).toBe(false);
  });

  it('reads real files relative to the spec', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlc-ext-'));
    writeFileSync(join(dir, 'base.yaml'), BASE);
    writeFileSync(join(dir, 'child.yaml'), 'extends: base.yaml\nname: child\n');
    const r = compileFile('child.yaml', { cwd: dir });
    expect(r.diagnostics).toEqual([]);
    expect(r.spec!.data.dataset).toBe('cifar10');
  });
});

describe('--set overrides', () => {
  it('sets scalars, list items and flow values, after extends', () => {
    const r = compile(MIN, {
      file: 'spec.yaml',
      overrides: ['model.layers.1.dense.units=10', 'data.batch_size=7', 'optimizer={sgd: {momentum: 0.9}}', 'optimizer.sgd.learning_rate=0.2', 'data.transforms.train=[random_flip]', 'seed=1'],
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.spec!.data.batch_size).toBe(7);
    expect(r.spec!.optimizer).toMatchObject({ kind: 'sgd', momentum: 0.9, learning_rate: 0.2 });
    expect(r.spec!.data.transforms.train).toEqual([{ kind: 'random_flip', mode: 'horizontal', path: '/data/transforms/train/0' }]);
    expect(r.spec!.seed).toBe(1);
  });

  it('a bad overridden value is reported at its place on the --set line', () => {
    const r = compile(MIN, { file: 'spec.yaml', overrides: ['seed=1', 'data.batch_size=-3'] });
    expect(brief(r)).toEqual([{ code: 'DLC012', file: '--set', line: 2, col: 17 }]);
    expect(r.sources.get('--set')).toBe('seed=1\ndata.batch_size=-3');
  });

  it('an unknown key added by --set points at the key in the override', () => {
    const r = compile(MIN, { file: 'spec.yaml', overrides: ['data.batchsize=3'] });
    expect(brief(r)).toEqual([{ code: 'DLC010', file: '--set', line: 1, col: 6 }]);
    expect(r.diagnostics[0].message).toContain("did you mean 'batch_size'");
  });
});
