import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFiles } from '../../../src/runtime/checkpoint/model-files.js';
import { loadCheckpoint } from '../../../src/runtime/checkpoint/checkpoint.js';
import { train, type TrainOptions } from '../../../src/runtime/train/train.js';
import type { EpochRecord } from '../../../src/runtime/run-dir/run-dir.js';
import { tinyConvIR, tinySpec } from '../model/ir-fixtures.js';

let root: string;
const quiet = { write: () => true, isTTY: false };
const base = (): TrainOptions => ({ backend: 'cpu', runsDir: root, stdout: quiet, stderr: quiet, cacheDir: path.join(root, 'cache') });

async function finalWeights(runDir: string): Promise<number[][]> {
  const m = await loadModelFiles(path.join(runDir, 'checkpoints', 'last'));
  const w = m.getWeights().map((t) => Array.from(t.dataSync()));
  m.dispose();
  return w;
}

describe('train', () => {
  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dlc-train-'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  let first: Awaited<ReturnType<typeof train>>;
  const tensorsAfterEpoch: number[] = [];

  it('trains, writes the run directory, and leaks no tensors between epochs', async () => {
    first = await train(tinyConvIR(tinySpec({ train: { epochs: 3, checkpoint: { every_epochs: 1, keep_best: true, monitor: 'val_accuracy' } } })), {
      ...base(),
      onEpoch: () => {
        tensorsAfterEpoch.push(tf.memory().numTensors);
      },
    });
    expect(first.stopReason).toBe('completed');
    expect(first.history.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(first.history[2].step).toBe(3 * Math.ceil(72 / 16));
    expect(first.test?.report.samples).toBe(32);
    // Optimizer slots appear during epoch 1; from then on the count must not move.
    expect(tensorsAfterEpoch[1]).toBe(tensorsAfterEpoch[0]);
    expect(tensorsAfterEpoch[2]).toBe(tensorsAfterEpoch[0]);
    const files = (await fs.readdir(first.runDir)).sort();
    expect(files).toEqual(['checkpoints', 'confusion_matrix.csv', 'ir.json', 'metrics.csv', 'metrics.jsonl', 'report.json', 'run.json', 'spec.yaml']);
    expect((await fs.readdir(path.join(first.runDir, 'checkpoints'))).sort()).toEqual(['best', 'last']);
    const lines = (await fs.readFile(path.join(first.runDir, 'metrics.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as EpochRecord).epoch)).toEqual([1, 2, 3]);
    const csv = (await fs.readFile(path.join(first.runDir, 'metrics.csv'), 'utf8')).trim().split('\n');
    expect(csv[0].split(',')).toContain('val_accuracy');
    expect(csv).toHaveLength(4);
    const report = JSON.parse(await fs.readFile(path.join(first.runDir, 'report.json'), 'utf8'));
    expect(report.accuracy).toBe(first.test?.report.accuracy);
    expect((await loadCheckpoint(path.join(first.runDir, 'checkpoints', 'last'))).state.epoch).toBe(3);
    // The synthetic classes are easy: the model must have learnt something.
    expect(first.history[2].loss).toBeLessThan(first.history[0].loss);
  });

  it('repeats the same loss curve bit for bit on cpu', async () => {
    const again = await train(tinyConvIR(tinySpec({ train: { epochs: 3, checkpoint: { every_epochs: 1, keep_best: true, monitor: 'val_accuracy' } } })), base());
    const curve = (h: readonly EpochRecord[]): unknown[] => h.map((r) => [r.loss, r.accuracy, r.val_loss, r.val_accuracy, r.lr]);
    expect(curve(again.history)).toEqual(curve(first.history));
    expect(await finalWeights(again.runDir)).toEqual(await finalWeights(first.runDir));
  });

  it('resumed after a kill at epoch 1, ends with the same weights as an uninterrupted run', async () => {
    const ir = tinyConvIR(tinySpec({ train: { epochs: 2, checkpoint: { every_epochs: 1, keep_best: true, monitor: 'val_accuracy' } } }));
    const straight = await train(ir, base());
    let runDir = '';
    await expect(
      train(ir, {
        ...base(),
        onEpoch: (r, ctx) => {
          runDir = ctx.runDir;
          if (r.epoch === 1) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const resumed = await train(ir, { ...base(), resume: runDir });
    expect(resumed.runDir).toBe(path.resolve(runDir));
    expect(resumed.history.map((r) => r.epoch)).toEqual([1, 2]);
    expect(resumed.history.map((r) => r.loss)).toEqual(straight.history.map((r) => r.loss));
    expect(await finalWeights(runDir)).toEqual(await finalWeights(straight.runDir));
  });

  it('stops early when the monitor stops improving, with a last checkpoint at the stop', async () => {
    // min_delta 1: accuracy can never improve by 1 after epoch 1, so patience 2 stops at epoch 3 of 6.
    const spec = tinySpec({ train: { epochs: 6, early_stopping: { monitor: 'val_accuracy', patience: 2, min_delta: 1 }, checkpoint: { every_epochs: 5, keep_best: false, monitor: 'val_accuracy' } } });
    const res = await train(tinyConvIR(spec), base());
    expect(res.stopReason).toBe('early_stopping');
    expect(res.history).toHaveLength(3);
    expect(res.test).toBeDefined();
    expect((await loadCheckpoint(path.join(res.runDir, 'checkpoints', 'last'))).state.epoch).toBe(3);
    expect(await fs.readdir(path.join(res.runDir, 'checkpoints'))).toEqual(['last']);
  });

  it('refuses to resume with a different spec', async () => {
    const other = tinyConvIR(tinySpec({ seed: 99 }));
    await expect(train(other, { ...base(), resume: first.runDir })).rejects.toThrow(/spec differs/);
  });

  it('stops on a non-finite loss and keeps the last good checkpoint', async () => {
    const spec = tinySpec({
      // Epoch 1 trains normally, then the learning rate jumps ×1e12 per epoch until the loss overflows.
      optimizer: { kind: 'sgd', learning_rate: 0.05, momentum: 0, nesterov: false, weight_decay: 0 },
      schedule: { kind: 'step', step_size: 1, gamma: 1e12, warmup_epochs: 0 },
      train: { epochs: 4, checkpoint: { every_epochs: 1, keep_best: true, monitor: 'val_accuracy' } },
    });
    const lines: string[] = [];
    const res = await train(tinyConvIR(spec), { ...base(), stderr: { write: (s: string) => lines.push(s), isTTY: false } });
    expect(res.stopReason).toBe('non_finite_loss');
    expect(res.test).toBeUndefined();
    expect(res.message).toMatch(/loss became (NaN|Infinity|-Infinity)/);
    expect(lines.join('')).toMatch(/stopped: the training loss became/);
    const report = JSON.parse(await fs.readFile(path.join(res.runDir, 'report.json'), 'utf8'));
    expect(report.stop_reason).toBe('non_finite_loss');
    const last = await loadCheckpoint(path.join(res.runDir, 'checkpoints', 'last'));
    expect(last.state.epoch).toBe(res.history.length);
    expect(res.history.length).toBeGreaterThanOrEqual(1);
    expect((await finalWeights(res.runDir)).flat().every(Number.isFinite)).toBe(true);
  });
});
