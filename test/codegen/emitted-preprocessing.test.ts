/**
 * The emitted TypeScript project's table and text preprocessing (issue 11):
 * it fits with dlc's own code, so on the same data it writes the same
 * preprocessing.json into its run directory as `dlc run` (so `dlc eval` and
 * `dlc predict` work on its runs), and `--preprocessing FILE` makes it encode
 * the data with a given one (a dlc run's, here edited) instead of fitting.
 * The project is emitted, linked to dlc's node_modules and transpiled as in
 * emitted-run.test.ts, and run with node on the cpu backend.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderProject } from '../../src/codegen/index.js';
import { compile } from '../../src/compiler/compile.js';
import type { IR } from '../../src/compiler/ir.js';
import { train } from '../../src/runtime/train/train.js';
import { materialise, transpileProject } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'dlc-emitted-pre-'));
const made: string[] = [];
afterAll(() => {
  for (const dir of [root, ...made]) rmSync(dir, { recursive: true, force: true });
});
const quiet = { write: () => true, isTTY: false };

/** 60 rows: a numeric column x (mean ~50), a categorical colour, a class label that depends on both. */
function writeTable(): string {
  const rows = ['x,colour,label'];
  for (let i = 0; i < 60; i++) {
    const x = 20 + ((i * 37) % 61);
    const colour = ['red', 'green', 'blue'][i % 3];
    rows.push(`${x},${colour},${x > 50 !== (colour === 'red') ? 'hi' : 'lo'}`);
  }
  const file = join(root, 'table.csv');
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}

/** 48 short texts of two classes. */
function writeTexts(): string {
  const rows = ['text,label'];
  const words = { good: ['great', 'fine', 'lovely', 'nice'], bad: ['awful', 'poor', 'grim', 'sad'] };
  for (let i = 0; i < 48; i++) {
    const label = i % 2 ? 'good' : 'bad';
    const w = words[label];
    rows.push(`"the day was ${w[i % 4]} and ${w[(i + 1) % 4]} ${i}",${label}`);
  }
  const file = join(root, 'texts.csv');
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}

const SPECS = {
  csv: (file: string) => `name: pre-csv
seed: 5
data: {dataset: csv, path: ${JSON.stringify(file)}, features: [x, colour], target: label, test_split: {ratio: 0.25}, validation_split: 0, batch_size: 15}
model:
  layers:
    - dense: {units: 2}
optimizer: {sgd: {learning_rate: 0.1}}
train: {epochs: 1}
`,
  text: (file: string) => `name: pre-text
seed: 5
data: {dataset: text, path: ${JSON.stringify(file)}, text_column: text, target: label, vocab_size: 30, max_length: 8, test_split: {ratio: 0.25}, validation_split: 0, batch_size: 12}
model:
  layers:
    - embedding: {input_dim: 32, output_dim: 4}
    - global_avg_pool1d
    - dense: {units: 2}
optimizer: {sgd: {learning_rate: 0.1}}
train: {epochs: 1}
`,
};

interface Case {
  ir: IR;
  project: string;
  dlcRun: string;
}
const cases: Partial<Record<keyof typeof SPECS, Case>> = {};

function irOf(src: string): IR {
  const r = compile(src, { file: join(root, 'spec.yaml') });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ir!;
}

function trainProject(project: string, args: readonly string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [join(project, 'dist/train.js'), '--backend', 'cpu', ...args], { cwd: project, encoding: 'utf8', env: { ...process.env, DLC_CACHE: join(root, 'cache'), DLC_REPLICAS: '' } });
  return { status: r.status, stderr: r.stderr };
}

const firstLoss = (runDir: string): number => (JSON.parse(readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').split('\n')[0]) as { loss: number }).loss;
const testReport = (runDir: string): { loss: number } => JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as { loss: number };

describe('emitted project preprocessing: the same preprocessing.json as dlc run, and --preprocessing', () => {
  beforeAll(async () => {
    const files = { csv: writeTable(), text: writeTexts() };
    for (const kind of ['csv', 'text'] as const) {
      const ir = irOf(SPECS[kind](files[kind]));
      const project = materialise(renderProject(ir, 'tfjs-node-ts', { specFile: 'spec.yaml' }), `dlc-emit-pre-${kind}-`);
      made.push(dirname(project));
      transpileProject(project);
      const dlcRun = join(root, `${kind}-dlc-run`);
      await train(ir, { backend: 'cpu', runDir: dlcRun, stdout: quiet, stderr: quiet, replicas: 1, cacheDir: join(root, 'cache') });
      cases[kind] = { ir, project, dlcRun };
    }
  }, 120_000);

  it('csv: the project fits the same preprocessing.json as dlc run, and trains to the same loss', () => {
    const c = cases.csv!;
    const out = join(root, 'csv-project-run');
    const r = trainProject(c.project, ['--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const ours = readFileSync(join(c.dlcRun, 'preprocessing.json'), 'utf8');
    expect(JSON.parse(ours)).toMatchObject({ kind: 'table', target: 'label', classes: ['hi', 'lo'] });
    expect(readFileSync(join(out, 'preprocessing.json'), 'utf8')).toBe(ours);
    expect(firstLoss(out)).toBe(firstLoss(c.dlcRun));
  }, 60_000);

  it('csv: --preprocessing FILE encodes with the given means (an edited mean changes the run and is saved with it)', () => {
    const c = cases.csv!;
    const pre = JSON.parse(readFileSync(join(c.dlcRun, 'preprocessing.json'), 'utf8')) as { columns: { column: string; mean?: number }[] };
    const x = pre.columns.find((col) => col.column === 'x')!;
    expect(typeof x.mean).toBe('number');
    x.mean = x.mean! + 40;
    const file = join(root, 'edited-table.json');
    writeFileSync(file, JSON.stringify(pre, null, 2) + '\n');
    const out = join(root, 'csv-project-run-edited');
    const r = trainProject(c.project, ['--out', out, '--preprocessing', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('the given preprocessing is used');
    expect(JSON.parse(readFileSync(join(out, 'preprocessing.json'), 'utf8'))).toEqual(pre);
    expect(firstLoss(out)).not.toBe(firstLoss(c.dlcRun));
    expect(testReport(out).loss).not.toBe(testReport(c.dlcRun).loss);
  }, 60_000);

  it('text: the same vocabulary as dlc run; --preprocessing with a shortened vocabulary is used', () => {
    const c = cases.text!;
    const out = join(root, 'text-project-run');
    const r = trainProject(c.project, ['--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const ours = readFileSync(join(c.dlcRun, 'preprocessing.json'), 'utf8');
    expect(readFileSync(join(out, 'preprocessing.json'), 'utf8')).toBe(ours);
    expect(firstLoss(out)).toBe(firstLoss(c.dlcRun));
    const pre = JSON.parse(ours) as { kind: string; vocab: string[] };
    expect(pre.kind).toBe('text');
    pre.vocab = pre.vocab.slice(0, 3);
    const file = join(root, 'edited-text.json');
    writeFileSync(file, JSON.stringify(pre));
    const edited = join(root, 'text-project-run-edited');
    const r2 = trainProject(c.project, ['--out', edited, '--preprocessing', file]);
    expect(r2.status, r2.stderr).toBe(0);
    expect((JSON.parse(readFileSync(join(edited, 'preprocessing.json'), 'utf8')) as { vocab: string[] }).vocab).toEqual(pre.vocab);
    expect(firstLoss(edited)).not.toBe(firstLoss(c.dlcRun));
  }, 60_000);
});
