/**
 * Whole runs of csv and non-class specs, twice: `dlc run` (the runtime's train() on the cpu
 * backend) and the emitted PyTorch project's train.py, from dlc's exported initial weights, 20
 * optimizer steps each — a regression table (huber, Adam), a class table (cross-entropy, SGD with
 * momentum), synthetic multi-label images (binary cross-entropy) and sequence windows of a
 * series (mse): every epoch's loss and validation loss, every step's loss, agree within 1e-4
 * relative; metrics.jsonl and report.json carry the same fields (regression / multi_label
 * blocks within 1e-4), preprocessing.json is byte for byte dlc's; dlc eval opens the torch run;
 * and predictRows (`dlc predict RUN --row …`) on the torch-trained class run gives the Python
 * model's probabilities. Through the CLI: `dlc run --backend torch` on a spec naming its table
 * relative to the spec's folder prints dlc's regression summary (MAE, RMSE, R², no accuracy),
 * and `dlc predict RUN --row …` prints the value the Python model gives.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPytorch } from '../../../src/codegen/pytorch/index.js';
import { compile } from '../../../src/compiler/compile.js';
import type { IR } from '../../../src/compiler/ir.js';
import { modelFiles } from '../../../src/runtime/checkpoint/model-files.js';
import { loadTable } from '../../../src/runtime/data/sets/csv.js';
import { predictRows } from '../../../src/runtime/train/predict-rows.js';
import { buildModel, evaluate, train } from '../../../src/runtime/train/index.js';
import type { CliIO } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { PYTHON, runPython, writeFiles } from './python.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlc-torch-tables-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

let seed = 777;
const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

// y ≈ 2·x1 − x2 + kind effect + noise; a few missing x2.
const regRows = ['x1,x2,kind,y'];
for (let i = 0; i < 100; i++) {
  const x1 = rnd() * 4 - 2;
  const x2 = rnd() * 3;
  const kind = pick(['a', 'b', 'c']);
  regRows.push(`${x1.toFixed(3)},${i % 23 === 4 ? '' : x2.toFixed(3)},${kind},${(2 * x1 - x2 + (kind === 'b' ? 1.5 : 0) + (rnd() - 0.5) * 0.4).toFixed(3)}`);
}
writeFileSync(join(tmp, 'reg.csv'), regRows.join('\n') + '\n');
const birds = Array.from({ length: 110 }, (_, i) => {
  const species = pick(['Adelie', 'Chinstrap', 'Gentoo']);
  const b = species === 'Gentoo' ? 1 : species === 'Chinstrap' ? 2 : 0;
  return { species, island: pick(['Biscoe', 'Dream']), beak: 38 + 5 * b + rnd() * 4, mass: i % 17 === 3 ? null : 3500 + 600 * (b === 1 ? 2 : b) + rnd() * 500, sex: i % 9 === 1 ? 'NA' : pick(['MALE', 'FEMALE']) };
});
writeFileSync(join(tmp, 'birds.json'), JSON.stringify(birds));
const series = ['month,value'];
for (let i = 0; i < 150; i++) series.push(`${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01,${(300 + i * 0.1 + 3 * Math.sin(i / 1.9) + rnd()).toFixed(2)}`);
writeFileSync(join(tmp, 'series.csv'), series.join('\n') + '\n');

const SPECS: Record<string, string> = {
  regression: `
name: reg
seed: 5
data:
  dataset: csv
  path: ${join(tmp, 'reg.csv')}
  features: [x1, x2, kind]
  target: y
  target_type: real
  missing: mean
  test_split: {ratio: 0.2}
  validation_split: 0.2
  batch_size: 16
model:
  layers:
    - dense: {units: 8, activation: relu}
    - dense: {units: 1}
loss: {huber: {delta: 1.5}}
optimizer: {adam: {learning_rate: 0.01}}
train: {epochs: 5}
metrics: [mae]
`,
  class: `
name: birds
seed: 9
data:
  dataset: csv
  path: ${join(tmp, 'birds.json')}
  features: [island, beak, mass, sex]
  target: species
  missing: mode
  test_split: {ratio: 0.2}
  validation_split: 0.2
  batch_size: 16
model:
  layers:
    - dense: {units: 8, activation: tanh}
    - dense: {units: 3}
loss: cross_entropy
optimizer: {sgd: {learning_rate: 0.05, momentum: 0.9}}
train: {epochs: 4}
metrics: [accuracy, f1]
`,
  multi_label: `
name: multi
seed: 4
data:
  dataset: synthetic
  synthetic: {train_samples: 80, test_samples: 24, shape: [6, 6, 1], classes: 3, target: multi_label}
  validation_split: 0.2
  batch_size: 16
model:
  layers:
    - flatten
    - dense: {units: 8, activation: relu}
    - dense: {units: 3}
loss: binary_cross_entropy
optimizer: {adam: {learning_rate: 0.01}}
train: {epochs: 5}
metrics: []
`,
  windows: `
name: win
seed: 2
data:
  dataset: csv
  path: ${join(tmp, 'series.csv')}
  window: {column: value, order_by: month, length: 8, horizon: 1}
  test_split: {ratio: 0.2}
  validation_split: 0.2
  batch_size: 32
model:
  layers:
    - conv1d: {filters: 4, kernel_size: 3, activation: relu}
    - flatten
    - dense: {units: 1}
loss: mse
optimizer: {adam: {learning_rate: 0.01}}
train: {epochs: controlled}
metrics: []
`,
};

interface Rec {
  epoch: number;
  step: number;
  loss: number;
  val_loss: number;
  [k: string]: number;
}
const records = (dir: string): Rec[] => readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec);
const only = (dir: string) => join(dir, readdirSync(dir)[0]!);
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), 1e-6);

/** Every number in `want` (nested objects / arrays) equals `got`'s within 1e-4 relative (or 1e-6 absolute); the same keys. */
function expectNumbersClose(want: unknown, got: unknown, path = ''): void {
  if (typeof want === 'number') {
    expect(typeof got, path).toBe('number');
    expect(Math.abs(want - (got as number)) <= Math.max(1e-4 * Math.abs(want), 1e-6), `${path}: ${String(got)} vs ${want}`).toBe(true);
  } else if (Array.isArray(want)) {
    expect((got as unknown[]).length, path).toBe(want.length);
    want.forEach((w, i) => expectNumbersClose(w, (got as unknown[])[i], `${path}[${i}]`));
  } else if (want && typeof want === 'object') {
    expect(Object.keys(got as object).sort(), path).toEqual(Object.keys(want).sort());
    for (const [k, w] of Object.entries(want)) expectNumbersClose(w, (got as Record<string, unknown>)[k], `${path}.${k}`);
  } else expect(got, path).toEqual(want);
}

