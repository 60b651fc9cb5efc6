/**
 * dlc_runtime/metrics.py reports what dlc's MetricsAccumulator reports (accuracy, top-k with
 * ties, per-class and macro precision/recall/F1 over the present classes, confusion matrix,
 * its CSV), on logits with ties, NaN and an absent class.
 */
import { describe, expect, it } from 'vitest';
import { confusionMatrixCsv, MetricsAccumulator } from '../../../src/runtime/metrics/index.js';
import { binaryScores, MultiLabelAccumulator, RegressionAccumulator, rocAuc } from '../../../src/runtime/metrics/target-metrics.js';
import { PYTHON, runPython } from './python.js';

describe.skipIf(!PYTHON)('dlc_runtime metrics = dlc metrics', () => {
  it('gives the same report and confusion CSV', () => {
    const k = 5;
    let s = 3;
    const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    const batches = Array.from({ length: 3 }, (_, b) => {
      const n = 17 + b;
      // Class 4 never occurs as a label; scores are rounded so ties happen.
      const labels = Array.from({ length: n }, () => Math.floor(rnd() * 4));
      const scores = Array.from({ length: n * k }, () => Math.round(rnd() * 4) / 4);
      if (b === 1) scores[3] = Number.NaN;
      return { labels, scores };
    });
    const acc = new MetricsAccumulator(k, { topK: [1, 2, 3] });
    for (const b of batches) acc.update(Float32Array.from(b.scores), Int32Array.from(b.labels));
    const js = acc.report();
    const names = ['a', 'b,c', 'd"e', 'f', 'g'];
    const py = runPython<{ report: typeof js; csv: string }>(
      `import numpy as np
from dlc_runtime.metrics import MetricsAccumulator, confusion_matrix_csv
acc = MetricsAccumulator(5, [1, 2, 3])
for b in INPUT['batches']:
    sc = np.array([np.nan if v is None else v for v in b['scores']], dtype=np.float32).reshape(len(b['labels']), 5)
    acc.update(sc, b['labels'])
rep = acc.report()
print(json.dumps({'report': rep, 'csv': confusion_matrix_csv(rep, INPUT['names'])}))`,
      { batches, names },
    );
    expect(py.report.confusion).toEqual(js.confusion);
    expect(py.report.samples).toBe(js.samples);
    expect(py.report.accuracy).toBe(js.accuracy);
    expect(py.report.topK).toEqual(Object.fromEntries(Object.entries(js.topK).map(([kk, v]) => [kk, v])));
    expect(py.report.perClass).toEqual(js.perClass);
    expect(py.report.macro).toEqual(js.macro);
    expect(py.csv).toBe(confusionMatrixCsv(js, names));
    expect(js.topK[3]).toBeGreaterThan(js.topK[1]);
  });

  it("gives dlc's regression, multi-label and ROC AUC numbers (target-metrics.ts) bit for bit", () => {
    let s = 11;
    const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    // Regression, 3 outputs in 3 batches; output 2 has a constant target (R² by force_finite), output 1 is predicted exactly in one batch.
    const reg = Array.from({ length: 3 }, (_, b) => {
      const n = 5 + b;
      const targets = Array.from({ length: n * 3 }, (_, i) => (i % 3 === 2 ? 1.5 : Math.fround(rnd() * 10 - 5)));
      const outputs = targets.map((t) => Math.fround(t + (rnd() - 0.5) * 2));
      return { outputs, targets };
    });
    // Multi-label, 4 labels; label 3 is always 0 (ROC AUC undefined); scores rounded so ties happen.
    const ml = Array.from({ length: 3 }, (_, b) => {
      const n = 6 + b;
      const targets = Array.from({ length: n * 4 }, (_, i) => (i % 4 === 3 ? 0 : rnd() < 0.4 ? 1 : 0));
      const logits = targets.map((t) => Math.round((rnd() * 4 - 2 + t) * 2) / 2);
      return { logits, targets };
    });
    const binLogits = Array.from({ length: 40 }, () => Math.round(rnd() * 8) / 4);
    const binLabels = Array.from({ length: 20 }, () => (rnd() < 0.5 ? 1 : 0));
    const racc = new RegressionAccumulator(3);
    for (const b of reg) racc.update(b.outputs, b.targets);
    const macc = new MultiLabelAccumulator(4);
    for (const b of ml) macc.update(b.logits, b.targets);
    const bin = binaryScores(binLogits, 2);
    // NaN travels as null (JSON has no NaN).
    const js = JSON.parse(JSON.stringify({ regression: racc.report(), multiLabel: macc.report(), auc: rocAuc(bin, binLabels), nan: rocAuc([1, 2], [1, 1]) }, (_k, v: unknown) => (typeof v === 'number' && Number.isNaN(v) ? null : v))) as unknown;
    const py = runPython<unknown>(
      `import math
from dlc_runtime.metrics import MultiLabelAccumulator, RegressionAccumulator, binary_scores, roc_auc
r = RegressionAccumulator(3)
for b in INPUT['reg']:
    r.update(b['outputs'], b['targets'])
m = MultiLabelAccumulator(4)
for b in INPUT['ml']:
    m.update(b['logits'], b['targets'])
def nonan(v):
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, dict):
        return {k: nonan(x) for k, x in v.items()}
    if isinstance(v, list):
        return [nonan(x) for x in v]
    return v
out = {'regression': r.report(), 'multiLabel': m.report(), 'auc': roc_auc(binary_scores(INPUT['bin'], 2), INPUT['labels']), 'nan': roc_auc([1, 2], [1, 1])}
print(json.dumps(nonan(out)))`,
      { reg, ml, bin: binLogits, labels: binLabels },
    );
    expect(py).toEqual(js);
    const r = (js as { regression: { perOutput: { r2: number }[] } }).regression;
    expect(r.perOutput[2].r2).toBe(0);
    expect((js as { multiLabel: { rocAuc: { perLabel: (number | null)[] } } }).multiLabel.rocAuc.perLabel[3]).toBeNull();
  });
});
