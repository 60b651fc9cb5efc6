/**
 * Fault corpus, root cause 7 end to end (tiny model, cpu): a kill right after
 * the final epoch's checkpoint, before its metrics record was written, must
 * not lose that record on --resume; stale .tmp/.prev are gone afterwards; a
 * live second writer is refused.
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILES } from '../../src/runtime/run-dir/run-dir.js';
import { LOCK_FILE } from '../../src/runtime/run-dir/lock.js';
import { train, type TrainOptions } from '../../src/runtime/train/train.js';
import { tinyConvIR, tinySpec } from '../runtime/model/ir-fixtures.js';

let root: string;
const quiet = { write: () => true, isTTY: false };
const base = (): TrainOptions => ({ backend: 'cpu', runsDir: root, stdout: quiet, stderr: quiet, cacheDir: path.join(root, 'cache') });

describe('resume after a kill', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dlc-h7-resume-'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it("restores the final epoch's lost metrics record and removes stale checkpoint leftovers", async () => {
    const ir = tinyConvIR(tinySpec({ train: { epochs: 1, checkpoint: { every_epochs: 1, keep_best: false, monitor: 'val_accuracy' } } }));
    const done = await train(ir, base());
    const run = done.runDir;
    // As if killed after the checkpoint commit, before the metrics write, mid-swap of a later checkpoint.
    await fs.writeFile(path.join(run, FILES.metricsJsonl), '');
    await fs.mkdir(path.join(run, 'checkpoints', 'last.tmp'));
    await fs.mkdir(path.join(run, 'checkpoints', 'last.prev'));
    const lines: string[] = [];
    const stderr = { write: (s: string) => (lines.push(s), true), isTTY: false };
    const resumed = await train(ir, { ...base(), stderr, resume: run });
    expect(resumed.history.map((r) => r.epoch)).toEqual([1]);
    expect(resumed.history[0]!.loss).toBe(done.history[0]!.loss);
    const records = (await fs.readFile(path.join(run, FILES.metricsJsonl), 'utf8')).trim().split('\n');
    expect(records).toHaveLength(1);
    expect(JSON.parse(records[0]!).epoch).toBe(1);
    expect((await fs.readdir(path.join(run, 'checkpoints'))).sort()).toEqual(['last']);
    expect(lines.join('')).toMatch(/restored the metrics record of epoch 1/);
    expect(await fs.readdir(run)).not.toContain(LOCK_FILE);
  });

  it('refuses a resume while another live process holds the run directory', async () => {
    const ir = tinyConvIR(tinySpec({ train: { epochs: 1, checkpoint: { every_epochs: 1, keep_best: false, monitor: 'val_accuracy' } } }));
    const done = await train(ir, base());
    await fs.writeFile(path.join(done.runDir, LOCK_FILE), JSON.stringify({ pid: process.ppid, host: os.hostname(), since: 'now' }));
    await expect(train(ir, { ...base(), resume: done.runDir })).rejects.toThrow(/in use by another dlc run/);
    expect(await fs.readdir(path.join(done.runDir, 'checkpoints'))).toEqual(['last']);
  });
});