async function twinRuns(name: string, epochs = 0): Promise<{ ir: IR; dlcRun: string; torchRun: string; project: string; dlcSteps: { step: number; loss: number }[]; stdout: string }> {
  const text = SPECS[name]!.replace('epochs: controlled', `epochs: ${epochs}`);
  const { ir, diagnostics } = compile(text, { file: `${name}.yaml` });
  expect(ir, JSON.stringify(diagnostics)).toBeDefined();
  const base = join(tmp, name);
  const sink = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
  const dlcSteps: { step: number; loss: number }[] = [];
  await train(ir as IR, { backend: null, runsDir: join(base, 'dlc'), replicas: 1, progress: 'none', stdout: sink, stderr: sink, onStep: (st) => dlcSteps.push({ ...st }) });
  const dlcRun = only(join(base, 'dlc', (ir as IR).spec.name));
  const project = join(base, 'project');
  writeFiles(project, renderPytorch(ir as IR, { specFile: `${name}.yaml` }));
  const m = buildModel(ir as IR, { seed: (ir as IR).spec.seed });
  const files = await modelFiles(m);
  m.dispose();
  const initial = join(base, 'initial');
  mkdirSync(initial, { recursive: true });
  writeFileSync(join(initial, 'model.json'), files.modelJson);
  writeFileSync(join(initial, 'weights.bin'), files.weights);
  const r = spawnSync(PYTHON!, ['train.py', '--device', 'cpu', '--runs-dir', join(base, 'torch'), '--progress', 'json', '--initial-weights', initial], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' },
    timeout: 120_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return { ir: ir as IR, dlcRun, torchRun: only(join(base, 'torch', (ir as IR).spec.name)), project, dlcSteps, stdout: r.stdout };
}

function expectSameTraining(t: Awaited<ReturnType<typeof twinRuns>>, steps: number): void {
  const a = records(t.dlcRun);
  const b = records(t.torchRun);
  expect(b.map((x) => x.epoch)).toEqual(a.map((x) => x.epoch));
  expect(b.at(-1)!.step).toBe(a.at(-1)!.step);
  expect(a.at(-1)!.step).toBe(steps);
  // The same fields (the torch run adds nothing and leaves nothing out).
  b.forEach((x, i) => expect(Object.keys(x)).toEqual(Object.keys(a[i]!)));
  a.forEach((x, i) => {
    expect(rel(x.loss, b[i]!.loss), `epoch ${x.epoch} loss ${b[i]!.loss} vs ${x.loss}`).toBeLessThan(1e-4);
    expect(rel(x.val_loss, b[i]!.val_loss), `epoch ${x.epoch} val_loss`).toBeLessThan(1e-4);
    for (const k of ['accuracy', 'val_accuracy', 'val_f1', 'val_mae']) {
      if (x[k] === null) expect(b[i]![k], k).toBeNull();
      else if (x[k] !== undefined) expect(Math.abs(x[k]! - b[i]![k]!), `epoch ${x.epoch} ${k}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(x[k]!)));
    }
  });
  const torchSteps = readFileSync(join(t.torchRun, 'steps.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; loss: number });
  expect(torchSteps.map((s) => s.step)).toEqual(t.dlcSteps.map((s) => s.step));
  torchSteps.forEach((s, i) => expect(rel(t.dlcSteps[i]!.loss, s.loss), `step ${s.step}`).toBeLessThan(1e-4));
  // --progress json: the events parse (no NaN literal), one batch event per step.
  const events = t.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string });
  expect(events.filter((e) => e.event === 'batch')).toHaveLength(steps);
  expect(events.at(-1)).toMatchObject({ event: 'done', stop_reason: 'completed' });
  // report.json: the same fields; dlc's task metrics within 1e-4.
  const ra = JSON.parse(readFileSync(join(t.dlcRun, 'report.json'), 'utf8')) as Record<string, unknown>;
  const rb = JSON.parse(readFileSync(join(t.torchRun, 'report.json'), 'utf8')) as Record<string, unknown>;
  expect(Object.keys(rb).filter((k) => !['device', 'processes'].includes(k)).sort()).toEqual(Object.keys(ra).sort());
  for (const k of ['samples', 'loss', 'accuracy', 'macro', 'regression', 'multi_label', 'roc_auc', 'confusion']) if (k in ra) expectNumbersClose(ra[k], rb[k], k);
  expect(existsSync(join(t.torchRun, 'confusion_matrix.csv'))).toBe(existsSync(join(t.dlcRun, 'confusion_matrix.csv')));
}

describe.skipIf(!PYTHON)('csv tables and real / multi-label targets: dlc run and the emitted PyTorch project train the same', () => {
  it('regression table (huber, adam): 20 steps, same losses, same preprocessing.json, dlc eval opens the torch run', async () => {
    const t = await twinRuns('regression');
    expectSameTraining(t, 20);
    expect(readFileSync(join(t.torchRun, 'preprocessing.json'), 'utf8')).toBe(readFileSync(join(t.dlcRun, 'preprocessing.json'), 'utf8'));
    const report = JSON.parse(readFileSync(join(t.torchRun, 'report.json'), 'utf8')) as { loss: number; regression: { mae: number } };
    const ev = await evaluate(t.torchRun, { checkpoint: 'last', backend: null });
    expect(rel(report.loss, ev.loss)).toBeLessThan(1e-4);
    expect(rel(report.regression.mae, ev.report.regression!.mae)).toBeLessThan(1e-4);
  });

  it('class table (cross-entropy, sgd momentum): the same training; predictRows on the torch run = the Python model', async () => {
    const t = await twinRuns('class');
    const steps = records(t.dlcRun).at(-1)!.step;
    expect(steps).toBeGreaterThanOrEqual(16);
    expectSameTraining(t, steps);
    expect(readFileSync(join(t.torchRun, 'preprocessing.json'), 'utf8')).toBe(readFileSync(join(t.dlcRun, 'preprocessing.json'), 'utf8'));
    const rows = [
      { island: 'Dream', beak: '44.5', mass: '', sex: 'FEMALE' },
      { island: 'Biscoe', beak: '39', mass: '5100', sex: 'NA' },
    ];
    const { predictions } = await predictRows(t.torchRun, rows, { checkpoint: 'last', backend: null });
    const py = torchOutputs(t.project, t.torchRun, rows).map(softmax);
    const classes = (JSON.parse(readFileSync(join(t.torchRun, 'preprocessing.json'), 'utf8')) as { classes: string[] }).classes;
    predictions.forEach((p, i) => {
      const best = py[i]!.indexOf(Math.max(...py[i]!));
      expect(p.classes![0]!.className).toBe(classes[best]);
      for (const c of p.classes!) expect(Math.abs(c.probability - py[i]![classes.indexOf(c.className)]!)).toBeLessThan(1e-5);
    });
  });

  it('synthetic multi-label images (binary cross-entropy): 20 steps, the same losses and multi-label report', async () => {
    const t = await twinRuns('multi_label');
    expectSameTraining(t, 20);
    const rb = JSON.parse(readFileSync(join(t.torchRun, 'report.json'), 'utf8')) as { multi_label: { perLabel: unknown[] } };
    expect(rb.multi_label.perLabel).toHaveLength(3);
  });

  it('sequence windows (conv1d, mse): the same losses, windows preprocessing.json', async () => {
    const t = await twinRuns('windows', 5);
    const steps = records(t.dlcRun).at(-1)!.step;
    expectSameTraining(t, steps);
    expect(steps).toBeGreaterThanOrEqual(15);
    expect(readFileSync(join(t.torchRun, 'preprocessing.json'), 'utf8')).toBe(readFileSync(join(t.dlcRun, 'preprocessing.json'), 'utf8'));
  });
});

describe.skipIf(!PYTHON)('dlc run --backend torch and dlc predict --row on a csv regression spec (CLI)', () => {
  it('trains on PyTorch, prints the regression summary, and predict --row gives the Python model\'s value', async () => {
    const dir = join(tmp, 'cli');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'reg.csv'), regRows.join('\n') + '\n');
    writeFileSync(join(dir, 'reg.yaml'), SPECS.regression!.replace(`path: ${join(tmp, 'reg.csv')}`, 'path: reg.csv'));
    let out = '';
    let err = '';
    const io: CliIO = {
      stdout: { write: (t: string) => ((out += t), true), isTTY: false },
      stderr: { write: (t: string) => ((err += t), true), isTTY: false },
      cwd: dir,
      env: { DLC_CACHE: join(dir, 'cache'), OMP_NUM_THREADS: '1' },
    } as unknown as CliIO;
    expect(await main(['run', 'reg.yaml', '--backend', 'torch', '--python', PYTHON!, '--device', 'cpu', '--runs-dir', 'runs', '--no-report'], io), err).toBe(0);
    expect(out).toMatch(/^Test: 20 samples, loss \d+\.\d{4}\n\nMAE \d+\.\d{4}, RMSE \d+\.\d{4}, R² -?\d+\.\d{4}\n/m);
    expect(out).not.toMatch(/accuracy/);
    const run = only(join(dir, 'runs', 'reg'));
    const report = JSON.parse(readFileSync(join(run, 'report.json'), 'utf8')) as { regression: { mae: number; rmse: number; r2: number } };
    expect(out).toContain(`MAE ${report.regression.mae.toFixed(4)}, RMSE ${report.regression.rmse.toFixed(4)}`);
    // The same fitted preprocessing as dlc's own run of the same table.
    expect(readFileSync(join(run, 'preprocessing.json'), 'utf8')).toBe(`${JSON.stringify(loadTablePre(join(dir, 'reg.csv')), null, 2)}\n`);
    out = '';
    expect(await main(['predict', run, '--row', 'x1=0.75', '--row', 'x2=', '--row', 'kind=b', '--checkpoint', 'last', '--backend', 'cpu', '--json'], io), err).toBe(0);
    const [p] = JSON.parse(out) as { values: number[] }[];
    const project = join(dir, 'cache', 'torch-projects', readdirSync(join(dir, 'cache', 'torch-projects'))[0]!);
    const py = torchOutputs(project, run, [{ x1: '0.75', x2: '', kind: 'b' }]).map((o) => o[0]!);
    expect(p!.values).toHaveLength(1);
    expect(Math.abs(p!.values[0]! - py[0]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(py[0]!)));
  });
});

/** The torch-trained run's model (checkpoints/last) on rows encoded with the run's preprocessing.json by dlc_runtime.tables: one output row per input row. */
function torchOutputs(project: string, run: string, rows: Record<string, string>[]): number[][] {
  return runPython<number[][]>(
    `import sys, numpy as np, torch
sys.path.insert(0, INPUT['project'])
from model import build_model
from dlc_runtime.tables import encode_row
pre = json.load(open(INPUT['run'] + '/preprocessing.json'))
model = build_model()
model.load_state_dict(torch.load(INPUT['run'] + '/checkpoints/last/model.pt'))
model.eval()
x = np.zeros((len(INPUT['rows']), pre['width']))
for i, r in enumerate(INPUT['rows']):
    assert encode_row(r, pre, x[i], 0) is None
with torch.no_grad():
    print(json.dumps(model(torch.tensor(x, dtype=torch.float32)).tolist()))`,
    { project, run, rows },
  );
}

/** Softmax in float64 (torch's float32 softmax differs by < 1e-7, far inside the tests' 1e-5). */
function softmax(logits: number[]): number[] {
  const m = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}

function loadTablePre(path: string): unknown {
  const data = compile(SPECS.regression!.replace(`path: ${join(tmp, 'reg.csv')}`, `path: ${path}`), { file: 'reg.yaml' }).ir!.spec.data;
  return loadTable(data, { seed: 5 }).preprocessing;
}
