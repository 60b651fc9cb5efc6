/**
 * The harness the data-parallel replica tests share (replicas.test.ts without
 * batch norm, replicas-bn.test.ts with it): a temporary runs folder, the
 * replica worker compiled to JavaScript as the CLI tests do, train options for
 * N replicas on cpu, the final weights of a run, and the two whole-run checks
 * both models must pass — resuming after a kill lands exactly where an
 * uninterrupted run does, and a non-finite loss stops N replicas as it stops
 * one process.
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import type { IR } from '../../../src/compiler/ir.js';
import type { Spec } from '../../../src/compiler/spec.js';
import { loadModelFiles } from '../../../src/runtime/checkpoint/model-files.js';
import { train, type TrainOptions } from '../../../src/runtime/train/train.js';
import { buildCli, type BuiltCli } from '../../lsp/build-cli.js';
import { tinySpec } from '../model/ir-fixtures.js';

export interface ReplicaHarness {
  /** The temporary runs folder (set in beforeAll). */
  readonly root: string;
  /** The compiled replica worker script (set in beforeAll). */
  readonly worker: URL;
  /** Train options: cpu, `replicas` replicas, quiet, runs under root. */
  base(replicas: number): TrainOptions;
}

/** Registers the beforeAll/afterAll of a describe block that trains on replicas; call it inside the describe. */
export function useReplicaHarness(prefix: string): ReplicaHarness {
  let root = '';
  let built: BuiltCli | undefined;
  let worker: URL | undefined;
  const quiet = { write: () => true, isTTY: false };
  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
    // The worker must be JavaScript: compile its module closure as the CLI tests do.
    built = buildCli(['src/runtime/train/replica-worker.ts']);
    worker = pathToFileURL(path.join(path.dirname(built.launcher), 'dist', 'runtime', 'train', 'replica-worker.js'));
    await tf.setBackend('cpu');
  });
  afterAll(async () => {
    built?.remove();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });
  return {
    get root() {
      return root;
    },
    get worker() {
      return worker!;
    },
    base: (replicas: number): TrainOptions => ({ backend: 'cpu', runsDir: root, stdout: quiet, stderr: quiet, cacheDir: path.join(root, 'cache'), replicas, replicaWorker: worker }),
  };
}

/** The weights of a run's last checkpoint. */
export async function finalWeights(runDir: string): Promise<Float32Array[]> {
  const m = await loadModelFiles(path.join(runDir, 'checkpoints', 'last'));
  const w = m.getWeights().map((t) => t.dataSync() as Float32Array);
  m.dispose();
  return w;
}

/** The largest elementwise difference relative to the first set's value (at least 1e-3). */
export function maxRelDiff(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((x, i) => x.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i]![j]!) / Math.max(1e-3, Math.abs(v))))));
  return worst;
}

/** A run of `epochs` epochs on two replicas, killed after epoch 1 and resumed, equals the uninterrupted one: losses and weights. */
export async function expectResumeExact(irOf: (spec: Spec) => IR, epochs: number, h: ReplicaHarness): Promise<void> {
  const spec = tinySpec({ train: { epochs, checkpoint: { every_epochs: 1, keep_best: false, monitor: 'val_accuracy' } } });
  const full = await train(irOf(spec), h.base(2));
  let killed: string | undefined;
  await expect(
    train(irOf(spec), {
      ...h.base(2),
      onEpoch: (r, ctx) => {
        killed = ctx.runDir;
        if (r.epoch === 1) throw new Error('killed');
      },
    }),
  ).rejects.toThrow('killed');
  const resumed = await train(irOf(spec), { ...h.base(2), resume: killed });
  expect(resumed.history.map((r) => r.loss)).toEqual(full.history.map((r) => r.loss));
  expect(await finalWeights(resumed.runDir)).toEqual(await finalWeights(full.runDir));
}

/** A learning rate of 1e30 stops two replicas on a non-finite loss at the same step, with the same message, as one process. */
export async function expectNonFiniteStopAsOne(irOf: (spec: Spec) => IR, h: ReplicaHarness): Promise<void> {
  const spec = tinySpec({ optimizer: { kind: 'sgd', learning_rate: 1e30, momentum: 0.9, nesterov: false, weight_decay: 0 } });
  const a = await train(irOf(spec), h.base(1));
  const b = await train(irOf(spec), h.base(2));
  expect(b.stopReason).toBe('non_finite_loss');
  expect(b.globalStep).toBe(a.globalStep);
  expect(b.message).toBe(a.message);
}
