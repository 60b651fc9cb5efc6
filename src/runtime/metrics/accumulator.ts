/**
 * Accumulates predictions batch by batch into a confusion matrix and top-k
 * hit counts, so evaluating a whole split never holds all logits at once.
 */
import type * as tf from '@tensorflow/tfjs';
import type { MetricSpec } from '../../compiler/spec.js';
import type { MetricsReport } from '../contracts.js';
import { reportFromConfusion } from './report.js';

export interface AccumulatorOptions {
  /** The k values of top-k accuracy to track (from the spec's top_k_accuracy entries). */
  readonly topK?: readonly number[];
}

/** The k values a spec's metrics ask for (deduplicated, ascending). */
export function topKFromSpecs(metrics: readonly MetricSpec[]): number[] {
  const ks = metrics.flatMap((m) => (m.kind === 'top_k_accuracy' ? [m.k] : []));
  return [...new Set(ks)].sort((a, b) => a - b);
}

export class MetricsAccumulator {
  private confusion: number[][];
  private topKHits: Record<number, number> = {};
  private readonly topK: readonly number[];

  constructor(
    readonly numClasses: number,
    opts: AccumulatorOptions = {},
  ) {
    if (!(Number.isInteger(numClasses) && numClasses >= 1)) throw new RangeError(`numClasses must be a positive integer, got ${numClasses}`);
    this.topK = opts.topK ?? [];
    for (const k of this.topK) if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`top-k: k must be a positive integer, got ${k}`);
    this.confusion = this.emptyMatrix();
    this.reset();
  }

  /**
   * Adds one batch of logits (or probabilities: only their order matters),
   * [n, numClasses] as a tensor or a flat row-major Float32Array. The
   * prediction is the first maximum (NaN never wins); a sample is a top-k hit
   * when fewer than k classes score strictly higher than its true class, so
   * ties at the boundary count as hits (tf.math.in_top_k's rule).
   * Reads a tensor synchronously; the caller still owns and disposes it.
   */
  update(logits: Float32Array | tf.Tensor2D, labels: Int32Array): void {
    let scores: Float32Array;
    if (logits instanceof Float32Array) {
      scores = logits;
    } else {
      if (logits.shape[1] !== this.numClasses) throw new Error(`metrics: logits have ${logits.shape[1]} columns, expected ${this.numClasses}`);
      scores = logits.dataSync() as Float32Array;
    }
    const k = this.numClasses;
    if (scores.length !== labels.length * k) throw new Error(`metrics: ${scores.length} scores for ${labels.length} labels × ${k} classes`);
    for (let i = 0; i < labels.length; i++) {
      const label = this.checkLabel(labels[i]);
      const off = i * k;
      let best = 0;
      let bestScore = -Infinity;
      for (let c = 0; c < k; c++) {
        const s = scores[off + c];
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      this.confusion[label][best] += 1;
      if (this.topK.length > 0) {
        const own = scores[off + label];
        let higher = 0;
        if (Number.isNaN(own)) higher = k;
        else for (let c = 0; c < k; c++) if (scores[off + c] > own) higher++;
        for (const kk of this.topK) if (higher < kk) this.topKHits[kk] += 1;
      }
    }
  }

  /** Adds predicted class indices (no scores, so top-k accuracy cannot be tracked: throws if it was asked for). */
  updateFromPredictions(predicted: Int32Array, labels: Int32Array): void {
    if (this.topK.length > 0) throw new Error('metrics: top-k accuracy needs scores; use update(logits, labels)');
    if (predicted.length !== labels.length) throw new Error(`metrics: ${predicted.length} predictions for ${labels.length} labels`);
    for (let i = 0; i < labels.length; i++) this.confusion[this.checkLabel(labels[i])][this.checkLabel(predicted[i])] += 1;
  }

  /** The metrics of everything added since construction or the last reset(). */
  report(): MetricsReport {
    return reportFromConfusion(this.confusion, this.topKHits);
  }

  reset(): void {
    this.confusion = this.emptyMatrix();
    this.topKHits = Object.fromEntries(this.topK.map((k) => [k, 0]));
  }

  private emptyMatrix(): number[][] {
    return Array.from({ length: this.numClasses }, () => new Array<number>(this.numClasses).fill(0));
  }

  private checkLabel(c: number): number {
    if (!(Number.isInteger(c) && c >= 0 && c < this.numClasses)) throw new RangeError(`metrics: class index ${c} outside 0..${this.numClasses - 1}`);
    return c;
  }
}

/** Metrics of predicted vs true class indices in one call. */
export function metricsFromPredictions(predicted: Int32Array, labels: Int32Array, numClasses: number): MetricsReport {
  const acc = new MetricsAccumulator(numClasses);
  acc.updateFromPredictions(predicted, labels);
  return acc.report();
}
