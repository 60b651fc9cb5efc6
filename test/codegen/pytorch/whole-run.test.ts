/**
 * The same run twice: `dlc run` (the runtime's train() on the cpu backend) and the emitted
 * PyTorch project's train.py, on a tiny synthetic spec with augmentation, batch norm and
 * 20 optimizer steps (4 epochs × 5 batches), for SGD with momentum and for Adam. Both start
 * from dlc's initial weights and see the same batches, so every epoch's loss agrees within
 * 1e-4 relative, so does every step's loss in steps.jsonl (same learning rates), and so do the final weights (the torch checkpoint's tfjs-format weights, read
 * with dlc's own checkpoint reader, vs dlc's checkpoint); `dlc eval` (evaluate) opens the torch
 * run and measures the test loss and accuracy the Python run reported.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPytorch } from '../../../src/codegen/pytorch/index.js';
import { compile } from '../../../src/compiler/compile.js';
import type { IR } from '../../../src/compiler/ir.js';
import { fileLoadHandler, modelFiles, restoreWeights } from '../../../src/runtime/checkpoint/model-files.js';
import { buildModel, evaluate, train } from '../../../src/runtime/train/index.js';
import { PYTHON, writeFiles } from './python.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlc-torch-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CONV = `
    - conv2d: {filters: 4, kernel_size: 3, strides: 2, padding: same, activation: relu}
    - batch_norm: {momentum: 0.9}
    - conv2d: {filters: 6, kernel_size: 3, padding: 1}
    - relu
    - max_pool2d: 2
    - flatten
    - dense: {units: 8, activation: tanh}
    - dense: {units: 3}`;
// Recurrent kinds over the image rows: lstm (fused in torch) then gru (a Python loop).
const RECURRENT = `
    - reshape: {target_shape: [8, 8]}
    - lstm: {units: 6, return_sequences: true}
    - gru: {units: 5}
    - dense: {units: 3}`;

const spec = (optimizer: string, layers = CONV) => `
name: twin
seed: 3
data:
  dataset: synthetic
  synthetic: {train_samples: 200, test_samples: 40, shape: [8, 8, 1], classes: 3}
  validation_split: 0.2
  batch_size: 32
  transforms:
    train:
      - random_crop: {size: 8, padding: 1}
      - random_flip: horizontal
      - normalize: {mean: [0.5], std: [0.25]}
    eval:
      - normalize: {mean: [0.5], std: [0.25]}
model:
  layers:${layers}
optimizer: ${optimizer}
schedule: {cosine: {min_lr: 0.001}}
train: {epochs: 4}
metrics: [accuracy]
`;

interface Rec {
  epoch: number;
  loss: number;
  val_loss: number;
}
const records = (dir: string): Rec[] => readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec);
const only = (dir: string) => join(dir, readdirSync(dir)[0]);

async function dlcWeights(ckpt: string): Promise<Record<string, number[]>> {
  const a = await fileLoadHandler(ckpt).load!();
  const named = tf.io.decodeWeights(a.weightData!, a.weightSpecs!);
  const out = Object.fromEntries(Object.entries(named).map(([k, t]) => [k, Array.from(t.dataSync())]));
  tf.dispose(Object.values(named));
  return out;
}

describe.skipIf(!PYTHON)('dlc run and the emitted PyTorch project train the same', () => {
  it.each([
    ['sgd with momentum', '{sgd: {learning_rate: 0.05, momentum: 0.9, weight_decay: 0.0005}}', CONV, false],
    ['adam', '{adam: {learning_rate: 0.01}}', CONV, false],
    // The recurrent kernels' orthogonal init is ported to float32 rounding, not bit for bit: this run starts from dlc's exported initial weights.
    ['adam, lstm + gru, --initial-weights', '{adam: {learning_rate: 0.01}}', RECURRENT, true],
  ] as const)('%s: 20 steps, same losses and weights within 1e-4', async (label, optimizer, layers, exported) => {
    const { ir } = compile(spec(optimizer, layers), { file: 'twin.yaml' });
    expect(ir, 'spec compiles').toBeDefined();
    const base = join(tmp, label.replace(/\W+/g, '_'));
    const sink = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
    const dlcSteps: { step: number; loss: number; lr: number }[] = [];
    await train(ir as IR, { backend: null, runsDir: join(base, 'dlc'), replicas: 1, progress: 'none', stdout: sink, stderr: sink, onStep: (st) => dlcSteps.push({ ...st }) });
    const dlcRun = only(join(base, 'dlc', 'twin'));

    const project = join(base, 'project');
    writeFiles(project, renderPytorch(ir as IR, { specFile: 'twin.yaml' }));
    const initial: string[] = [];
    if (exported) {
      // dlc's initial weights (the model dlc's train() builds for this spec), as a tfjs model directory.
      const m = buildModel(ir as IR, { seed: (ir as IR).spec.seed });
      const files = await modelFiles(m);
      m.dispose();
      const d = join(base, 'initial');
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'model.json'), files.modelJson);
      writeFileSync(join(d, 'weights.bin'), files.weights);
      initial.push('--initial-weights', d);
    }
    const r = spawnSync(PYTHON!, ['train.py', '--device', 'cpu', '--runs-dir', join(base, 'torch'), '--progress', 'json', ...initial], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' },
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const torchRun = only(join(base, 'torch', 'twin'));

    const a = records(dlcRun);
    const b = records(torchRun);
    // --progress json: stdout is only events — a batch event per step, an epoch event per metrics line, then done.
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; record?: Rec; run_dir?: string; samples?: number });
    expect(events.filter((e) => e.event === 'batch')).toHaveLength(20);
    expect(events.filter((e) => e.event === 'epoch').map((e) => e.record)).toEqual(b);
    expect(events.at(-1)).toMatchObject({ event: 'done', run_dir: torchRun, stop_reason: 'completed' });
    expect(events.filter((e) => e.event === 'batch').at(-1)!.samples).toBe(160);
    expect(b.map((x) => x.epoch)).toEqual([1, 2, 3, 4]);
    a.forEach((x, i) => {
      expect(Math.abs(b[i].loss - x.loss) / x.loss, `epoch ${x.epoch} loss ${b[i].loss} vs ${x.loss}`).toBeLessThan(1e-4);
      expect(Math.abs(b[i].val_loss - x.val_loss) / x.val_loss, `epoch ${x.epoch} val_loss`).toBeLessThan(1e-4);
    });
    // steps.jsonl (report.html's per-step chart): the steps dlc's onStep reports, with their epoch; the same learning rates.
    const steps = readFileSync(join(torchRun, 'steps.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; loss: number; lr: number; epoch: number });
    expect(steps.map((st) => [st.step, st.epoch, st.lr])).toEqual(dlcSteps.map((st, i) => [st.step, Math.floor(i / 5) + 1, st.lr]));
    steps.forEach((st, i) => expect(Math.abs(st.loss - dlcSteps[i].loss) / dlcSteps[i].loss, `step ${st.step} loss`).toBeLessThan(1e-4));
    const want = await dlcWeights(join(dlcRun, 'checkpoints', 'last'));
    // The torch checkpoint carries dlc's (tfjs) weight names and layouts next to model.pt.
    const got = await dlcWeights(join(torchRun, 'checkpoints', 'last'));
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    let worst = 0;
    for (const [k, w] of Object.entries(want)) {
      const scale = Math.max(...w.map(Math.abs), 1e-3);
      w.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - got[k][j]) / Math.max(Math.abs(v), scale * 1e-2))));
    }
    expect(worst).toBeLessThan(1e-4);
    // dlc's own model builder takes the torch checkpoint's weights (what dlc eval/predict need).
    const model = buildModel(ir as IR, { seed: (ir as IR).spec.seed });
    await restoreWeights(model, join(torchRun, 'checkpoints', 'last'));
    for (const layer of model.layers) for (const w of layer.weights) expect(Array.from(w.read().dataSync())).toEqual(got[`${layer.name}/${w.originalName.split('/').pop()}`]);
    model.dispose();
    // dlc eval opens the torch run (checkpoint model.json with the tfjs topology) and measures what Python measured.
    const ev = await evaluate(torchRun, { checkpoint: 'last', backend: null });
    const report = JSON.parse(readFileSync(join(torchRun, 'report.json'), 'utf8')) as { accuracy: number; loss: number; samples: number };
    expect(ev.report.samples).toBe(report.samples);
    expect(Math.abs(ev.loss - report.loss) / report.loss).toBeLessThan(1e-4);
    expect(Math.abs(ev.report.accuracy - report.accuracy)).toBeLessThanOrEqual(1 / report.samples);
  });
});
