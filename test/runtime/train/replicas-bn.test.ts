/**
 * Batch norm on data-parallel replicas (synchronised statistics,
 * src/runtime/model/sync-batch-norm.ts and src/runtime/train/replicas-sync.ts):
 * the synced layer's math against tfjs's own layer, the exchange's failure
 * paths, and whole runs of a batch-norm model on 2 and 3 replicas against
 * one process — losses to 5 decimals, weights (running statistics included)
 * within 1e-4 relative, with dropout, augmentation and a short last batch —
 * plus resume, NaN-stop and wasm.
 */
import * as tf from '@tensorflow/tfjs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IR } from '../../../src/compiler/ir.js';
import { loadModelFiles } from '../../../src/runtime/checkpoint/model-files.js';
import { buildModel } from '../../../src/runtime/model/build-model.js';
import { attachBatchNormSync, batchNormLayers, combineMoments, type BatchNormExchange } from '../../../src/runtime/model/sync-batch-norm.js';
import { planReplicas } from '../../../src/runtime/train/replicas.js';
import { createExchange, SharedExchange } from '../../../src/runtime/train/replicas-sync.js';
import { train, type TrainOptions } from '../../../src/runtime/train/train.js';
import { tinyConvIR, tinySpec } from '../model/ir-fixtures.js';
import { expectNonFiniteStopAsOne, expectResumeExact, finalWeights, maxRelDiff, useReplicaHarness } from './replica-harness.js';

/** tinyConvIR (conv → batch norm → pool → dropout → dense) with `conventions: pytorch`'s batch norm (unbiased running variance). */
function torchIR(): IR {
  const ir = tinyConvIR(tinySpec({ conventions: 'pytorch', train: ONE_EPOCH }));
  return { ...ir, nodes: ir.nodes.map((n) => (n.op === 'batch_norm' ? { ...n, layers: n.layers!.map((c) => ({ ...c, layer: 'torchBatchNormalization' })) } : n)) };
}

/** One epoch: 72 training rows in batches of 16, so 4 full batches and a short one (8 rows). */
const ONE_EPOCH = { epochs: 1, checkpoint: { every_epochs: 1, keep_best: false, monitor: 'val_accuracy' } } as const;
const bnIR = (): IR => tinyConvIR(tinySpec({ train: ONE_EPOCH }));

