/**
 * Fault corpus, root cause 1 (emit --force replaced the home or working
 * directory through a symlink, or the folder holding the spec): writeProject
 * compares real paths. In-process cases; the CLI cases are in cli-paths.test.ts.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmitError, realPathOf, writeProject } from '../../src/codegen/common/write-project.js';

const files = new Map([['a.txt', 'new']]);

function fresh(): string {
  return realpathSync(mkdtempSync(join(tmpdir(), 'dlc-h7-wp-')));
}

describe('writeProject --force and real paths', () => {
  it('realPathOf resolves the nearest existing ancestor and keeps the missing tail', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    expect(realPathOf(join(dir, 'link', 'not', 'yet'))).toBe(join(dir, 'real', 'not', 'yet'));
    expect(realPathOf(join(dir, 'link', '..', 'link'))).toBe(join(dir, 'real'));
  });

  it('refuses a folder holding a protected spec, through a symlink too, and deletes nothing', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'proj'));
    writeFileSync(join(dir, 'proj', 'spec.yaml'), 'name: x\n');
    symlinkSync(join(dir, 'proj'), join(dir, 'alias'));
    for (const out of [join(dir, 'proj'), join(dir, 'alias'), dir]) {
      expect(() => writeProject(out, files, { force: true, protect: [join(dir, 'proj', 'spec.yaml')] })).toThrow(EmitError);
      expect(() => writeProject(out, files, { force: true, protect: [join(dir, 'proj', 'spec.yaml')] })).toThrow(/holds the input spec/);
    }
    expect(readFileSync(join(dir, 'proj', 'spec.yaml'), 'utf8')).toBe('name: x\n');
    expect(existsSync(join(dir, 'proj', 'a.txt'))).toBe(false);
  });

  it('refuses the working directory reached through a symlinked parent', () => {
    const dir = fresh();
    symlinkSync(process.cwd(), join(dir, 'cwd-link'));
    expect(() => writeProject(join(dir, 'cwd-link'), files, { force: true })).toThrow(/working directory/);
    expect(existsSync(join(process.cwd(), 'a.txt'))).toBe(false);
  });

  it('still replaces an ordinary non-empty folder with --force', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'old.txt'), 'old');
    writeProject(join(dir, 'out'), files, { force: true, protect: [join(dir, 'spec.yaml')] });
    expect(readFileSync(join(dir, 'out', 'a.txt'), 'utf8')).toBe('new');
    expect(existsSync(join(dir, 'out', 'old.txt'))).toBe(false);
  });
});
