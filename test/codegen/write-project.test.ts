import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmitError, writeProject } from '../../src/codegen/common/write-project.js';

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'dlc-write-'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const files = new Map([
  ['package.json', '{}'],
  ['src/model.ts', 'export {};'],
]);

describe('writeProject', () => {
  it('writes into an absent directory and leaves no temp dirs', () => {
    const out = join(base, 'proj');
    const written = writeProject(out, files);
    expect(written.sort()).toEqual([join(out, 'package.json'), join(out, 'src/model.ts')]);
    expect(readFileSync(join(out, 'src/model.ts'), 'utf8')).toBe('export {};');
    expect(readdirSync(base)).toEqual(['proj']);
  });

  it('writes into an existing empty directory', () => {
    const out = join(base, 'proj');
    mkdirSync(out);
    writeProject(out, files);
    expect(readdirSync(out).sort()).toEqual(['package.json', 'src']);
  });

  it('refuses a non-empty directory without force and leaves it untouched', () => {
    const out = join(base, 'proj');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'mine');
    expect(() => writeProject(out, files)).toThrow(EmitError);
    expect(readdirSync(out)).toEqual(['keep.txt']);
    expect(readdirSync(base)).toEqual(['proj']);
  });

  it('replaces a non-empty directory with force (old files gone)', () => {
    const out = join(base, 'proj');
    mkdirSync(out);
    writeFileSync(join(out, 'old.txt'), 'old');
    writeProject(out, files, { force: true });
    expect(readdirSync(out).sort()).toEqual(['package.json', 'src']);
    expect(readdirSync(base)).toEqual(['proj']);
  });

  it('leaves nothing behind when a write fails half-way', () => {
    const out = join(base, 'proj');
    // A file and a directory at the same path: the second write fails after the first succeeded.
    const bad = new Map([
      ['a/b', 'file'],
      ['a/b/c', 'needs a/b to be a directory'],
    ]);
    expect(() => writeProject(out, bad)).toThrow();
    expect(readdirSync(base)).toEqual([]);
  });

  it('keeps the old project when a forced write fails', () => {
    const out = join(base, 'proj');
    mkdirSync(out);
    writeFileSync(join(out, 'old.txt'), 'old');
    expect(() => writeProject(out, new Map([['x', '1'], ['x/y', '2']]), { force: true })).toThrow();
    expect(readdirSync(out)).toEqual(['old.txt']);
    expect(readdirSync(base)).toEqual(['proj']);
  });

  it('with force, still refuses a directory holding a git repository or the working directory', () => {
    const out = join(base, 'proj');
    mkdirSync(join(out, '.git'), { recursive: true });
    expect(() => writeProject(out, files, { force: true })).toThrow(/git repository/);
    expect(readdirSync(out)).toEqual(['.git']);
    const cwd = process.cwd();
    const here = join(base, 'here');
    mkdirSync(join(here, 'sub'), { recursive: true });
    process.chdir(join(here, 'sub'));
    try {
      expect(() => writeProject(here, files, { force: true })).toThrow(/working directory/);
    } finally {
      process.chdir(cwd);
    }
    expect(readdirSync(here)).toEqual(['sub']);
  });

  it('refuses paths that leave the project', () => {
    expect(() => writeProject(join(base, 'p'), new Map([['../evil', 'x']]))).toThrow(/outside/);
    expect(() => writeProject(join(base, 'p'), new Map([['/etc/evil', 'x']]))).toThrow(/outside/);
    expect(readdirSync(base)).toEqual([]);
  });
});
