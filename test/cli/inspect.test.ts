/**
 * `dlc inspect`: argument parsing, exit statuses, and golden files of the
 * output for every shipped spec in specs/ (test/fixtures/inspect/<spec>.txt;
 * regenerate with UPDATE_GOLDEN=1 after a deliberate change, and review the
 * diff). The shipped specs' parameter totals are also checked against their
 * published values, so a golden file cannot silently bless a wrong count.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { command, parseInspectArgs } from '../../src/cli/inspect.js';
import type { CliIO } from '../../src/cli/io.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const GOLDEN = join(ROOT, 'test/fixtures/inspect');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

async function inspect(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: ROOT, env: {} };
  const status = await command.run(args, io);
  return { status, stdout, stderr };
}

const shipped = existsSync(join(ROOT, 'specs')) ? readdirSync(join(ROOT, 'specs')).filter((f) => f.endsWith('.yaml')).sort() : [];

/**
 * Totals of the shipped reference models, counted by hand.
 * - LeNet-5: 61,706 (published).
 * - ResNet-20: laid out as Keras's CIFAR-10 "ResNet v1" example. Conv kernels
 *   432 + 13,824 + 51,200 + 204,800 = 270,256 (1×1 projections included);
 *   biases of the 21 convs 16 + 96 + 192 + 32 + 384 + 64 = 784; 19 BNs over
 *   16 + 96 + 192 + 384 = 688 channels → 2,752 (1,376 moving stats); dense 650
 *   → 274,442 total, 273,066 trainable (the published figures).
 * - The five-block ConvNet: 395,178 (see param-counts.test.ts).
 */
const PUBLISHED: Record<string, { params: number; trainable?: number }> = {
  'lenet5.yaml': { params: 61706 },
  'resnet20-cifar.yaml': { params: 274442, trainable: 273066 },
  'cifar-convnet.yaml': { params: 395178 },
};

describe('dlc inspect: golden output of every shipped spec', () => {
  it('finds shipped specs', () => {
    expect(shipped.length).toBeGreaterThan(0);
  });

  it.each(shipped.length > 0 ? shipped : ['(none)'])('%s', async (file) => {
    if (file === '(none)') return;
    const { status, stdout, stderr } = await inspect([`specs/${file}`]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const golden = join(GOLDEN, file.replace(/\.yaml$/, '.txt'));
    if (UPDATE || !existsSync(golden)) {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(golden, stdout);
      if (!UPDATE) throw new Error(`wrote missing golden file ${golden}; review it and re-run`);
    }
    expect(stdout).toBe(readFileSync(golden, 'utf8'));
  });

  it.each(Object.entries(PUBLISHED))('%s matches its published parameter count', async (file, want) => {
    if (!shipped.includes(file)) return;
    const { stdout } = await inspect([`specs/${file}`, '--format', 'json']);
    const { summary } = JSON.parse(stdout) as { summary: { totals: { params: number; trainable: number } } };
    expect(summary.totals.params).toBe(want.params);
    if (want.trainable !== undefined) expect(summary.totals.trainable).toBe(want.trainable);
  });
});

describe('dlc inspect: arguments and exit status', () => {
  it.each([
    [['a.yaml'], { spec: 'a.yaml', sets: [], format: 'text' }],
    [['a.yaml', '--format', 'json'], { spec: 'a.yaml', sets: [], format: 'json' }],
    [['--format=json', 'a.yaml', '--set', 'seed=1', '--set=name=x'], { spec: 'a.yaml', sets: ['seed=1', 'name=x'], format: 'json' }],
  ] as const)('%j', (args, want) => {
    expect(parseInspectArgs(args)).toEqual(want);
  });

  it.each([[[]], [['a.yaml', 'b.yaml']], [['a.yaml', '--format', 'xml']], [['a.yaml', '--bogus']], [['a.yaml', '--set']]])('usage error %j', (args) => {
    expect(typeof parseInspectArgs(args)).toBe('string');
  });

  it('exits 2 on a usage error', async () => {
    const r = await inspect([]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('missing SPEC');
  });

  it('exits 2 when the spec cannot be read', async () => {
    const r = await inspect(['does/not/exist.yaml']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('exits 1 and prints diagnostics, not a table, when the model has an error', async () => {
    const spec = shipped.find((f) => f === 'cifar-convnet.yaml');
    if (!spec) return;
    // 100 output units on CIFAR-10's 10 classes → DLC108.
    const src = readFileSync(join(ROOT, 'specs', spec), 'utf8');
    const r = await inspect([`specs/${spec}`, '--set', `model.layers.${lastDenseIndex(src)}.dense.units=100`]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('DLC108');
    expect(r.stdout).toBe('');
  });
});

describe('dlc inspect: warnings and json', () => {
  const spec = 'specs/cifar-convnet.yaml';
  const setSoftmax = () => `model.layers.${lastDenseIndex(readFileSync(join(ROOT, spec), 'utf8'))}.dense.activation=softmax`;

  it('prints warnings on stderr and still the table, exit 0', async () => {
    if (!shipped.includes('cifar-convnet.yaml')) return;
    const r = await inspect([spec, '--set', setSoftmax()]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('DLC109');
    expect(r.stdout).toContain('Total params:');
  });

  it('--format json gives the summary and the diagnostics', async () => {
    if (!shipped.includes('cifar-convnet.yaml')) return;
    const r = await inspect([spec, '--format', 'json', '--set', setSoftmax()]);
    const out = JSON.parse(r.stdout) as { summary: { rows: { id: string; shape: (number | null)[] }[] }; diagnostics: { code: string }[] };
    expect(out.diagnostics.map((d) => d.code)).toEqual(['DLC109']);
    expect(out.summary.rows[0]).toMatchObject({ id: 'input', shape: [null, 32, 32, 3] });
  });
});

/** Index of the last `- dense` item in a spec's model.layers (a rough scan, enough for the shipped spec). */
function lastDenseIndex(src: string): number {
  const lines = src.split('\n');
  const start = lines.findIndex((l) => /^\s*layers:\s*$/.test(l));
  const indent = lines[start + 1].search(/\S/);
  let index = -1;
  let last = -1;
  for (const l of lines.slice(start + 1)) {
    if (l.trim() === '' || l.trim().startsWith('#')) continue;
    if (l.search(/\S/) < indent) break;
    if (l.search(/\S/) === indent && l.trim().startsWith('- ')) {
      index++;
      if (/^- dense\b/.test(l.trim())) last = index;
    }
  }
  return last;
}
