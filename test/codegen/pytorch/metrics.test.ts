/**
 * dlc_runtime/metrics.py reports what dlc's MetricsAccumulator reports (accuracy, top-k with
 * ties, per-class and macro precision/recall/F1 over the present classes, confusion matrix,
 * its CSV), on logits with ties, NaN and an absent class.
 */
import { describe, expect, it } from 'vitest';
import { confusionMatrixCsv, MetricsAccumulator } from '../../../src/runtime/metrics/index.js';
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
});
