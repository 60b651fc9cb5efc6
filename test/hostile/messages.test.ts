/**
 * Fault corpus, messages: NaN and Infinity named as such, an undefined alias
 * in --set and a --set path through a missing key reported at the --set text,
 * and the CLI's one error path (reportFailure): one or two lines, errno
 * mapped, no stack unless DLC_DEBUG=1, documented exit codes.
 */
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, reportFailure, safeText, type CliIO } from '../../src/cli/io.js';
import { compile } from '../../src/compiler/compile.js';
import { escapeForTerminal } from '../../src/compiler/diagnostics/format.js';

const SPEC = 'name: m\ndata: {dataset: mnist}\nmodel:\n  layers:\n    - flatten\n    - dense: {units: 10}\n';
const errors = (src: string, overrides: string[] = []) => compile(src, { file: 'spec.yaml', overrides }).diagnostics.filter((d) => d.severity === 'error');

describe('NaN and Infinity', () => {
  it.each([
    ['.nan', 'NaN'],
    ['.inf', 'Infinity'],
    ['-.inf', '-Infinity'],
  ])('learning_rate: %s is reported as %s', (yaml, shown) => {
    const d = errors(`${SPEC}optimizer: {sgd: {learning_rate: ${yaml}}}\n`);
    expect(d.map((x) => x.code)).toEqual(['DLC011']);
    expect(d[0].message).toBe(`learning_rate must be a finite number, not ${shown}`);
  });
});

describe('--set faults', () => {
  it('an undefined alias is DLC009 at the value, not an internal error', () => {
    const d = errors(SPEC, ['seed=*nowhere']);
    expect(d.map((x) => [x.code, x.file, x.line, x.col])).toEqual([['DLC009', '--set', 1, 6]]);
    expect(d[0].message).toMatch(/not valid YAML/);
  });

  it('a path through a missing key is reported at that key in the --set text', () => {
    const d = errors(SPEC, ['data.nothere.x=1']);
    expect(d.map((x) => [x.code, x.file, x.line, x.col])).toEqual([['DLC010', '--set', 1, 6]]);
  });
});

function fakeIO(env: Record<string, string> = {}): CliIO & { text(): string } {
  let err = '';
  return { stdout: { write: () => true }, stderr: { write: (s: string) => (err += s) }, cwd: '/', env, text: () => err };
}

describe('reportFailure (the CLI error path)', () => {
  it('maps errno errors to one line naming the file, exit 2', () => {
    for (const [code, words] of [['EROFS', 'read-only'], ['ENOSPC', 'no space left'], ['EACCES', 'permission denied'], ['ELOOP', 'symbolic links']]) {
      const io = fakeIO();
      const e = Object.assign(new Error(`${code}: boom, open '/x/y'`), { code, syscall: 'open', path: '/x/y' });
      expect(reportFailure('run', e, io)).toBe(EXIT.usage);
      expect(io.text()).toBe(`dlc run: /x/y: ${io.text().split(': ')[2]!.trimEnd()}\n`);
      expect(io.text()).toContain(words);
    }
  });

  it('tells a dangling symlink from a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlc-h7-msg-'));
    symlinkSync(join(dir, 'none'), join(dir, 'link'));
    const io = fakeIO();
    reportFailure('eval', Object.assign(new Error('ENOENT'), { code: 'ENOENT', syscall: 'open', path: join(dir, 'link') }), io);
    expect(io.text()).toMatch(/link: a symbolic link to something that does not exist/);
  });

  it('expected errors print their message; bugs say internal error, exit 3, stack only with DLC_DEBUG=1', () => {
    const expected = Object.assign(new Error('weights are 12 bytes'), { name: 'CheckpointError' });
    const io1 = fakeIO();
    expect(reportFailure('eval', expected, io1)).toBe(2);
    expect(io1.text()).toBe('dlc eval: weights are 12 bytes\n');
    const io2 = fakeIO();
    expect(reportFailure('run', new TypeError('x is undefined'), io2)).toBe(EXIT.internal);
    expect(io2.text()).toMatch(/^dlc run: internal error: x is undefined\n.*DLC_DEBUG=1/);
    expect(io2.text()).not.toMatch(/\n\s+at /);
    const io3 = fakeIO({ DLC_DEBUG: '1' });
    reportFailure('run', new TypeError('x is undefined'), io3);
    expect(io3.text()).toMatch(/\n\s+at /);
  });

  it('escapes control characters and clips long text', () => {
    expect(safeText('a\x1b[31mb\x07')).toBe('a\\x1b[31mb\\x07');
    expect(safeText('z'.repeat(5000)).length).toBeLessThan(500);
    expect(escapeForTerminal('k\x1b]0;t\x07\n')).toBe('k\\x1b]0;t\\x07\\n');
  });
});
