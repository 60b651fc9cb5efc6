import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { command, initSpecText, schemaRefFor } from '../../src/cli/init.js';
import type { CliIO } from '../../src/cli/io.js';
import { compile } from '../../src/compiler/compile.js';

function fakeIO(cwd: string) {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd, env: {} };
  return { io, out: () => out, err: () => err };
}

describe('dlc init', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dlc-init-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes NAME.dlc.yaml that starts with the modeline and compiles with no diagnostics', async () => {
    const t = fakeIO(dir);
    expect(await command.run(['wide-net'], t.io)).toBe(0);
    const file = join(dir, 'wide-net.dlc.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${schemaRefFor(file)}`);
    expect(text).toMatch(/^name: wide-net$/m);
    const result = compile(text, { file });
    expect(result.diagnostics).toEqual([]);
    expect(result.ir?.nodes.at(-1)?.shape).toEqual([10]);
    expect(t.out()).toContain('wide-net.dlc.yaml');
  });

  it('writes where -o says, with a modeline relative to that file', async () => {
    const t = fakeIO(dir);
    expect(await command.run(['-o', 'exp.yaml'], t.io)).toBe(0);
    const text = readFileSync(join(dir, 'exp.yaml'), 'utf8');
    expect(text).toMatch(/^name: my-experiment$/m);
    const ref = /\$schema=(\S+)/.exec(text)?.[1] ?? '';
    // The reference resolves to the real schema file from the spec's folder.
    expect(join(dir, ref)).toBe(join(dir, schemaRefFor(join(dir, 'exp.yaml'))));
    expect(ref.endsWith('schema/dlc.schema.json')).toBe(true);
  });

  it('refuses to overwrite an existing file', async () => {
    writeFileSync(join(dir, 'mine.dlc.yaml'), 'keep me\n');
    const t = fakeIO(dir);
    expect(await command.run(['mine'], t.io)).toBe(2);
    expect(readFileSync(join(dir, 'mine.dlc.yaml'), 'utf8')).toBe('keep me\n');
    expect(t.err()).toMatch(/already exists/);
  });

  it.each([['Bad Name'], ['-x'], ['_under'], ['a/b'], ['x'.repeat(65)]])('rejects the name %j', async (name) => {
    const t = fakeIO(dir);
    expect(await command.run([name], t.io)).toBe(2);
    expect(t.err()).not.toBe('');
  });

  it('makes every name it accepts a valid spec name', () => {
    const text = initSpecText('a-1_b', './s.json');
    expect(compile(text, { file: join(dir, 'x.yaml') }).diagnostics).toEqual([]);
  });
});
