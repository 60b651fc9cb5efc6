/**
 * Classification metrics from a confusion matrix, with scikit-learn's
 * conventions: precision = tp/(tp+fp), recall = tp/(tp+fn),
 * F1 = 2tp/(2tp+fp+fn), and any 0/0 is 0 (`zero_division=0`).
 */
import type { MetricsReport } from '../contracts.js';

/**
 * Builds the report from confusion[true][pred] and top-k hit counts.
 *
 * Macro averages are unweighted means over the classes that occur at all —
 * in the labels or in the predictions — as scikit-learn (labels inferred
 * from the data) and torchmetrics do; a class absent from both says nothing
 * about the model and would only drag the average towards 0 on a small
 * evaluation set.
 */
export function reportFromConfusion(confusion: readonly (readonly number[])[], topKHits: Readonly<Record<number, number>> = {}): MetricsReport {
  const k = confusion.length;
  const support = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const predicted = Array.from({ length: k }, (_, j) => confusion.reduce((a, row) => a + row[j], 0));
  const samples = support.reduce((a, b) => a + b, 0);
  let correct = 0;
  const perClass = confusion.map((row, c) => {
    const tp = row[c];
    correct += tp;
    const fp = predicted[c] - tp;
    const fn = support[c] - tp;
    return { precision: safeDiv(tp, tp + fp), recall: safeDiv(tp, tp + fn), f1: safeDiv(2 * tp, 2 * tp + fp + fn), support: support[c] };
  });
  const present = perClass.filter((_, c) => support[c] > 0 || predicted[c] > 0);
  const mean = (key: 'precision' | 'recall' | 'f1') => safeDiv(present.reduce((a, m) => a + m[key], 0), present.length);
  const topK: Record<number, number> = {};
  for (const [kk, hits] of Object.entries(topKHits)) topK[Number(kk)] = safeDiv(hits, samples);
  return {
    samples,
    accuracy: safeDiv(correct, samples),
    topK,
    perClass,
    macro: { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') },
    confusion: confusion.map((row) => [...row]),
  };
}

function safeDiv(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}