async function movingVariance(runDir: string): Promise<Float32Array> {
  const m = await loadModelFiles(path.join(runDir, 'checkpoints', 'last'));
  const w = m.weights.find((v) => v.name.includes('moving_variance'))!;
  const out = w.read().dataSync() as Float32Array;
  m.dispose();
  return out;
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

/** One replica alone: gather returns its own vector (and counts the calls). */
function alone(): BatchNormExchange & { calls: number } {
  const ex = {
    calls: 0,
    gather(local: Float64Array): Float64Array[] {
      ex.calls++;
      return [local.slice()];
    },
  };
  return ex;
}

describe('synchronised batch norm: the layer', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('combines slices of any sizes into the whole batch’s mean and biased variance', () => {
    const values = [[0.5, 2], [1.5, -1], [3, 4], [-2, 0.25], [7, 1], [0, 0]]; // 6 rows × 2 channels
    const part = (rows: number[][]): Float64Array => {
      const n = rows.length;
      const mean = [0, 1].map((c) => rows.reduce((t, r) => t + r[c]!, 0) / n);
      const m2 = [0, 1].map((c) => rows.reduce((t, r) => t + (r[c]! - mean[c]!) ** 2, 0));
      return Float64Array.from([n, ...mean, ...m2]);
    };
    const whole = combineMoments([part(values)], 2);
    const split = combineMoments([part(values.slice(0, 1)), part(values.slice(1, 4)), part(values.slice(4))], 2);
    expect(split.n).toBe(6);
    for (const c of [0, 1]) {
      expect(split.mean[c]).toBeCloseTo(whole.mean[c]!, 12);
      expect(split.variance[c]).toBeCloseTo(whole.variance[c]!, 12);
    }
    expect(whole.mean[0]).toBeCloseTo(10 / 6, 12);
    expect(whole.variance[1]).toBeCloseTo(values.reduce((t, r) => t + (r[1]! - whole.mean[1]!) ** 2, 0) / 6, 12);
  });

  for (const [name, ir] of [['keras', () => tinyConvIR()], ['pytorch', torchIR]] as const) {
    it(`on one replica equals tfjs's layer (${name}): output, gradients, running statistics; inference untouched`, () => {
      const ref = buildModel(ir(), { seed: 3 });
      const syn = buildModel(ir(), { seed: 3 });
      const ex = alone();
      expect(attachBatchNormSync(syn, ex)).toBe(1);
      const x = tf.randomNormal([6, 8, 8, 1], 0.3, 1.5, 'float32', 11);
      const y = tf.randomNormal([6, 8, 8, 4], 0, 1, 'float32', 12);
      // Up to the batch norm's output (the dropout after it is tested elsewhere).
      const run = (m: tf.LayersModel) => {
        const upToBn = tf.model({ inputs: m.inputs, outputs: batchNormLayers(m)[0]!.output as tf.SymbolicTensor });
        const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
        const f = () => tf.mean(tf.square(tf.sub(upToBn.apply(x, { training: true }) as tf.Tensor, y))) as tf.Scalar;
        const { value, grads } = tf.variableGrads(f, vars);
        return { value: value.dataSync()[0]!, grads: vars.map((v) => grads[v.name] ?? tf.zerosLike(v)), weights: m.getWeights() };
      };
      const a = run(ref);
      const b = run(syn);
      expect(ex.calls).toBe(2); // one forward, one backward exchange
      expect(b.value).toBeCloseTo(a.value, 6);
      const convKernel = a.grads[0]!;
      expect(maxAbsDiff(convKernel, tf.zerosLike(convKernel))).toBeGreaterThan(1e-3); // the gradient reaches the conv through the batch norm
      for (const [i, g] of a.grads.entries()) expect(maxAbsDiff(g, b.grads[i]!)).toBeLessThan(1e-5);
      // Running mean and variance moved alike (and moved: they are not their initial 0 and 1).
      for (const [i, w] of a.weights.entries()) expect(maxAbsDiff(w, b.weights[i]!)).toBeLessThan(1e-6);
      const [, , movingMean] = batchNormLayers(syn)[0]!.getWeights();
      expect(maxAbsDiff(movingMean!, tf.zerosLike(movingMean!))).toBeGreaterThan(1e-3);
      // Inference uses the running statistics and never exchanges.
      expect(maxAbsDiff(ref.predict(x) as tf.Tensor, syn.predict(x) as tf.Tensor)).toBeLessThan(1e-6);
      expect(ex.calls).toBe(2);
      // A synced step leaves no tensor behind (forward, exchange, custom gradient, running statistics).
      const vars = syn.trainableWeights.map((w) => w.read() as tf.Variable);
      const before = tf.memory().numTensors;
      tf.tidy(() => void tf.variableGrads(() => tf.mean(syn.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, vars));
      expect(tf.memory().numTensors).toBe(before);
      expect(ex.calls).toBe(4);
      ref.dispose();
      syn.dispose();
    });
  }

  it('normalises with the statistics the exchange returns, and back-propagates through them', () => {
    // Two "replicas" in one thread: this one holds rows 0–1 of a 4-row batch; the exchange answers with the other
    // slice's statistics (forward) and its dy sums (backward), taken from the one-process batch.
    const xAll = tf.randomNormal([4, 3, 3, 2], 1, 2, 'float32', 21);
    const wAll = tf.randomNormal([4, 3, 3, 2], 0, 1, 'float32', 22); // loss = Σ w·bn(x)
    const layer = tf.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-3 });
    const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [3, 3, 2] }), layer] });
    const lossOf = (m: tf.LayersModel, x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(m.apply(x, { training: true }) as tf.Tensor, w)) as tf.Scalar;
    const ref = tf.grad((x: tf.Tensor) => lossOf(model, x, wAll))(xAll);
    const refOut = model.apply(xAll, { training: true }) as tf.Tensor;
    // The other slice's messages, from the whole batch.
    const other = tf.slice(xAll, 2, 2);
    const { mean, variance } = tf.moments(other, [0, 1, 2]);
    const n = other.size / 2;
    const fwd = Float64Array.from([n, ...mean.dataSync(), ...Array.from(variance.dataSync(), (v) => v * n)]);
    const xhatOther = tf.slice(tf.div(tf.sub(refOut, layer.getWeights()[1]!), layer.getWeights()[0]!), 2, 2);
    const gOther = tf.mul(tf.slice(wAll, 2, 2), layer.getWeights()[0]!); // ∂L/∂x̂ = w·γ
    const bwd = Float64Array.from([...tf.sum(gOther, [0, 1, 2]).dataSync(), ...tf.sum(tf.mul(gOther, xhatOther), [0, 1, 2]).dataSync()]);
    const replies = [fwd, bwd];
    const twin = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [3, 3, 2] }), tf.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-3 })] });
    twin.setWeights(model.getWeights());
    attachBatchNormSync(twin, { gather: (local) => [local.slice(), replies.shift()!] });
    const mine = tf.grad((x: tf.Tensor) => lossOf(twin, x, tf.slice(wAll, 0, 2)))(tf.slice(xAll, 0, 2));
    expect(replies).toEqual([]);
    expect(maxAbsDiff(mine, tf.slice(ref, 0, 2))).toBeLessThan(1e-5);
    // And a slice normalised by its own statistics has another gradient (the test can fail).
    const own = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [3, 3, 2] }), tf.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-3 })] });
    const ownGrad = tf.grad((x: tf.Tensor) => lossOf(own, x, tf.slice(wAll, 0, 2)))(tf.slice(xAll, 0, 2));
    expect(maxAbsDiff(ownGrad, tf.slice(ref, 0, 2))).toBeGreaterThan(1e-2);
  });
});

