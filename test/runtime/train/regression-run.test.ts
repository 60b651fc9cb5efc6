/**
 * A regression run's terminal line and run directory (issue 11 warts): the
 * epoch line prints the validation MAE, not `acc 0.00% val_acc NaN%`, and no
 * confusion_matrix.csv is written for real targets (a class run still gets one).
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/compile.js';
import type { IR } from '../../../src/compiler/ir.js';
import type { EpochRecord } from '../../../src/runtime/run-dir/run-dir.js';
import { summaryLine } from '../../../src/runtime/train/loop.js';
import { train } from '../../../src/runtime/train/train.js';

let root: string;

function irOf(target: 'real' | 'class', epochs = 2, lr = 0.01): IR {
  const src = `name: tiny-${target}
seed: 3
data:
  dataset: synthetic
  synthetic: {train_samples: 40, test_samples: 12, shape: [4, 4, 1], classes: 2${target === 'real' ? ', target: real' : ''}}
  validation_split: 0.25
  batch_size: 10
model:
  layers:
    - flatten: {}
    - dense: {units: 2}
loss: ${target === 'real' ? 'mse' : 'cross_entropy'}
optimizer: {sgd: {learning_rate: ${lr}}}
train: {epochs: ${epochs}}
`;
  const r = compile(src, { file: 'tiny.yaml' });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ir!;
}

async function run(target: 'real' | 'class', epochs = 2, lr = 0.01): Promise<{ runDir: string; lines: string[] }> {
  const lines: string[] = [];
  const err = { write: (s: string) => (lines.push(...s.split('\n').filter(Boolean)), true), isTTY: false };
  const quiet = { write: () => true, isTTY: false };
  const res = await train(irOf(target, epochs, lr), { backend: 'cpu', runsDir: root, stdout: quiet, stderr: err, cacheDir: path.join(root, 'cache') });
  return { runDir: res.runDir, lines };
}

describe('regression runs', () => {
  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dlc-regression-run-'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('summaryLine prints val_mae for real targets and accuracies for classes', () => {
    const r: EpochRecord = { epoch: 3, step: 30, lr: 0.01, loss: 1.5, accuracy: 0, val_loss: 2.25, val_accuracy: NaN, val_mae: 1.125, seconds: 1, samples_per_second: 40 };
    const real = summaryLine(r, 10, false, 'real');
    expect(real).toMatch(/^epoch 3\/10  loss 1\.5000  val_loss 2\.2500 val_mae 1\.1250  lr /);
    expect(real).not.toMatch(/acc|NaN/);
    expect(summaryLine({ ...r, val_accuracy: 0.5 }, 10, false)).toMatch(/loss 1\.5000 acc 0\.00%  val_loss 2\.2500 val_acc 50\.00%/);
  });

  it('a real-target run: epoch lines with val_mae, metrics.jsonl with val_mae, no confusion_matrix.csv', async () => {
    const { runDir, lines } = await run('real');
    const epochLines = lines.filter((l) => /^epoch \d+\/2 /.test(l));
    expect(epochLines).toHaveLength(2);
    for (const l of epochLines) {
      expect(l).toMatch(/val_mae \d+\.\d{4}/);
      expect(l).not.toMatch(/acc|NaN/);
    }
    const records = (await fs.readFile(path.join(runDir, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as EpochRecord);
    expect(records.every((x) => typeof x.val_mae === 'number' && x.val_mae > 0)).toBe(true);
    const files = await fs.readdir(runDir);
    expect(files).toContain('report.json');
    expect(files).not.toContain('confusion_matrix.csv');
  });

  it('a real-target run keeps the best checkpoint by val_loss (the default monitor for real targets), at the epoch of lowest val_loss', async () => {
    // A large rate makes val_loss go up and down, so the best epoch is not simply the last.
    const ir = irOf('real', 5, 0.3);
    expect(ir.spec.train.checkpoint.monitor).toBe('val_loss');
    const { runDir } = await run('real', 5, 0.3);
    const records = (await fs.readFile(path.join(runDir, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as EpochRecord);
    expect(records).toHaveLength(5);
    const losses = records.map((r) => r.val_loss!);
    const bestEpoch = records[losses.indexOf(Math.min(...losses))].epoch;
    const state = JSON.parse(await fs.readFile(path.join(runDir, 'checkpoints', 'best', 'state.json'), 'utf8')) as { epoch: number; bestCheckpoint: { monitor: string; bestEpoch: number; best: number }; metrics: { val_loss: number } };
    expect(state.bestCheckpoint.monitor).toBe('val_loss');
    expect(state.epoch).toBe(bestEpoch);
    expect(state.bestCheckpoint.bestEpoch).toBe(bestEpoch);
    expect(state.metrics.val_loss).toBe(Math.min(...losses));
  });

  it('a class-target run still writes confusion_matrix.csv and prints accuracies', async () => {
    const { runDir, lines } = await run('class');
    expect(lines.filter((l) => /^epoch \d+\/2 .* acc [\d.]+%  val_loss [\d.]+ val_acc [\d.]+%/.test(l))).toHaveLength(2);
    expect(await fs.readdir(runDir)).toContain('confusion_matrix.csv');
  });
});
