/**
 * Evaluation of a model on one split: batched inference mode (dropout off,
 * batch norm on its moving statistics), mean loss over samples and the
 * classification metrics.
 */
import * as tf from '@tensorflow/tfjs';
import type { IR } from '../../compiler/ir.js';
import type { MetricSpec, TransformSpec } from '../../compiler/spec.js';
import type { ImageSet, LossFn, MetricsReport } from '../contracts.js';
import { MetricsAccumulator, topKFromSpecs } from '../metrics/index.js';
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
  const acc = new MetricsAccumulator(opts.numClasses, { topK: topKFromSpecs(opts.metrics) });
  let lossSum = 0;
  let n = 0;
  for await (const batch of feed(set, { batchSize: opts.batchSize, shuffle: false, seed: opts.seed, epoch: 0, transforms: opts.transforms, numClasses: opts.numClasses })) {
    try {
      const { logits, loss } = tf.tidy(() => {
        const l = model.apply(batch.xs, { training: false }) as tf.Tensor2D;
        return { logits: l, loss: opts.lossFn(l, batch.ys) };
      });
      acc.update(logits.dataSync() as Float32Array, batch.labels);
      lossSum += loss.dataSync()[0] * batch.size;
      n += batch.size;
      tf.dispose([logits, loss]);
    } finally {
      tf.dispose([batch.xs, batch.ys]);
    }
  }
  return { loss: n > 0 ? lossSum / n : NaN, report: acc.report() };
}
