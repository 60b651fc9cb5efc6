/**
 * The interfaces between the runtime's parts (data, transforms, losses,
 * optimizers, schedules, metrics, train loop). Each part implements its side
 * in its own folder; the train loop depends only on these.
 */
import type * as tf from '@tensorflow/tfjs';
import type { MultiLabelReport, RegressionReport } from './metrics/target-metrics.js';
import type { TablePreprocessing } from '../compiler/shared/tabular.js';
import type { TextPreprocessing } from '../compiler/shared/text.js';

/**
 * How a set stores its inputs and how they reach the model. Image loaders
 * store bytes and say how to scale them (divisor 255: [0, 1] floats, as
 * torchvision's ToTensor); other sets store float32 features or int32 token
 * ids, which the batches pass through unchanged.
 */
export type ExampleInputs =
  | { readonly dtype: 'uint8'; readonly values: Uint8Array; /** Fed as float32 `value / divisor`. */ readonly divisor: number }
  | { readonly dtype: 'float32'; readonly values: Float32Array }
  | { readonly dtype: 'int32'; readonly values: Int32Array };

/** What a sample's target is: a class index, a multi-label 0/1 vector, or real values. */
export type ExampleTarget =
  | { readonly kind: 'class'; readonly classes: number }
  | { readonly kind: 'multi_label'; readonly width: number }
  | { readonly kind: 'real'; readonly width: number };

/**
 * A set of examples: inputs of any rank (images [h, w, c], sequences [t] or
 * [t, f], feature vectors [f]) with their targets, row-major, sample first.
 */
export interface ExampleSet {
  readonly count: number;
  /** Per-sample input shape, without the batch axis. */
  readonly shape: readonly number[];
  /** count × prod(shape) values. */
  readonly x: ExampleInputs;
  readonly target: ExampleTarget;
  /** Class targets: the class index of each sample (length count). Other targets: empty. */
  readonly labels: Int32Array;
  /** Multi-label and real targets: count × width values. Absent for class targets. */
  readonly targets?: Float32Array;
}

/** The sets the image loaders make: uint8 [h, w, c] inputs with class targets (the name predates ExampleSet). */
export type ImageSet = ExampleSet;

export interface LoadedDataset {
  readonly name: string;
  /** Class targets: one name per class. Other targets: empty. */
  readonly classNames: readonly string[];
  readonly train: ExampleSet;
  readonly test: ExampleSet;
  /**
   * csv: the preprocessing fitted on the training rows (means, stds,
   * categories, classes, window statistics); a run saves it as
   * preprocessing.json so eval, predict and emitted projects encode rows the
   * same way. text: the tokenising options and the vocabulary fitted on the
   * training split.
   */
  readonly preprocessing?: TablePreprocessing | TextPreprocessing;
}

export interface LoadOptions {
  /** Where downloads and decoded-image caches live ($DLC_CACHE, default ~/.cache/dlc). */
  readonly cacheDir: string;
  /** Progress / info lines for the user (stderr). */
  readonly log?: (message: string) => void;
}

/** One batch ready for the model. The consumer disposes xs and ys. */
export interface Batch {
  /** [n, ...sample shape]: float32 (images scaled and transformed, features) or int32 (token ids). */
  readonly xs: tf.Tensor;
  /** float32 [n, width]: one-hot classes, the multi-label 0/1 vector, or the real targets. */
  readonly ys: tf.Tensor2D;
  /** Class targets: the class index of each sample; other targets: empty. */
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
  /**
   * Sets the momentum of the next steps (SGD/RMSprop momentum, Adam's beta1), as a schedule with
   * momentum cycling (one_cycle) asks; absent on optimizers without one (adagrad).
   */
  setMomentum?(momentum: number): void;
  /** Slot variables (moments, accumulators) and step counter, for checkpoints. */
  getState(): NamedArray[];
  setState(state: readonly NamedArray[]): void;
  dispose(): void;
}

/** Learning rate as a function of the global step (schedules are per step). */
export interface LrSchedule {
  lrAt(step: number): number;
  /** The optimizer momentum for the step (one_cycle with cycle_momentum); absent when the schedule leaves momentum alone. */
  momentumAt?(step: number): number;
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
  /** Real targets: MAE, RMSE, R² per output and mean (accuracy is NaN, the class fields empty). */
  readonly regression?: RegressionReport;
  /** Multi-label targets (accuracy is the exact-match ratio, perClass/macro are per label). */
  readonly multiLabel?: MultiLabelReport;
  /** Two classes: ROC AUC of the class-1 score. */
  readonly rocAuc?: number;
}
