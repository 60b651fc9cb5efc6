/** Bit-for-bit repeatability on the wasm backend (with dlc's training kernels), and no tensor leaks there. */
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { train, type TrainOptions } from '../../../src/runtime/train/train.js';
import type { EpochRecord } from '../../../src/runtime/run-dir/run-dir.js';
import { tinyConvIR, tinySpec } from '../model/ir-fixtures.js';

let root: string;
const quiet = { write: () => true, isTTY: false };

describe('train on wasm', () => {
  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dlc-wasm-'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('gives the same loss curve run after run, and leaks no tensors', async () => {
    const ir = tinyConvIR(tinySpec({
      optimizer: { kind: 'adam', learning_rate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weight_decay: 0 },
      train: { epochs: 3, checkpoint: { every_epochs: 1, keep_best: false, monitor: 'val_loss' } },
    }));
    const counts: number[] = [];
    const opts = (): TrainOptions => ({ backend: 'wasm', runsDir: root, stdout: quiet, stderr: quiet, onEpoch: () => void counts.push(tf.memory().numTensors) });
    const a = await train(ir, opts());
    expect(a.backend.name).toBe('wasm');
    const b = await train(ir, opts());
    const curve = (h: readonly EpochRecord[]): unknown[] => h.map((r) => [r.loss, r.accuracy, r.val_loss, r.val_accuracy]);
    expect(curve(b.history)).toEqual(curve(a.history));
    expect(b.test?.report.confusion).toEqual(a.test?.report.confusion);
    expect(counts.slice(1, 3)).toEqual([counts[0], counts[0]]);
    expect(counts.slice(4, 6)).toEqual([counts[3], counts[3]]);
  });
});
