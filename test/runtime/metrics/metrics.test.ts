import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  confusionMatrixCsv,
  formatConfusionMatrix,
  formatMetricsTable,
  MetricsAccumulator,
  metricsFromPredictions,
  perClassMetricsCsv,
  topKFromSpecs,
  writeConfusionMatrixCsv,
} from '../../../src/runtime/metrics/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// 3 classes; class 2 is never predicted.
const LABELS = new Int32Array([0, 0, 0, 1, 1, 2, 2, 2]);
const PREDS = new Int32Array([0, 0, 1, 1, 0, 1, 1, 0]);
const CONFUSION = [
  [2, 1, 0],
  [1, 1, 0],
  [1, 2, 0],
];

describe('report from predictions', () => {
  const r = metricsFromPredictions(PREDS, LABELS, 3);

  it('builds confusion[true][pred]', () => {
    expect(r.confusion).toEqual(CONFUSION);
    expect(r.samples).toBe(8);
    expect(r.accuracy).toBeCloseTo(3 / 8, 12);
  });

  it('per-class precision, recall, F1 and support', () => {
    // class 0: tp 2, predicted 4, support 3; class 1: tp 1, predicted 4, support 2
    expect(r.perClass[0]).toEqual({ precision: 0.5, recall: expect.closeTo(2 / 3, 12), f1: expect.closeTo(4 / 7, 12), support: 3 });
    expect(r.perClass[1]).toEqual({ precision: 0.25, recall: 0.5, f1: expect.closeTo(1 / 3, 12), support: 2 });
  });

  it('a class never predicted has precision 0 (0/0 → 0), recall 0, F1 0', () => {
    expect(r.perClass[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 3 });
  });

  it('macro averages are unweighted means over classes', () => {
    expect(r.macro.precision).toBeCloseTo(0.25, 12);
    expect(r.macro.recall).toBeCloseTo(7 / 18, 12);
    expect(r.macro.f1).toBeCloseTo((4 / 7 + 1 / 3) / 3, 12);
  });

  it('classes absent from both labels and predictions do not enter the macro average', () => {
    const r4 = metricsFromPredictions(PREDS, LABELS, 4);
    expect(r4.perClass[3]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(r4.macro).toEqual(r.macro);
    // …but a class that is predicted and never true does (precision 0).
    const r5 = metricsFromPredictions(new Int32Array([3, 0]), new Int32Array([0, 0]), 4);
    expect(r5.macro.precision).toBeCloseTo(0.5, 12);
    expect(r5.macro.recall).toBeCloseTo(0.25, 12);
  });

  it('an empty report is all zeros', () => {
    const e = new MetricsAccumulator(2).report();
    expect(e.samples).toBe(0);
    expect(e.accuracy).toBe(0);
    expect(e.macro).toEqual({ precision: 0, recall: 0, f1: 0 });
  });
});

describe('accumulator fed with logits', () => {
  // argmax: 0, 1, 2, 2 (class 1 vs 2 decided by scores)
  const logits = new Float32Array([
    3, 1, 2, // label 0: pred 0, top-1 hit
    0.1, 0.9, 0.5, // label 2: pred 1, rank 2
    0.6, 0.1, 0.3, // label 1: pred 0, rank 3
    -1, -2, 5, // label 2: pred 2
  ]);
  const labels = new Int32Array([0, 2, 1, 2]);

  it('accuracy and top-k from a Float32Array, accumulated over batches', () => {
    const acc = new MetricsAccumulator(3, { topK: [1, 2, 3] });
    acc.update(logits.subarray(0, 6), labels.subarray(0, 2));
    acc.update(logits.subarray(6), labels.subarray(2));
    const r = acc.report();
    expect(r.accuracy).toBe(0.5);
    expect(r.topK).toEqual({ 1: 0.5, 2: 0.75, 3: 1 });
    expect(r.confusion).toEqual([
      [1, 0, 0],
      [1, 0, 0],
      [0, 1, 1],
    ]);
  });

  it('accepts a tensor and gives the same report; reset() clears', () => {
    const acc = new MetricsAccumulator(3, { topK: [2] });
    const t = tf.tensor2d(logits, [4, 3]);
    acc.update(t, labels);
    t.dispose();
    const fromArray = new MetricsAccumulator(3, { topK: [2] });
    fromArray.update(logits, labels);
    expect(acc.report()).toEqual(fromArray.report());
    acc.reset();
    expect(acc.report().samples).toBe(0);
    expect(acc.report().topK).toEqual({ 2: 0 });
  });

  it('ties: argmax takes the first maximum; top-k counts ties at the boundary as hits', () => {
    const acc = new MetricsAccumulator(3, { topK: [1] });
    acc.update(new Float32Array([0.5, 0.5, 0]), new Int32Array([1]));
    expect(acc.report().confusion[1]).toEqual([1, 0, 0]);
    expect(acc.report().topK[1]).toBe(1);
  });

  it('rejects bad labels, shapes, and top-k without scores', () => {
    const acc = new MetricsAccumulator(3);
    expect(() => acc.update(new Float32Array(3), new Int32Array([3]))).toThrow(RangeError);
    expect(() => acc.update(new Float32Array(4), new Int32Array([0]))).toThrow(/scores/);
    expect(() => new MetricsAccumulator(3, { topK: [2] }).updateFromPredictions(PREDS, LABELS)).toThrow(/top-k/);
  });

  it('topKFromSpecs picks the k values from the spec', () => {
    expect(topKFromSpecs([{ kind: 'accuracy' }, { kind: 'top_k_accuracy', k: 5 }, { kind: 'top_k_accuracy', k: 2 }, { kind: 'top_k_accuracy', k: 5 }])).toEqual([2, 5]);
  });
});

describe('formatting', () => {
  const r = metricsFromPredictions(PREDS, LABELS, 3);
  const names = ['cat', 'dog', 'airplane'];

  it('per-class table with aligned columns and a macro row', () => {
    const text = formatMetricsTable(r, names, [{ kind: 'accuracy' }, { kind: 'precision' }, { kind: 'recall' }, { kind: 'f1' }]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^\s+precision\s+recall\s+f1-score\s+support$/);
    const row = (label: string) => lines.find((l) => l.startsWith(label))!;
    expect(row('cat').split(/\s+/)).toEqual(['cat', '0.5000', '0.6667', '0.5714', '3']);
    expect(row('airplane').split(/\s+/)).toEqual(['airplane', '0.0000', '0.0000', '0.0000', '3']);
    expect(row('macro avg').split(/\s{2,}/)).toEqual(['macro avg', '0.2500', '0.3889', '0.3016', '8']);
    expect(row('accuracy').split(/\s+/)).toEqual(['accuracy', '0.3750', '8']);
    // Right-aligned: every data row ends at the same column as the header.
    const dataRows = ['cat', 'dog', 'airplane', 'macro avg', 'accuracy'].map(row);
    for (const l of dataRows) expect(l.length).toBe(lines[0].length);
    // The accuracy value sits under the last metric column.
    expect(row('accuracy').indexOf('0.3750') + 6).toBe(lines[0].indexOf('f1-score') + 8);
  });

  it('shows only the metrics asked for, and top-k lines', () => {
    const acc = new MetricsAccumulator(3, { topK: [2] });
    acc.update(new Float32Array([1, 0, 0, 0, 1, 0]), new Int32Array([0, 2]));
    const text = formatMetricsTable(acc.report(), names, [{ kind: 'recall' }, { kind: 'top_k_accuracy', k: 2 }]);
    expect(text).not.toMatch(/precision|f1-score|^accuracy/m);
    expect(text).toMatch(/recall/);
    expect(text).toMatch(/^top-2 accuracy\s+1\.0000\s+2$/m);
  });

  it('accuracy only: no per-class table; nothing wanted: empty', () => {
    const text = formatMetricsTable(r, names, [{ kind: 'accuracy' }]);
    expect(text.split('\n').filter((l) => l.trim() !== '').map((l) => l.trim().split(/\s+/))).toEqual([
      ['value', 'support'],
      ['accuracy', '0.3750', '8'],
    ]);
    expect(formatMetricsTable(r, names, [{ kind: 'confusion_matrix' }])).toBe('');
  });

  it('confusion matrix: rows true, columns predicted, with totals', () => {
    const text = formatConfusionMatrix(r, names);
    expect(text.split('\n').map((l) => l.trim().split(/\s{2,}/))).toEqual([
      ['true \\ pred', 'cat', 'dog', 'airplane', 'total'],
      ['cat', '2', '1', '0', '3'],
      ['dog', '1', '1', '0', '2'],
      ['airplane', '1', '2', '0', '3'],
    ]);
    const lens = new Set(text.split('\n').map((l) => l.length));
    expect(lens.size).toBe(1);
  });

  it('wide confusion matrices switch to index column headers', () => {
    const k = 12;
    const labels = Int32Array.from({ length: k }, (_, i) => i);
    const wide = metricsFromPredictions(labels, labels, k);
    const longNames = labels.length ? Array.from(labels, (i) => `a_rather_long_class_name_${i}`) : [];
    const lines = formatConfusionMatrix(wide, longNames).split('\n');
    expect(lines[0].trim().split(/\s+/).slice(3, 6)).toEqual(['0', '1', '2']);
    expect(lines[1]).toMatch(/^0 a_rather_long_class_name_0\s+1\s/);
  });
});

describe('csv', () => {
  const r = metricsFromPredictions(PREDS, LABELS, 3);

  it('confusion matrix CSV with escaped class names', () => {
    expect(confusionMatrixCsv(r, ['cat', 'dog, big', 'say "hi"'])).toBe(
      'true\\pred,cat,"dog, big","say ""hi"""\ncat,2,1,0\n"dog, big",1,1,0\n"say ""hi""",1,2,0\n',
    );
  });

  it('per-class CSV has a macro row', () => {
    const lines = perClassMetricsCsv(r, ['a', 'b', 'c']).trim().split('\n');
    expect(lines[0]).toBe('class,precision,recall,f1,support');
    expect(lines[3]).toBe('c,0,0,0,3');
    expect(lines[4]).toMatch(/^macro avg,0\.25,0\.388/);
  });

  it('writes the file atomically (no temporary left behind)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlc-metrics-'));
    const path = join(dir, 'confusion_matrix.csv');
    await writeConfusionMatrixCsv(path, r, ['a', 'b', 'c']);
    expect(readFileSync(path, 'utf8')).toBe(confusionMatrixCsv(r, ['a', 'b', 'c']));
    expect(readdirSync(dir)).toEqual(['confusion_matrix.csv']);
  });
});
