/**
 * Regression, multi-label and ROC AUC metrics against scikit-learn, computed
 * in the test from the same seeded data (/usr/bin/python3 with sklearn;
 * skipped with the reason when it is not installed), plus hand-checked cases.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/runtime/data/random.js';
import { binaryScores, MultiLabelAccumulator, RegressionAccumulator, rocAuc } from '../../../src/runtime/metrics/target-metrics.js';

/** A small seeded generator, so TS and Python see the same numbers (passed as JSON). */
const rng = mulberry32;

const r = rng(7);
const N = 97;
const W = 3;
// Regression: 3 outputs, the third nearly constant-scaled; predictions = targets + noise.
const yReal = Array.from({ length: N * W }, (_, i) => (i % W === 2 ? 0.01 : 1) * (r() * 10 - 5));
const pReal = yReal.map((y, i) => y + (r() - 0.5) * (i % W === 0 ? 1 : 4));
// Multi-label: 4 labels; logits correlated with the labels; label 3 rare; some tied scores.
const L = 4;
const yML = Array.from({ length: N * L }, (_, i) => (r() < (i % L === 3 ? 0.1 : 0.4) ? 1 : 0));
const sML = yML.map((t) => Math.round((r() - 0.6 + t * 0.8) * 4) / 4);
// Binary: two logits per sample.
const yBin = Array.from({ length: N }, () => (r() < 0.3 ? 1 : 0));
const logits2 = yBin.flatMap((t) => [r(), r() + t * 0.7]);

const PY = '/usr/bin/python3';
const sk = existsSync(PY) ? spawnSync(PY, ['-c', 'import sklearn'], { encoding: 'utf8' }) : undefined;
const haveSklearn = sk?.status === 0;

const script = `
import json, sys
import numpy as np
from sklearn import metrics as M
d = json.load(sys.stdin)
y = np.array(d['yReal']).reshape(-1, ${W}); p = np.array(d['pReal']).reshape(-1, ${W})
out = {}
out['mae'] = M.mean_absolute_error(y, p, multioutput='raw_values').tolist()
out['rmse'] = np.sqrt(M.mean_squared_error(y, p, multioutput='raw_values')).tolist()
out['r2'] = M.r2_score(y, p, multioutput='raw_values').tolist()
out['r2mean'] = M.r2_score(y, p)
t = np.array(d['yML']).reshape(-1, ${L}); s = np.array(d['sML']).reshape(-1, ${L}); pr = (s > 0).astype(int)
pc, rc, f, sup = M.precision_recall_fscore_support(t, pr, zero_division=0)
out['perLabel'] = [pc.tolist(), rc.tolist(), f.tolist(), sup.tolist()]
for avg in ['micro', 'macro']:
    out[avg] = list(M.precision_recall_fscore_support(t, pr, average=avg, zero_division=0)[:3])
out['subset'] = M.accuracy_score(t, pr)
out['aucML'] = [M.roc_auc_score(t[:, j], s[:, j]) for j in range(${L})]
yb = np.array(d['yBin']); l2 = np.array(d['logits2']).reshape(-1, 2)
e = np.exp(l2 - l2.max(1, keepdims=True)); prob = e[:, 1] / e.sum(1)
out['aucBin'] = M.roc_auc_score(yb, prob)
print(json.dumps(out))
`;

describe.skipIf(!haveSklearn)('against scikit-learn 1.2 (in-test)', () => {
  const res = haveSklearn ? spawnSync(PY, ['-c', script], { input: JSON.stringify({ yReal, pReal, yML, sML, yBin, logits2 }), encoding: 'utf8' }) : undefined;
  const ref = res && res.status === 0 ? (JSON.parse(res.stdout) as Record<string, any>) : undefined;

  it('the reference ran', () => {
    expect(res?.stderr ?? '').toBe('');
    expect(ref).toBeDefined();
  });

  it('regression: MAE, RMSE, R² per output and mean (streamed in uneven batches)', () => {
    const acc = new RegressionAccumulator(W);
    for (const [a, b] of [[0, 10], [10, 11], [11, N]]) acc.update(pReal.slice(a * W, b * W), yReal.slice(a * W, b * W));
    const rep = acc.report();
    expect(rep.samples).toBe(N);
    rep.perOutput.forEach((o, j) => {
      expect(o.mae).toBeCloseTo(ref!.mae[j], 10);
      expect(o.rmse).toBeCloseTo(ref!.rmse[j], 10);
      expect(o.r2).toBeCloseTo(ref!.r2[j], 8);
    });
    expect(rep.r2).toBeCloseTo(ref!.r2mean, 8);
    expect(rep.mae).toBeCloseTo((ref!.mae as number[]).reduce((a, b) => a + b) / W, 10);
  });

  it('multi-label: per-label, micro and macro precision/recall/F1, subset accuracy, ROC AUC with ties', () => {
    const acc = new MultiLabelAccumulator(L);
    acc.update(sML.slice(0, 40 * L), yML.slice(0, 40 * L));
    acc.update(sML.slice(40 * L), yML.slice(40 * L));
    const rep = acc.report();
    const [pc, rc, f, sup] = ref!.perLabel as number[][];
    rep.perLabel.forEach((l, j) => {
      expect(l.precision).toBeCloseTo(pc[j], 12);
      expect(l.recall).toBeCloseTo(rc[j], 12);
      expect(l.f1).toBeCloseTo(f[j], 12);
      expect(l.support).toBe(sup[j]);
      expect(rep.rocAuc.perLabel[j]).toBeCloseTo(ref!.aucML[j], 12);
    });
    for (const avg of ['micro', 'macro'] as const) {
      expect(rep[avg].precision).toBeCloseTo(ref![avg][0], 12);
      expect(rep[avg].recall).toBeCloseTo(ref![avg][1], 12);
      expect(rep[avg].f1).toBeCloseTo(ref![avg][2], 12);
    }
    expect(rep.subsetAccuracy).toBeCloseTo(ref!.subset, 12);
  });

  it('binary ROC AUC from two logits equals sklearn on the softmax probability', () => {
    expect(rocAuc(binaryScores(logits2, 2), yBin)).toBeCloseTo(ref!.aucBin, 12);
  });
});

describe('hand-checked cases', () => {
  it('ROC AUC: perfect, reversed, all tied, one class', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5], [0, 1, 1])).toBe(0.5);
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
  });

  it('R² of a constant target: 1 when exact, else 0 (sklearn force_finite)', () => {
    const exact = new RegressionAccumulator(1);
    exact.update([2, 2], [2, 2]);
    expect(exact.report().r2).toBe(1);
    const off = new RegressionAccumulator(1);
    off.update([2, 3], [2, 2]);
    expect(off.report().r2).toBe(0);
    expect(off.report().mae).toBe(0.5);
    expect(off.report().rmse).toBeCloseTo(Math.sqrt(0.5), 12);
  });

  it('rejects mismatched lengths and non-0/1 multi-label targets', () => {
    expect(() => new RegressionAccumulator(2).update([1, 2, 3], [1, 2, 3])).toThrow(/width 2/);
    expect(() => new MultiLabelAccumulator(2).update([1, -1], [1, 0.5])).toThrow(/not 0 or 1/);
  });
});
