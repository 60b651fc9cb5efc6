/**
 * Metrics of the non-class targets and of binary scores, with scikit-learn's
 * conventions (the numbers are checked against sklearn in
 * test/runtime/metrics/target-metrics.test.ts):
 *
 *  - regression (real targets, one or several outputs): MAE, RMSE and R² per
 *    output and their unweighted means (`multioutput='uniform_average'`);
 *    R² of a constant target is 1 when predicted exactly, else 0 (sklearn's
 *    `force_finite`).
 *  - multi-label (several 0/1 targets): a label is predicted when its logit
 *    is > 0 (sigmoid > 0.5); per-label precision/recall/F1, micro averages
 *    (pooled counts) and macro averages (mean over every label), any 0/0 is
 *    0 (`zero_division=0`); accuracy is the exact-match ratio (sklearn's
 *    subset accuracy).
 *  - ROC AUC (binary classes, and each label of a multi-label target): the
 *    Mann–Whitney form with tied scores counting one half, which equals
 *    `roc_auc_score`; NaN when a label has only one value.
 */

export interface RegressionReport {
  readonly samples: number;
  readonly perOutput: readonly { readonly mae: number; readonly rmse: number; readonly r2: number }[];
  /** Means over the outputs. */
  readonly mae: number;
  readonly rmse: number;
  readonly r2: number;
}

export interface LabelCounts {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Samples whose label is 1. */
  readonly support: number;
}

export interface MultiLabelReport {
  readonly samples: number;
  /** Exact-match ratio: every label of a sample right. */
  readonly subsetAccuracy: number;
  readonly perLabel: readonly LabelCounts[];
  readonly micro: { readonly precision: number; readonly recall: number; readonly f1: number };
  readonly macro: { readonly precision: number; readonly recall: number; readonly f1: number };
  /** ROC AUC per label (NaN for a label with one value) and their mean over the defined ones. */
  readonly rocAuc: { readonly perLabel: readonly number[]; readonly macro: number };
}

const safeDiv = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Streams regression outputs and targets ([n, width] row-major each). Sums in float64. */
export class RegressionAccumulator {
  private n = 0;
  private absErr: Float64Array;
  private sqErr: Float64Array;
  private sumY: Float64Array;
  private sumY2: Float64Array;

  constructor(readonly width: number) {
    if (!(Number.isInteger(width) && width >= 1)) throw new RangeError(`regression metrics: width must be a positive integer, got ${width}`);
    this.absErr = new Float64Array(width);
    this.sqErr = new Float64Array(width);
    this.sumY = new Float64Array(width);
    this.sumY2 = new Float64Array(width);
  }

  update(outputs: ArrayLike<number>, targets: ArrayLike<number>): void {
    const w = this.width;
    if (outputs.length !== targets.length || outputs.length % w !== 0) throw new Error(`regression metrics: ${outputs.length} outputs for ${targets.length} targets of width ${w}`);
    for (let i = 0; i < outputs.length; i++) {
      const j = i % w;
      const y = targets[i];
      const e = outputs[i] - y;
      this.absErr[j] += Math.abs(e);
      this.sqErr[j] += e * e;
      this.sumY[j] += y;
      this.sumY2[j] += y * y;
    }
    this.n += outputs.length / w;
  }

  report(): RegressionReport {
    const n = this.n;
    const perOutput = Array.from({ length: this.width }, (_, j) => {
      const ssTot = this.sumY2[j] - (this.sumY[j] * this.sumY[j]) / n;
      const ssRes = this.sqErr[j];
      // A constant target (ssTot 0 up to rounding): sklearn's force_finite rule.
      const constant = !(ssTot > 1e-12 * Math.max(1, this.sumY2[j]));
      const r2 = n === 0 ? NaN : constant ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
      return { mae: n ? this.absErr[j] / n : NaN, rmse: n ? Math.sqrt(ssRes / n) : NaN, r2 };
    });
    const mean = (k: 'mae' | 'rmse' | 'r2'): number => perOutput.reduce((a, o) => a + o[k], 0) / perOutput.length;
    return { samples: n, perOutput, mae: mean('mae'), rmse: mean('rmse'), r2: mean('r2') };
  }
}

