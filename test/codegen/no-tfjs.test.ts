/**
 * `dlc emit` must not load TensorFlow.js: emitting copies runtime files as
 * text and never imports them, and loading tfjs costs most of a cold start.
 *
 * Checked twice: statically (the import closure of src/cli/emit.ts, literal
 * dynamic imports included, reaches no `@tensorflow/*` package and no
 * src/runtime file), and by behaviour (this test file runs in its own
 * process — vitest's forks pool — and emits a project; tfjs-core registers
 * its engine on globalThis the moment it is loaded, and it must not be
 * there afterwards). The probe itself is shown to work at the end.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importsOf, packageName } from '../../src/codegen/tfjs-node-ts/runtime-files.js';
import type { CliIO } from '../../src/cli/io.js';
import { DLC_ROOT } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlc-no-tfjs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const tfjsLoaded = (): boolean => (globalThis as { _tfengine?: unknown })._tfengine !== undefined;

/** Every src file (relative to the root) and bare package the entry reaches through its imports. */
function closure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const rel = queue.pop()!;
    if (files.has(rel)) continue;
    files.add(rel);
    for (const spec of importsOf(readFileSync(join(DLC_ROOT, rel), 'utf8'))) {
      if (spec.startsWith('.')) {
        const target = posix.normalize(posix.join(posix.dirname(rel), spec)).replace(/\.js$/, '.ts');
        if (existsSync(join(DLC_ROOT, target))) queue.push(target);
      } else if (!spec.startsWith('node:')) {
        packages.add(packageName(spec));
      }
    }
  }
  return { files, packages };
}

describe('dlc emit loads no TensorFlow.js', () => {
  it('imports nothing that reaches @tensorflow/* or the runtime', () => {
    const { files, packages } = closure('src/cli/emit.ts');
    expect(files.has('src/codegen/index.ts')).toBe(true);
    expect(files.has('src/codegen/tfjs-node-ts/index.ts')).toBe(true);
    expect([...packages].filter((p) => p.startsWith('@tensorflow/'))).toEqual([]);
    expect([...files].filter((f) => f.startsWith('src/runtime/'))).toEqual([]);
  });

  it('the static check sees tfjs where it is (the runtime training run)', () => {
    const { packages } = closure('src/runtime/train/run.ts');
    expect(packages.has('@tensorflow/tfjs')).toBe(true);
  });

  it('emits a project without loading it, and the probe sees tfjs once it is loaded', async () => {
    expect(tfjsLoaded()).toBe(false);
    const { command } = await import('../../src/cli/emit.js');
    let err = '';
    const io: CliIO = { stdout: { write: () => true }, stderr: { write: (s: string) => (err += s) }, cwd: DLC_ROOT, env: {} };
    const out = join(tmp, 'project');
    expect(await command.run(['test/codegen/fixtures/tiny-synthetic.yaml', '-o', relative(DLC_ROOT, out)], io), err).toBe(0);
    expect(existsSync(join(out, 'src/train.ts'))).toBe(true);
    expect(existsSync(join(dirname(out), 'project', 'ir.json'))).toBe(true);
    expect(tfjsLoaded()).toBe(false);
    // The probe works: loading the runtime's training run loads tfjs, and it shows.
    await import('../../src/runtime/train/run.js');
    expect(tfjsLoaded()).toBe(true);
  });
});
