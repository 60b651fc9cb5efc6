import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { IR, IRNode } from '../../../src/compiler/ir.js';
import { buildModel } from '../../../src/runtime/model/build-model.js';
import { dropoutLayers, setDropoutRows, setDropoutStep } from '../../../src/runtime/model/dropout.js';
import { envReplicas, planReplicas, splitRows } from '../../../src/runtime/train/replicas.js';
import { train, type TrainOptions } from '../../../src/runtime/train/train.js';
import { tinyConvIR, tinySpec } from '../model/ir-fixtures.js';
import { expectNonFiniteStopAsOne, expectResumeExact, finalWeights, maxRelDiff, useReplicaHarness } from './replica-harness.js';

/** tinyConvIR without its batch norm (batch norm on replicas: replicas-bn.test.ts): conv → pool → dropout → dense. */
function noBnIR(spec = tinySpec()): IR {
  const ir = tinyConvIR(spec);
  const nodes: IRNode[] = ir.nodes.filter((n) => n.op !== 'batch_norm').map((n) => (n.id === 'max_pool2d_1' ? { ...n, inputs: ['conv2d_1'] } : n));
  return { ...ir, nodes };
}

describe('data-parallel replicas', () => {
  const h = useReplicaHarness('dlc-replicas-');
  const base = (n: number): TrainOptions => h.base(n);

  it('splits a batch into contiguous slices as evenly as possible', () => {
    expect(splitRows(64, 2)).toEqual([32, 32]);
    expect(splitRows(16, 3)).toEqual([6, 5, 5]);
    expect(splitRows(2, 3)).toEqual([1, 1, 0]);
  });

  it('plans one replica per core on wasm, and refuses what would not be exact', () => {
    const script = new URL('file:///nowhere/replica-worker.js');
    expect(planReplicas(noBnIR(), 'cpu', undefined, script).count).toBe(1);
    expect(planReplicas(noBnIR(), 'tensorflow', undefined, script).count).toBe(1);
    const wasm = planReplicas(noBnIR(), 'wasm', undefined, script);
    expect(wasm.count).toBe(Math.min(os.availableParallelism(), 8));
    expect(planReplicas(noBnIR(), 'wasm', undefined, undefined).reason).toMatch(/not built/);
    expect(() => planReplicas(noBnIR(), 'tensorflow', 2, script)).toThrow(/need the wasm or cpu backend/);
    expect(() => planReplicas(noBnIR(), 'wasm', 2, undefined)).toThrow(/not built/);
    expect(() => planReplicas(noBnIR(), 'wasm', 0, script)).toThrow(/positive integer/);
    expect(planReplicas(tinyConvIR(), 'wasm', 1, script).count).toBe(1);
    expect(envReplicas({ DLC_REPLICAS: '3' })).toBe(3);
    expect(envReplicas({})).toBeUndefined();
    expect(() => envReplicas({ DLC_REPLICAS: 'two' })).toThrow(/DLC_REPLICAS must be a positive integer, got 'two'/);
  });

  it("drops exactly the single-process units in every replica's rows", () => {
    const ir = noBnIR();
    const model = buildModel(ir, { seed: 3 });
    const drops = dropoutLayers(model);
    const x = tf.randomNormal([10, 8, 8, 1], 0, 1, 'float32', 5);
    setDropoutStep(drops, 3, 17);
    const whole = (model.apply(x, { training: true }) as tf.Tensor).arraySync() as number[][];
    const parts: number[][] = [];
    for (const [start, n] of [[0, 4], [4, 3], [7, 3]] as const) {
      setDropoutRows(drops, { batch: 10, start });
      parts.push(...((model.apply(tf.slice(x, start, n), { training: true }) as tf.Tensor).arraySync() as number[][]));
    }
    setDropoutRows(drops, undefined);
    expect(parts).toEqual(whole);
    // And the rows differ from a mask drawn for the slice alone (the test can fail).
    const alone = (model.apply(tf.slice(x, 4, 3), { training: true }) as tf.Tensor).arraySync() as number[][];
    expect(alone).not.toEqual(whole.slice(4, 7));
    model.dispose();
  });

  let one: Awaited<ReturnType<typeof train>>;
  let two: Awaited<ReturnType<typeof train>>;

  it('trains on two replicas as one process does (same losses and weights up to rounding)', async () => {
    // 72 training rows in batches of 16: the last batch (8 rows) splits too; dropout and augmentation are on.
    one = await train(noBnIR(), base(1));
    two = await train(noBnIR(), base(2));
    expect(two.history.map((r) => r.step)).toEqual(one.history.map((r) => r.step));
    for (const [i, r] of two.history.entries()) {
      expect(r.loss).toBeCloseTo(one.history[i]!.loss, 5);
      expect(r.accuracy).toBe(one.history[i]!.accuracy);
      expect(r.val_loss).toBeCloseTo(one.history[i]!.val_loss!, 5);
    }
    const w1 = await finalWeights(one.runDir);
    const w2 = await finalWeights(two.runDir);
    expect(maxRelDiff(w1, w2)).toBeLessThan(1e-4);
    // Not trivially equal: the split really happened (gradient sums rounded in two parts).
    expect(w2.some((w, i) => w.some((v, j) => v !== w1[i]![j]))).toBe(true);
  });

  it('gives the same bits for the same replica count, and 3 uneven replicas match too', async () => {
    const again = await train(noBnIR(), base(2));
    expect(again.history.map((r) => r.loss)).toEqual(two.history.map((r) => r.loss));
    expect(await finalWeights(again.runDir)).toEqual(await finalWeights(two.runDir));
    const three = await train(noBnIR(), base(3)); // batches of 16 split 6/5/5, the last (8) 3/3/2
    expect(maxRelDiff(await finalWeights(one.runDir), await finalWeights(three.runDir))).toBeLessThan(1e-4);
  });

  it('resumes a data-parallel run exactly where an uninterrupted one is', async () => {
    await expectResumeExact(noBnIR, 3, h);
  });

  it('stops on a non-finite loss as one process does, keeping the last good weights', async () => {
    await expectNonFiniteStopAsOne(noBnIR, h);
  });

  it('stops the run with the replica error when a worker fails', async () => {
    const bad = path.join(h.root, 'bad-worker.mjs');
    await fs.writeFile(bad, "throw new Error('boom at start');\n");
    await expect(train(noBnIR(), { ...base(2), replicaWorker: pathToFileURL(bad) })).rejects.toThrow(/data-parallel replica 1 failed: boom at start/);
  });

  it('trains on two wasm replicas as on one', async () => {
    const onWasm = (n: number): TrainOptions => ({ ...base(n), backend: 'wasm' });
    const a = await train(noBnIR(), onWasm(1));
    const b = await train(noBnIR(), onWasm(2));
    expect(b.backend.name).toBe('wasm');
    for (const [i, r] of b.history.entries()) expect(r.loss).toBeCloseTo(a.history[i]!.loss, 5);
    expect(maxRelDiff(await finalWeights(a.runDir), await finalWeights(b.runDir))).toBeLessThan(1e-4);
  });
});