/**
 * ROC AUC of scores against 0/1 labels: the probability that a random
 * positive scores above a random negative, ties counting one half (average
 * ranks). NaN when the labels are all one value. NaN scores rank lowest.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n) throw new Error(`roc auc: ${n} scores for ${labels.length} labels`);
  const order = Array.from({ length: n }, (_, i) => i);
  const key = (i: number): number => (Number.isNaN(scores[i]) ? -Infinity : scores[i]);
  order.sort((a, b) => key(a) - key(b));
  let pos = 0;
  let rankSumPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && key(order[j + 1]) === key(order[i])) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]] === 1) {
        pos++;
        rankSumPos += avgRank;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Streams multi-label logits and 0/1 targets ([n, width] row-major); keeps the scores for ROC AUC. */
export class MultiLabelAccumulator {
  private tp: Float64Array;
  private fp: Float64Array;
  private fn: Float64Array;
  private exact = 0;
  private n = 0;
  private scores: number[][];
  private labels: number[][];

  constructor(readonly width: number) {
    if (!(Number.isInteger(width) && width >= 1)) throw new RangeError(`multi-label metrics: width must be a positive integer, got ${width}`);
    this.tp = new Float64Array(width);
    this.fp = new Float64Array(width);
    this.fn = new Float64Array(width);
    this.scores = Array.from({ length: width }, () => []);
    this.labels = Array.from({ length: width }, () => []);
  }

  update(logits: ArrayLike<number>, targets: ArrayLike<number>): void {
    const w = this.width;
    if (logits.length !== targets.length || logits.length % w !== 0) throw new Error(`multi-label metrics: ${logits.length} scores for ${targets.length} targets of width ${w}`);
    for (let s = 0; s < logits.length / w; s++) {
      let allRight = true;
      for (let j = 0; j < w; j++) {
        const score = logits[s * w + j];
        const t = targets[s * w + j];
        if (t !== 0 && t !== 1) throw new RangeError(`multi-label metrics: target ${t} is not 0 or 1`);
        const p = score > 0 ? 1 : 0;
        if (p === 1 && t === 1) this.tp[j]++;
        else if (p === 1) this.fp[j]++;
        else if (t === 1) this.fn[j]++;
        if (p !== t) allRight = false;
        this.scores[j].push(score);
        this.labels[j].push(t);
      }
      if (allRight) this.exact++;
      this.n++;
    }
  }

  report(): MultiLabelReport {
    const perLabel = Array.from({ length: this.width }, (_, j) => {
      const tp = this.tp[j];
      const fp = this.fp[j];
      const fn = this.fn[j];
      return { precision: safeDiv(tp, tp + fp), recall: safeDiv(tp, tp + fn), f1: safeDiv(2 * tp, 2 * tp + fp + fn), support: tp + fn };
    });
    const sum = (a: Float64Array): number => a.reduce((x, y) => x + y, 0);
    const [tp, fp, fn] = [sum(this.tp), sum(this.fp), sum(this.fn)];
    const macro = (k: 'precision' | 'recall' | 'f1'): number => perLabel.reduce((a, l) => a + l[k], 0) / perLabel.length;
    const aucs = this.scores.map((s, j) => rocAuc(s, this.labels[j]));
    const defined = aucs.filter((a) => !Number.isNaN(a));
    return {
      samples: this.n,
      subsetAccuracy: safeDiv(this.exact, this.n),
      perLabel,
      micro: { precision: safeDiv(tp, tp + fp), recall: safeDiv(tp, tp + fn), f1: safeDiv(2 * tp, 2 * tp + fp + fn) },
      macro: { precision: macro('precision'), recall: macro('recall'), f1: macro('f1') },
      rocAuc: { perLabel: aucs, macro: defined.length ? defined.reduce((a, b) => a + b, 0) / defined.length : NaN },
    };
  }
}

/**
 * Binary scores of two-class predictions for ROC AUC: the score of class 1
 * is logit₁ − logit₀ for two outputs (softmax's class-1 probability is
 * monotone in it) or the single logit of a one-unit sigmoid output.
 */
export function binaryScores(logits: ArrayLike<number>, width: 1 | 2): Float64Array {
  const n = logits.length / width;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = width === 1 ? logits[i] : logits[2 * i + 1] - logits[2 * i];
  return out;
}
