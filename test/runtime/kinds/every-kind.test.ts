/**
 * Every declared loss, optimizer, schedule, metric and transform kind
 * (compiler/kinds/) has a runtime implementation, and it runs on a tiny
 * input built from the kind's normalised spec (its required attributes at
 * their schema examples, the rest at their defaults).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/compile.js';
import { anyFamily, LOSSES, METRICS, OPTIMIZERS, SCHEDULES, TRANSFORMS, type AnyKindDecl } from '../../../src/compiler/kinds/index.js';
import { transformedShape } from '../../../src/compiler/shared/transform-shape.js';
import type { LossSpec, MetricSpec, OptimizerSpec, ScheduleSpec, Spec, TransformSpec } from '../../../src/compiler/spec.js';
import { rngFor, STREAM } from '../../../src/runtime/data/random.js';
import { LOSS_IMPLS, makeLoss } from '../../../src/runtime/losses/index.js';
import { MetricsAccumulator } from '../../../src/runtime/metrics/accumulator.js';
import { METRIC_IMPLS, metricValue } from '../../../src/runtime/metrics/kinds.js';
import { RegressionAccumulator } from '../../../src/runtime/metrics/target-metrics.js';
import { makeOptimizer, OPTIMIZER_IMPLS } from '../../../src/runtime/optimizers/index.js';
import { makeSchedule, SCHEDULE_IMPLS } from '../../../src/runtime/schedules/index.js';
import { hostTransforms } from '../../../src/runtime/transforms/host.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const HEAD = 'name: t\ndata: {dataset: synthetic, synthetic: {train_samples: 8, test_samples: 4, shape: [32, 32, 1], classes: 6}}\nmodel: {layers: [flatten, {dense: {units: 6}}]}\n';

/** The kind's item with its required attributes at their first schema example. */
const item = (decl: AnyKindDecl): string =>
  JSON.stringify({ [decl.kind]: Object.fromEntries((decl.required ?? []).map((k) => [k, (decl.attrs[k].examples as unknown[])[0]])) });

const specOf = (section: string, head = HEAD): Spec => {
  const r = compile(`${head}${section}\n`, { file: 'spec.yaml', noLower: true });
  expect(r.diagnostics).toEqual([]);
  return r.spec!;
};

const sorted = (o: object) => Object.keys(o).sort();

describe('every declared kind has a runtime implementation', () => {
  it('losses, optimizers, schedules, metrics: the implementation tables have exactly the declared kinds', () => {
    expect(sorted(LOSS_IMPLS)).toEqual(sorted(LOSSES));
    expect(sorted(OPTIMIZER_IMPLS)).toEqual(sorted(OPTIMIZERS));
    expect(sorted(SCHEDULE_IMPLS)).toEqual(sorted(SCHEDULES));
    expect(sorted(METRIC_IMPLS)).toEqual(sorted(METRICS));
  });
});

