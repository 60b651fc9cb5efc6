/**
 * The interfaces between the runtime's parts (data, transforms, losses,
 * optimizers, schedules, metrics, train loop). Each part implements its side
 * in its own folder; the train loop depends only on these.
 */
import type * as tf from '@tensorflow/tfjs';

/** A set of images as raw bytes, NHWC, with integer labels. */
export interface ImageSet {
  /** Length count*h*w*c, pixel values 0..255. */
  readonly images: Uint8Array;
  /** Length count, values 0..numClasses-1. */
  readonly labels: Int32Array;
  readonly count: number;
  /** [height, width, channels] */
  readonly shape: readonly [number, number, number];
}

export interface LoadedDataset {
  readonly name: string;
  readonly classNames: readonly string[];
  readonly train: ImageSet;
  readonly test: ImageSet;
}

export interface LoadOptions {
  /** Where downloads and decoded-image caches live ($DLC_CACHE, default ~/.cache/dlc). */
  readonly cacheDir: string;
  /** Progress / info lines for the user (stderr). */
  readonly log?: (message: string) => void;
}

/** One batch ready for the model. The consumer disposes xs and ys. */
export interface Batch {
  /** float32 [n, h, w, c], already scaled to [0,1] and transformed. */
  readonly xs: tf.Tensor4D;
  /** float32 one-hot [n, numClasses]. */
  readonly ys: tf.Tensor2D;
  readonly labels: Int32Array;
  readonly size: number;
  /** Position of the batch in its epoch (0-based). */
  readonly index: number;
}

/** A plain serialisable array, for optimizer state in checkpoints. */
export interface NamedArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** An optimizer the train loop drives; the schedule sets learningRate before each step. */
export interface TrainableOptimizer {
  readonly kind: string;
  learningRate: number;
  /** One update of vars by grads (same order). Applies weight decay and clipping as the spec says. */
  applyGradients(vars: readonly tf.Variable[], grads: readonly tf.Tensor[]): void;
  /** Slot variables (moments, accumulators) and step counter, for checkpoints. */
  getState(): NamedArray[];
  setState(state: readonly NamedArray[]): void;
  dispose(): void;
}

/** Learning rate as a function of the global step (schedules are per step). */
export interface LrSchedule {
  lrAt(step: number): number;
  /** Called after each epoch's validation (reduce_on_plateau listens; others ignore it). */
  endEpoch(epoch: number, metrics: Readonly<Record<string, number>>): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** Loss from logits and one-hot (or target) labels, averaged over the batch. */
export type LossFn = (logits: tf.Tensor2D, targets: tf.Tensor2D) => tf.Scalar;

/** Per-class and aggregate classification metrics. */
export interface MetricsReport {
  readonly samples: number;
  readonly accuracy: number;
  /** k → top-k accuracy. */
  readonly topK: Readonly<Record<number, number>>;
  readonly perClass: readonly { readonly precision: number; readonly recall: number; readonly f1: number; readonly support: number }[];
  readonly macro: { readonly precision: number; readonly recall: number; readonly f1: number };
  /** confusion[true][predicted] */
  readonly confusion: readonly (readonly number[])[];
}
