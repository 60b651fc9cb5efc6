/**
 * Evaluation of a model on one split: batched inference mode (dropout off,
 * batch norm on its moving statistics), mean loss over samples and the
 * classification metrics.
 */
import * as tf from '@tensorflow/tfjs';
import { mainModel } from '../model/outputs.js';
import type { IR } from '../../compiler/ir.js';
import type { MetricSpec, TransformSpec } from '../../compiler/spec.js';
import type { ImageSet, LossFn, MetricsReport } from '../contracts.js';
import { MetricsAccumulator, topKFromSpecs } from '../metrics/index.js';
import { binaryScores, MultiLabelAccumulator, RegressionAccumulator, rocAuc } from '../metrics/target-metrics.js';
import { feed } from './feed.js';

export interface EvaluateSetOptions {
  readonly batchSize: number;
  readonly transforms: readonly TransformSpec[];
  readonly numClasses: number;
  readonly lossFn: LossFn;
  readonly metrics: readonly MetricSpec[];
  readonly seed: number;
}

/** The evaluation options of the spec of `ir` (validation, test, dlc eval): declared once, here. */
export function evalOptions(ir: IR, lossFn: LossFn): EvaluateSetOptions {
  const spec = ir.spec;
  return { batchSize: spec.data.batch_size, transforms: spec.data.transforms.eval, numClasses: ir.numClasses, lossFn, metrics: spec.metrics, seed: spec.seed };
}

export interface SetEvaluation {
  /** Sample-weighted mean loss. */
  readonly loss: number;
  readonly report: MetricsReport;
}

/** Evaluates `model` on `set`; leaves no tensors behind. */
export async function evaluateSet(model: tf.LayersModel, set: ImageSet, opts: EvaluateSetOptions): Promise<SetEvaluation> {
  const kind = set.target.kind;
  const acc = kind === 'class' ? new MetricsAccumulator(opts.numClasses, { topK: topKFromSpecs(opts.metrics) }) : undefined;
  const reg = kind === 'real' ? new RegressionAccumulator(set.target.width) : undefined;
  const ml = kind === 'multi_label' ? new MultiLabelAccumulator(set.target.width) : undefined;
  // Two classes: the class-1 scores and labels, for ROC AUC.
  const binary = kind === 'class' && opts.numClasses === 2 ? { scores: [] as number[], labels: [] as number[] } : undefined;
  let lossSum = 0;
  let n = 0;
  for await (const batch of feed(set, { batchSize: opts.batchSize, shuffle: false, seed: opts.seed, epoch: 0, transforms: opts.transforms, numClasses: opts.numClasses })) {
    try {
      const { logits, loss } = tf.tidy(() => {
        const l = mainModel(model).apply(batch.xs, { training: false }) as tf.Tensor2D;
        return { logits: l, loss: opts.lossFn(l, batch.ys) };
      });
      const scores = logits.dataSync() as Float32Array;
      if (acc) acc.update(scores, batch.labels);
      else (reg ?? ml)!.update(scores, batch.ys.dataSync());
      if (binary) {
        binary.scores.push(...binaryScores(scores, 2));
        binary.labels.push(...batch.labels);
      }
      lossSum += loss.dataSync()[0] * batch.size;
      n += batch.size;
      tf.dispose([logits, loss]);
    } finally {
      tf.dispose([batch.xs, batch.ys]);
    }
  }
  return { loss: n > 0 ? lossSum / n : NaN, report: targetReport(acc, reg, ml, binary) };
}

/** The report of whichever accumulator ran: classes (with ROC AUC for two), regression or multi-label. */
function targetReport(acc?: MetricsAccumulator, reg?: RegressionAccumulator, ml?: MultiLabelAccumulator, binary?: { scores: number[]; labels: number[] }): MetricsReport {
  if (acc) {
    const r = acc.report();
    return binary ? { ...r, rocAuc: rocAuc(binary.scores, binary.labels) } : r;
  }
  if (reg) {
    const regression = reg.report();
    return { samples: regression.samples, accuracy: NaN, topK: {}, perClass: [], macro: { precision: 0, recall: 0, f1: 0 }, confusion: [], regression };
  }
  const multiLabel = ml!.report();
  return { samples: multiLabel.samples, accuracy: multiLabel.subsetAccuracy, topK: {}, perClass: multiLabel.perLabel, macro: multiLabel.macro, confusion: [], multiLabel };
}