describe('losses run', () => {
  it.each(Object.values(anyFamily(LOSSES)).map((d) => [d.kind, d] as const))('%s', (_kind, decl) => {
    const spec: LossSpec = specOf(`loss: ${item(decl)}`).loss;
    const before = tf.memory().numTensors;
    const logits = tf.tensor2d([[2, -1, 0.5], [0.1, 0.2, 3]]);
    const targets = tf.tensor2d([[1, 0, 0], [0, 0, 1]]);
    const wrong = tf.tensor2d([[0, 1, 0], [1, 0, 0]]);
    const fn = makeLoss(spec);
    const good = fn(logits, targets);
    const bad = fn(logits, wrong);
    const [g, b] = [good.dataSync()[0], bad.dataSync()[0]];
    expect(good.shape).toEqual([]);
    expect(Number.isFinite(g) && g >= 0).toBe(true);
    // Right targets cost less than wrong ones.
    expect(b).toBeGreaterThan(g);
    tf.dispose([logits, targets, wrong, good, bad]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('optimizers run', () => {
  it.each(Object.values(anyFamily(OPTIMIZERS)).map((d) => [d.kind, d] as const))('%s', (kind, decl) => {
    const spec: OptimizerSpec = specOf(`optimizer: ${item(decl)}`).optimizer;
    const opt = makeOptimizer(spec);
    expect(opt.kind).toBe(kind);
    expect(opt.learningRate).toBe(spec.learning_rate);
    // Minimise ½‖p − c‖²: a few steps move p towards c.
    const c = tf.tensor1d([1, -2, 0.5]);
    const p = tf.variable(tf.tensor1d([0, 0, 0]));
    const dist = () => tf.tidy(() => tf.norm(tf.sub(p, c)).dataSync()[0]);
    const start = dist();
    for (let i = 0; i < 5; i++) {
      const g = tf.sub(p, c);
      opt.applyGradients([p], [g]);
      g.dispose();
    }
    expect(dist()).toBeLessThan(start);
    expect(opt.getState().every((s) => s.values.every(Number.isFinite))).toBe(true);
    opt.dispose();
    tf.dispose([c, p]);
  });
});

describe('schedules run', () => {
  it.each(Object.values(anyFamily(SCHEDULES)).map((d) => [d.kind, d] as const))('%s', (_kind, decl) => {
    const spec: ScheduleSpec = specOf(`schedule: ${item(decl)}`).schedule;
    const s = makeSchedule(spec, 0.1, { stepsPerEpoch: 4, epochs: 3 });
    for (let epoch = 0; epoch < 3; epoch++) {
      for (let step = epoch * 4; step < (epoch + 1) * 4; step++) {
        const lr = s.lrAt(step);
        expect(Number.isFinite(lr) && lr >= 0, `lr at ${step}: ${lr}`).toBe(true);
      }
      s.endEpoch(epoch, { val_loss: 1, val_accuracy: 0.5, val_f1: 0.5, loss: 1, accuracy: 0.5 });
    }
    // Its state restores into a fresh schedule of the same spec.
    const again = makeSchedule(spec, 0.1, { stepsPerEpoch: 4, epochs: 3 });
    again.setState(JSON.parse(JSON.stringify(s.getState())));
    expect(again.lrAt(11)).toBe(s.lrAt(11));
  });
});

describe('metrics run', () => {
  const acc = new MetricsAccumulator(6, { topK: [5] });
  acc.update(new Float32Array([0.9, 0, 0, 0, 0, 0.1, 0, 0.8, 0.2, 0, 0, 0, 0.5, 0.4, 0, 0, 0, 0.1]), new Int32Array([0, 2, 1]));
  // The regression metrics read a regression report and ROC AUC a two-class score; give the report both.
  const reg = new RegressionAccumulator(1);
  reg.update(new Float32Array([0.1, 0.4, 0.8, 0.9]), new Float32Array([0, 0.5, 1, 1]));
  const report = { ...acc.report(), regression: reg.report(), rocAuc: 0.75 };
  it.each(Object.values(anyFamily(METRICS)).map((d) => [d.kind, d] as const))('%s', (kind, decl) => {
    const spec: MetricSpec = specOf(`metrics: [${item(decl)}]`).metrics[0];
    const v = metricValue(report, spec);
    expect(v, kind).toBeDefined();
    if (v!.kind === 'scalar') expect(v!.value >= 0 && v!.value <= 1).toBe(true);
    else expect(v!.rows).toHaveLength(6);
  });
  it('reads the report it is given', () => {
    expect(metricValue(report, { kind: 'accuracy' })).toEqual({ kind: 'scalar', label: 'accuracy', value: 1 / 3 });
    expect(metricValue(report, { kind: 'top_k_accuracy', k: 5 })).toMatchObject({ value: 1 });
    expect(metricValue(report, { kind: 'top_k_accuracy', k: 2 })).toBeUndefined();
  });
});

describe('transforms run', () => {
  it.each(Object.values(anyFamily(TRANSFORMS)).map((d) => [d.kind, d] as const))('%s', (_kind, decl) => {
    const t: TransformSpec = specOf(`data: {dataset: mnist, transforms: {train: [${item(decl)}]}}`, 'name: t\nmodel: {layers: [flatten]}\n').data.transforms.train[0];
    const n = 2;
    const shape = [32, 32, 1] as const;
    const want = transformedShape(shape, [t]);
    for (const training of [true, false]) {
      const pixels = Float32Array.from({ length: n * 32 * 32 }, (_, i) => (i % 97) / 97);
      const out = hostTransforms(pixels, [n, ...shape], [t], { training, seed: 1, epoch: 0, batch: 0 }, { rngFor, augmentStream: STREAM.augment });
      expect(out.shape).toEqual([n, ...want]);
      expect(out.pixels).toHaveLength(n * want[0] * want[1] * want[2]);
      expect(out.pixels.every(Number.isFinite)).toBe(true);
    }
  });
});
