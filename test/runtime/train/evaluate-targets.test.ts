/**
 * evaluateSet on real, multi-label and two-class sets (synthetic data with
 * data.synthetic.target): the report carries the task's metrics, equal to the
 * accumulators fed with the same model outputs.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSynthetic } from '../../../src/runtime/data/synthetic.js';
import { makeLoss } from '../../../src/runtime/losses/index.js';
import { metricValue } from '../../../src/runtime/metrics/index.js';
import { MultiLabelAccumulator, RegressionAccumulator, rocAuc } from '../../../src/runtime/metrics/target-metrics.js';
import { evaluateSet } from '../../../src/runtime/train/evaluate-set.js';
import { formatReport, reportJson } from '../../../src/runtime/train/report.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function model(width: number): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.flatten({ inputShape: [4, 4, 1] }));
  m.add(tf.layers.dense({ units: width, kernelInitializer: tf.initializers.randomNormal({ seed: 3 }) }));
  return m;
}

function outputsOf(m: tf.LayersModel, set: ReturnType<typeof loadSynthetic>['test']): Float32Array {
  return tf.tidy(() => (m.predict(tf.tensor(Float32Array.from(set.x.values as Uint8Array, (v) => v / 255), [set.count, 4, 4, 1])) as tf.Tensor).dataSync() as Float32Array);
}

const opts = (numClasses: number, loss: Parameters<typeof makeLoss>[0]) => ({ batchSize: 7, transforms: [], numClasses, lossFn: makeLoss(loss), metrics: [], seed: 1 });

describe('evaluateSet by target kind', () => {
  it('real targets: regression report (MAE, RMSE, R²)', async () => {
    const ds = loadSynthetic({ train_samples: 4, test_samples: 23, shape: [4, 4, 1], classes: 2, target: 'real' }, 5);
    const m = model(2);
    const ev = await evaluateSet(m, ds.test, opts(2, { kind: 'mse' }));
    const want = new RegressionAccumulator(2);
    want.update(outputsOf(m, ds.test), ds.test.targets!);
    expect(ev.report.regression!.mae).toBeCloseTo(want.report().mae, 5);
    expect(ev.report.regression!.r2).toBeCloseTo(want.report().r2, 4);
    expect(ev.report.regression!.samples).toBe(23);
    expect(ev.report.accuracy).toBeNaN();
    expect(ev.loss).toBeCloseTo(want.report().perOutput.reduce((a, o) => a + o.rmse ** 2, 0) / 2, 4);
    const text = formatReport('Test', ev.loss, ev.report, [], []);
    expect(text).toContain(`MAE ${ev.report.regression!.mae.toFixed(4)}`);
    expect(text).not.toContain('accuracy');
    expect(metricValue(ev.report, { kind: 'r2' })).toEqual({ kind: 'scalar', label: 'R²', value: ev.report.regression!.r2 });
    expect(metricValue(ev.report, { kind: 'roc_auc' })).toBeUndefined();
    expect(reportJson(ev.loss, ev.report, [])).toMatchObject({ regression: { samples: 23, r2: ev.report.regression!.r2 } });
  });

  it('multi-label targets: subset accuracy and per-label metrics', async () => {
    const ds = loadSynthetic({ train_samples: 4, test_samples: 19, shape: [4, 4, 1], classes: 3, target: 'multi_label' }, 5);
    const m = model(3);
    const ev = await evaluateSet(m, ds.test, opts(3, { kind: 'binary_cross_entropy', label_smoothing: 0 }));
    const want = new MultiLabelAccumulator(3);
    want.update(outputsOf(m, ds.test), ds.test.targets!);
    expect(ev.report.multiLabel!.micro).toEqual(want.report().micro);
    expect(ev.report.accuracy).toBe(want.report().subsetAccuracy);
    expect(ev.report.perClass).toHaveLength(3);
    expect(metricValue(ev.report, { kind: 'roc_auc' })?.kind === 'scalar' && metricValue(ev.report, { kind: 'roc_auc' })).toMatchObject({ value: want.report().rocAuc.macro });
    expect(metricValue(ev.report, { kind: 'mae' })).toBeUndefined();
  });

  it('two classes: ROC AUC of the class-1 score', async () => {
    const ds = loadSynthetic({ train_samples: 4, test_samples: 30, shape: [4, 4, 1], classes: 2 }, 5);
    const m = model(2);
    const ev = await evaluateSet(m, ds.test, opts(2, { kind: 'cross_entropy', label_smoothing: 0 }));
    const out = outputsOf(m, ds.test);
    const s = Array.from({ length: ds.test.count }, (_, i) => out[2 * i + 1] - out[2 * i]);
    expect(ev.report.rocAuc).toBeCloseTo(rocAuc(s, Array.from(ds.test.labels)), 6);
    expect(formatReport('Test', ev.loss, ev.report, ['0', '1'], [])).toContain(`ROC AUC ${ev.report.rocAuc!.toFixed(4)}`);
    expect(reportJson(ev.loss, ev.report, ['0', '1']).roc_auc).toBe(ev.report.rocAuc);
  });
});
