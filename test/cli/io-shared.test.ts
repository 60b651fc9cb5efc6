/**
 * The CLI's shared tails (src/cli/io.ts): failExpected (expected failure →
 * one line, exit 2; anything else rethrown), usageFailure, specUnreadable,
 * and describeErrno speaking the one errno table of compiler/shared/bounded-read.ts.
 */
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, describeErrno, failExpected, specUnreadable, usageFailure, type CliIO } from '../../src/cli/io.js';
import type { Diagnostic } from '../../src/compiler/diagnostics/diagnostics.js';
import { describeIoError } from '../../src/compiler/shared/bounded-read.js';

function fakeIO(): CliIO & { err: () => string } {
  let err = '';
  return { stdout: { write: () => true }, stderr: { write: (s: string) => (err += s) }, cwd: '/', env: {}, err: () => err };
}

class OneError extends Error {}
class OtherError extends Error {}
const errno = (code: string, path?: string) => Object.assign(new Error(`${code}: raw node text, open '${path}'`), { code, syscall: 'open', path }) as NodeJS.ErrnoException;

describe('failExpected', () => {
  it('prints an expected error class as one line and returns exit 2', () => {
    const io = fakeIO();
    expect(failExpected('report', new OneError('no run here'), io, [OtherError, OneError])).toBe(EXIT.usage);
    expect(io.err()).toBe('dlc report: no run here\n');
  });

  it('rethrows anything it does not expect (a bug goes to reportFailure)', () => {
    const io = fakeIO();
    const bug = new TypeError('x is undefined');
    expect(() => failExpected('emit', bug, io, [OneError])).toThrow(bug);
    expect(() => failExpected('run', 'a string', io, () => undefined)).toThrow();
    expect(io.err()).toBe('');
  });

  it('takes a classifier that chooses the message', () => {
    const io = fakeIO();
    expect(failExpected('eval', new OtherError('raw'), io, (e) => (e instanceof OtherError ? `wrapped: ${e.message}` : undefined))).toBe(2);
    expect(io.err()).toBe('dlc eval: wrapped: raw\n');
  });
});

describe('usageFailure and specUnreadable', () => {
  it('usageFailure prints the message, a blank line and the help; exit 2', () => {
    const io = fakeIO();
    expect(usageFailure('compare', 'expected at least one RUN_DIR', io, 'Usage: dlc compare RUN_DIR…\n')).toBe(2);
    expect(io.err()).toBe('dlc compare: expected at least one RUN_DIR\n\nUsage: dlc compare RUN_DIR…\n');
  });

  it('specUnreadable is DLC007 at the root of that very file only', () => {
    const d = (code: string, file: string, path: string) => ({ code, file, path, line: 1, col: 1, severity: 'error', message: '' }) as unknown as Diagnostic;
    expect(specUnreadable([d('DLC007', 'a.yaml', '')], 'a.yaml')).toBe(true);
    expect(specUnreadable([d('DLC007', 'base.yaml', '')], 'a.yaml')).toBe(false);
    expect(specUnreadable([d('DLC007', 'a.yaml', 'data.path')], 'a.yaml')).toBe(false);
    expect(specUnreadable([d('DLC010', 'a.yaml', '')], 'a.yaml')).toBe(false);
  });
});

describe('describeErrno uses the one errno table', () => {
  it.each(['ENOENT', 'EACCES', 'ELOOP', 'ENOSPC', 'ETXTBSY', 'ENFILE', 'EXDEV'])('%s: "<path>: <the shared words>"', (code) => {
    const e = errno(code, '/nowhere/x.yaml');
    const words = describeIoError(e, '/nowhere/x.yaml');
    expect(words).not.toMatch(/raw node text/);
    expect(describeErrno(e)).toBe(`/nowhere/x.yaml: ${words}`);
  });

  it('a dangling symlink is told from a missing file; an unknown code keeps the first line of the message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlc-io-shared-'));
    symlinkSync(join(dir, 'gone'), join(dir, 'link'));
    expect(describeErrno(errno('ENOENT', join(dir, 'link')))).toBe(`${join(dir, 'link')}: a symbolic link to something that does not exist`);
    expect(describeErrno(errno('ENOENT', join(dir, 'missing')))).toBe(`${join(dir, 'missing')}: no such file or directory`);
    expect(describeErrno(Object.assign(new Error('EWEIRD: odd\nsecond line'), { code: 'EWEIRD', syscall: 'open' }))).toBe('EWEIRD: odd');
  });
});
