/**
 * The epoch loop on its own (runtime/train/loop.ts): what it asks of its
 * hooks. The `step` hook decides how a step is computed (here: this thread,
 * counted, or a non-finite loss on purpose), `epochEnd` sees every finished
 * epoch once with its record already in the history, and a non-finite loss
 * ends the loop before that epoch's bookkeeping.
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IR } from '../../../src/compiler/ir.js';
import { defaultCacheDir } from '../../../src/runtime/data/download.js';
import { loadDataset } from '../../../src/runtime/data/load.js';
import { buildModel } from '../../../src/runtime/model/build-model.js';
import { createProgress } from '../../../src/runtime/progress/progress.js';
import { runEpochs, type EpochEnd, type EpochLoopHooks } from '../../../src/runtime/train/loop.js';
import { setupSession, type Session } from '../../../src/runtime/train/setup.js';
import { trainableVariables, trainStep } from '../../../src/runtime/train/step.js';
import { tinyConvIR, tinySpec } from '../model/ir-fixtures.js';

let root: string;
const ir: IR = tinyConvIR(tinySpec({ train: { epochs: 2, checkpoint: { every_epochs: 1, keep_best: true, monitor: 'val_loss' } } }));

async function session(name: string): Promise<Session> {
  const parts = {
    buildModel: (m: IR) => buildModel(m, { seed: m.spec.seed }),
    loadData: () => loadDataset(ir.spec.data, { cacheDir: defaultCacheDir(), seed: ir.spec.seed }),
  };
  return setupSession(ir, parts, { runDir: path.join(root, name) }, { name: 'cpu', reason: 'test' }, () => {});
}

function hooks(s: Session, nanAtStep: number | undefined, ends: EpochEnd[], steps: number[]): EpochLoopHooks {
  const vars = trainableVariables(s.model);
  return {
    step: async (batch, globalStep) => {
      steps.push(globalStep);
      if (globalStep === nanAtStep) return { loss: NaN, correct: 0 };
      return trainStep(s.model, vars, s.lossFn, s.optimizer, batch);
    },
    epochEnd: async (end) => {
      expect(end.session.history.at(-1)).toBe(end.record);
      ends.push(end);
    },
    progress: createProgress({ write: () => true }, { mode: 'none' }),
  };
}

describe('runEpochs', () => {
  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dlc-loop-'));
    await tf.setBackend('cpu');
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('calls step once per batch with the global step and epochEnd once per epoch', async () => {
    const s = await session('ok');
    const ends: EpochEnd[] = [];
    const steps: number[] = [];
    const outcome = await runEpochs(ir, s, hooks(s, undefined, ends, steps));
    expect(outcome).toEqual({ stopReason: 'completed' });
    expect(steps).toEqual(Array.from({ length: 2 * s.stepsPerEpoch }, (_, i) => i));
    expect(ends.map((e) => e.record.epoch)).toEqual([1, 2]);
    expect(ends.map((e) => e.record.step)).toEqual([s.stepsPerEpoch, 2 * s.stepsPerEpoch]);
    expect(ends[0]!.improved).toBe(true);
    expect(s.history).toHaveLength(2);
    expect(s.globalStep).toBe(2 * s.stepsPerEpoch);
    s.model.dispose();
  });

  it('stops on a non-finite loss from the step hook before that epoch ends', async () => {
    const s = await session('nan');
    const ends: EpochEnd[] = [];
    const steps: number[] = [];
    const outcome = await runEpochs(ir, s, hooks(s, s.stepsPerEpoch + 1, ends, steps));
    expect(outcome.stopReason).toBe('non_finite_loss');
    expect(outcome.message).toMatch(/loss became NaN at epoch 2, step \d+/);
    expect(ends.map((e) => e.record.epoch)).toEqual([1]);
    expect(s.globalStep).toBe(s.stepsPerEpoch + 1);
    s.model.dispose();
  });
});
