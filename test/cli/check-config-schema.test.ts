/** `dlc check`, `dlc config`, `dlc schema` through main(): exit codes and output. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../src/cli/args.js';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { compile } from '../../src/compiler/compile.js';
import { buildSchema } from '../../src/compiler/front/schema/build.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIX = 'test/fixtures/specs/';

async function run(args: string[], cwd = ROOT): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd, env: {} };
  const code = await main(args, io);
  return { code, out, err };
}

describe('dlc check', () => {
  it('exits 0 on every shipped spec', async () => {
    const r = await run(['check', 'specs/mnist-convnet.yaml', 'specs/cifar-convnet.yaml', 'specs/lenet5.yaml', 'specs/resnet20-cifar.yaml', 'specs/fashion-mnist.yaml', FIX + 'tiny-synthetic.yaml']);
    expect(r.err).toBe('');
    expect(r.out).toBe('6 specs: ok\n');
    expect(r.code).toBe(0);
  });

  it('exits 1 and prints file:line:col, the source line, a caret and the hint', async () => {
    const r = await run(['check', FIX + 'broken.yaml']);
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(`${FIX}broken.yaml:6:16 error DLC010 unknown key 'filtres' in conv2d; did you mean 'filters'?`);
    expect(lines[1]).toBe('   6 |     - conv2d: {filtres: 8, kernel_size: 3}');
    expect(lines[2]).toBe('     |                ^^^^^^^');
    expect(r.out).toContain(`${FIX}broken.yaml: 1 error`);
  });

  it('--format json gives every diagnostic with code and position', async () => {
    const r = await run(['check', FIX + 'broken.yaml', '--format', 'json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.errors).toBe(1);
    expect(json.diagnostics[0]).toMatchObject({ code: 'DLC010', file: FIX + 'broken.yaml', line: 6, col: 16, endLine: 6, endCol: 23, path: '/model/layers/0/conv2d/filtres', severity: 'error', title: 'unknown key' });
  });

  it('applies --set before checking (and fixes what it overrides)', async () => {
    const r = await run(['check', FIX + 'tiny-synthetic.yaml', '--set', 'data.batch_size=0']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^--set:1:17 error DLC012/);
    expect((await run(['check', FIX + 'tiny-synthetic.yaml', '--set=train.epochs=3'])).code).toBe(0);
  });

  it('reports a bad --set value once however many specs it applies to', async () => {
    const r = await run(['check', FIX + 'tiny-synthetic.yaml', FIX + 'tiny-synthetic.yaml', '--set', 'data.batch_size=0']);
    expect(r.code).toBe(1);
    expect(r.out.match(/^--set:1:17 error DLC012/gm)).toHaveLength(1);
    expect(r.out).toContain('2 specs: 1 error');
  });

  it('follows extends', async () => {
    expect(await run(['check', FIX + 'child.yaml'])).toMatchObject({ code: 0 });
  });

  it('exits 2 on a missing file, no arguments, or an unknown option', async () => {
    const missing = await run(['check', 'no/such.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.out).toContain('no/such.yaml:1:1 error DLC007');
    const none = await run(['check']);
    expect(none.code).toBe(2);
    expect(none.err).toContain('Usage: dlc check');
    const flag = await run(['check', FIX + 'tiny-synthetic.yaml', '--frmat', 'json']);
    expect(flag.code).toBe(2);
    expect(flag.err).toContain("unknown option '--frmat'");
    expect((await run(['check', FIX + 'tiny-synthetic.yaml', '--format', 'xml'])).code).toBe(2);
  });

  it('exits 1 (not 2) for a file that is not UTF-8', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlc-cli-'));
    writeFileSync(join(dir, 'x.yaml'), Buffer.from([0x6e, 0x3a, 0x20, 0xff, 0x0a]));
    const r = await run(['check', 'x.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('x.yaml:1:4 error DLC006');
  });

  it('has a --help', async () => {
    const r = await run(['check', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--set path=value');
    expect(r.out).toContain('Exit status');
  });
});

describe('dlc config', () => {
  it('prints the resolved spec with the modeline; it compiles to the same Spec', async () => {
    for (const spec of ['specs/resnet20-cifar.yaml', 'specs/cifar-convnet.yaml', FIX + 'child.yaml']) {
      const r = await run(['config', spec]);
      expect(r.code, r.err).toBe(0);
      expect(r.out.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=/);
      const again = compile(r.out, { file: join(ROOT, spec), noLower: true });
      expect(again.diagnostics).toEqual([]);
      const orig = compile((await import('node:fs')).readFileSync(join(ROOT, spec), 'utf8'), { file: join(ROOT, spec), noLower: true });
      const strip = (s: unknown) => JSON.parse(JSON.stringify(s, (k, v) => (k === 'path' ? undefined : v)));
      const o = strip(orig.spec);
      // Expanded block layers keep their names; an unnamed layer before a block keeps the name it was given.
      expect(strip(again.spec)).toEqual(o);
    }
  });

  it('fills defaults, merges extends and applies --set', async () => {
    const r = await run(['config', FIX + 'child.yaml', '--set', 'train.epochs=5']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('name: child');
    expect(r.out).toContain('sgd: {learning_rate: 0.01, momentum: 0.9, nesterov: false, weight_decay: 0}');
    expect(r.out).toContain('epochs: 5');
    expect(r.out).toContain('validation_split: 0.1');
    // Lists of layers stay one item per line; attribute mappings go flow.
    expect(r.out).toContain('  layers:\n    - flatten\n    - dense: {units: 2, activation: linear, use_bias: true}\n');
    expect(r.out).toContain('metrics: [accuracy]');
    expect(r.out).not.toMatch(/^extends:/m);
  });

  it("states the conventions' initial weights (not spec keys) in its header", async () => {
    const keras = await run(['config', 'specs/cifar-convnet.yaml']);
    expect(keras.out).toMatch(/^# initial weights \(conventions: keras\): conv\/dense kernels Glorot uniform.*lstm\/gru kernel Glorot uniform, recurrent kernel orthogonal/m);
    const torch = await run(['config', 'specs/cifar-convnet.yaml', '--set', 'conventions=pytorch']);
    expect(torch.code, torch.err).toBe(0);
    expect(torch.out).toMatch(/^# initial weights \(conventions: pytorch\): .*embedding normal\(0, 1\); lstm\/gru .*uniform\(±1\/√units\)/m);
  });

  it('exits 1 with diagnostics on stderr for a broken spec, 2 for usage errors', async () => {
    const r = await run(['config', FIX + 'broken.yaml']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('error DLC010');
    expect((await run(['config'])).code).toBe(2);
    expect((await run(['config', 'a.yaml', 'b.yaml'])).code).toBe(2);
    expect((await run(['config', 'missing.yaml'])).code).toBe(2);
  });
});

describe('dlc schema', () => {
  it('prints the schema as JSON', async () => {
    const r = await run(['schema']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(buildSchema());
  });
  it('rejects arguments', async () => {
    expect((await run(['schema', 'x'])).code).toBe(2);
    expect((await run(['schema', '--x'])).code).toBe(2);
  });
});

describe('parseArgs', () => {
  const flags = [{ name: 'set', value: true, repeat: true }, { name: 'format', value: true, choices: ['text', 'json'] }, { name: 'out', short: 'o', value: true }, { name: 'force' }] as const;
  it('collects positionals, repeated --set, --x=v, -o v, switches and --', () => {
    const p = parseArgs(['a.yaml', '--set', 'x=1', '--set=y=2', '-o', 'dir', '--force', '--format=json', '--', '--not-a-flag'], flags);
    expect(p.positional).toEqual(['a.yaml', '--not-a-flag']);
    expect(p.sets).toEqual(['x=1', 'y=2']);
    expect(p.flags).toMatchObject({ out: 'dir', force: true });
    expect(p.format).toBe('json');
  });
  it('throws UsageError on unknown flags, missing values and bad choices', () => {
    expect(() => parseArgs(['--nope'], flags)).toThrow(UsageError);
    expect(() => parseArgs(['--set'], flags)).toThrow(/needs a value/);
    expect(() => parseArgs(['--format', 'yaml'], flags)).toThrow(/one of text, json/);
    expect(() => parseArgs(['--force=1'], flags)).toThrow(/takes no value/);
  });
});