describe('synchronised batch norm: the exchange', () => {
  it('throws instead of waiting forever when a replica is missing or failed', () => {
    const init = createExchange(2, 4);
    const main = new SharedExchange(init, 0, 200);
    main.setParticipants(1);
    expect(main.gather(Float64Array.from([1, 2]))).toEqual([Float64Array.from([1, 2])]);
    main.setParticipants(2);
    const t0 = Date.now();
    expect(() => main.gather(Float64Array.from([1, 2]))).toThrow(/replica 0: the other replicas did not reach batch norm's exchange within 0 s/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    expect(main.aborted).toBe(true);
    expect(() => new SharedExchange(init, 1).gather(Float64Array.from([1]))).toThrow(/another replica failed during the step/);
    expect(() => new SharedExchange(createExchange(2, 4), 0).gather(new Float64Array(5))).toThrow(/5 values do not fit a slot of 4/);
  });
});

describe('synchronised batch norm: data-parallel runs', () => {
  const h = useReplicaHarness('dlc-replicas-bn-');
  const base = (n: number): TrainOptions => h.base(n);

  it('plans one replica per core on wasm for a batch-norm model too', () => {
    const script = new URL('file:///nowhere/replica-worker.js');
    expect(planReplicas(tinyConvIR(), 'wasm', undefined, script).count).toBe(Math.min(os.availableParallelism(), 8));
    expect(planReplicas(tinyConvIR(), 'cpu', 2, script).count).toBe(2);
  });

  let one: Awaited<ReturnType<typeof train>>;
  let two: Awaited<ReturnType<typeof train>>;

  it('trains a batch-norm model on two replicas as one process does (losses, weights, running statistics)', async () => {
    // Batches of 16 split 8/8, the last (8 rows) 4/4; dropout and augmentation are on.
    one = await train(bnIR(), base(1));
    two = await train(bnIR(), base(2));
    expect(two.history.map((r) => r.step)).toEqual(one.history.map((r) => r.step));
    for (const [i, r] of two.history.entries()) {
      expect(r.loss).toBeCloseTo(one.history[i]!.loss, 5);
      expect(r.accuracy).toBe(one.history[i]!.accuracy);
      expect(r.val_loss).toBeCloseTo(one.history[i]!.val_loss!, 5); // eval mode: the running statistics
    }
    const w1 = await finalWeights(one.runDir);
    const w2 = await finalWeights(two.runDir);
    expect(maxRelDiff(w1, w2)).toBeLessThan(1e-4);
    expect(w2.some((w, i) => w.some((v, j) => v !== w1[i]![j]))).toBe(true);
  });

  it('matches one process on 3 uneven replicas too (6/5/5, the last batch 3/3/2: statistics weighted by slice sizes)', async () => {
    const three = await train(bnIR(), base(3));
    for (const [i, r] of three.history.entries()) expect(r.loss).toBeCloseTo(one.history[i]!.loss, 5);
    expect(maxRelDiff(await finalWeights(one.runDir), await finalWeights(three.runDir))).toBeLessThan(1e-4);
  });

  it('keeps PyTorch’s unbiased running variance over the whole batch (conventions: pytorch)', async () => {
    const a = await train(torchIR(), base(1));
    const b = await train(torchIR(), base(2));
    for (const [i, r] of b.history.entries()) expect(r.loss).toBeCloseTo(a.history[i]!.loss, 5);
    const wa = await finalWeights(a.runDir);
    const wb = await finalWeights(b.runDir);
    expect(maxRelDiff(wa, wb)).toBeLessThan(1e-4);
    // The running variance differs from the keras run's (n/(n−1) with n = the whole batch's values per channel).
    expect(maxRelDiff([await movingVariance(one.runDir)], [await movingVariance(b.runDir)])).toBeGreaterThan(1e-4);
  });

  it('resumes a batch-norm run on two replicas exactly where an uninterrupted one is', async () => {
    await expectResumeExact((spec) => tinyConvIR(spec), 2, h);
  });

  it('stops a batch-norm run on a non-finite loss as one process does', async () => {
    await expectNonFiniteStopAsOne((spec) => tinyConvIR(spec), h);
  });

  it('trains a batch-norm model on two wasm replicas as on one', async () => {
    const onWasm = (n: number): TrainOptions => ({ ...base(n), backend: 'wasm' });
    const a = await train(bnIR(), onWasm(1));
    const b = await train(bnIR(), onWasm(2));
    expect(b.backend.name).toBe('wasm');
    for (const [i, r] of b.history.entries()) expect(r.loss).toBeCloseTo(a.history[i]!.loss, 5);
    // Per tensor, relative to its largest value: batch norm's backward cancels large terms, and wasm's filter
    // gradient rounds differently from cpu's, so single elements near zero move by up to ~8e-4 of themselves
    // (measured: wasm on one process differs from cpu on one process by 2.3e-4 that way, 6e-7 per tensor).
    const wa = await finalWeights(a.runDir);
    const wb = await finalWeights(b.runDir);
    for (const [i, w] of wa.entries()) {
      const scale = w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(w.reduce((m, v, j) => Math.max(m, Math.abs(v - wb[i]![j]!)), 0) / scale).toBeLessThan(1e-5);
    }
  });
});
