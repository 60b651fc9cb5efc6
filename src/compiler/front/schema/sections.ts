/**
 * Schemas of the spec's non-model sections: data and transforms, loss,
 * optimizer, schedule, train, metrics. Unions are "one key = the kind"
 * mappings, with a bare string allowed when the kind needs no attribute.
 */
import { DEFAULTS } from './defaults.js';
import { anyOf, array, boolean, describe, enumOf, integer, kindExamples, number, object, shorthandOr, string, type Schema } from './helpers.js';

export const DATASETS = ['mnist', 'fashion_mnist', 'cifar10', 'image_folder', 'synthetic'] as const;
export const MONITORS = ['val_loss', 'val_accuracy', 'val_f1', 'loss', 'accuracy'] as const;

interface KindDef {
  readonly description: string;
  readonly attrs: Record<string, Schema>;
  readonly required?: readonly string[];
  readonly shorthand?: Schema;
}

/**
 * A one-key union: `- kind: {attrs}` / `kind: shorthand` / bare `kind`
 * (when nothing is required).
 */
export function kindUnion(kinds: Record<string, KindDef>, description: string, o: { default?: unknown; examples?: unknown[] } = {}): Schema {
  const bare = Object.entries(kinds).filter(([, k]) => !k.required?.length).map(([n]) => n);
  const branches: Schema[] = [];
  if (bare.length) branches.push(enumOf(bare, 'A kind that needs no attributes, written as a bare name.'));
  for (const [name, def] of Object.entries(kinds)) {
    const attrs = object(def.attrs, def.description, { required: def.required, nullable: !def.required?.length });
    const value = shorthandOr(def.shorthand, attrs, def.description, kindExamples(def.attrs, def.required, def.shorthand));
    branches.push({ type: 'object', description: def.description, markdownDescription: def.description, properties: { [name]: value }, required: [name], additionalProperties: false });
  }
  return anyOf(branches, description, o);
}

const T = DEFAULTS.transform;
const channelStats = (what: string) =>
  array({ type: 'number' }, `Per-channel ${what} (one value per channel, or one for all), applied to pixels scaled to [0, 1].`, { minItems: 1, maxItems: 3 });

export const TRANSFORM_KINDS: Record<string, KindDef> = {
  normalize: {
    description: 'Subtracts the mean and divides by the standard deviation, per channel: (x − mean) / std.',
    attrs: { mean: { ...channelStats('means'), examples: [[0.1307], [0.4914, 0.4822, 0.4465]] }, std: { ...channelStats('standard deviations'), examples: [[0.3081], [0.247, 0.2435, 0.2616]] } },
    required: ['mean', 'std'],
  },
  rescale: {
    description: 'x · scale + offset (e.g. scale 2, offset −1 maps [0, 1] to [−1, 1]).',
    attrs: { scale: number('Multiplier.', { default: T.rescale.scale, examples: [2] }), offset: number('Added after scaling.', { default: T.rescale.offset, examples: [-1] }) },
  },
  random_flip: {
    description: 'Flips images at random (probability 0.5 per axis).',
    attrs: { mode: enumOf(['horizontal', 'vertical', 'both'], 'Which flips.', { default: T.random_flip.mode }) },
    shorthand: enumOf(['horizontal', 'vertical', 'both'], 'Shorthand for `{mode: …}`.', { examples: ['horizontal'] }),
  },
  random_crop: {
    description: 'Pads the image with zeros, then crops a random size×size window (e.g. 32 with padding 4 on CIFAR-10).',
    attrs: {
      size: integer('Side of the square crop.', { minimum: 1, examples: [32, 28] }),
      padding: integer('Zero padding added on every side before cropping.', { minimum: 0, default: T.random_crop.padding, examples: [4] }),
    },
    required: ['size'],
    shorthand: integer('Shorthand for `{size: …}`.', { minimum: 1, examples: [32] }),
  },
  random_rotation: {
    description: 'Rotates by a random angle in [−degrees, degrees].',
    attrs: { degrees: number('Largest rotation, in degrees.', { minimum: 0, maximum: 180, examples: [15] }) },
    required: ['degrees'],
    shorthand: number('Shorthand for `{degrees: …}`.', { minimum: 0, maximum: 180, examples: [15] }),
  },
  random_translation: {
    description: 'Shifts by a random number of pixels in [−max_pixels, max_pixels] on each axis.',
    attrs: { max_pixels: integer('Largest shift, in pixels.', { minimum: 0, examples: [4] }) },
    required: ['max_pixels'],
    shorthand: integer('Shorthand for `{max_pixels: …}`.', { minimum: 0, examples: [4] }),
  },
  cutout: {
    description: 'Zeroes a random size×size square (DeVries & Taylor, 2017).',
    attrs: { size: integer('Side of the square.', { minimum: 1, examples: [8, 16] }) },
    required: ['size'],
    shorthand: integer('Shorthand for `{size: …}`.', { minimum: 1, examples: [8] }),
  },
  resize: {
    description: 'Resizes to [height, width] (bilinear).',
    attrs: { size: array({ type: 'integer', minimum: 1 }, '[height, width]', { minItems: 2, maxItems: 2, examples: [[32, 32]] }) },
    required: ['size'],
    shorthand: array({ type: 'integer', minimum: 1 }, 'Shorthand for `{size: [height, width]}`.', { minItems: 2, maxItems: 2, examples: [[32, 32]] }),
  },
};

const transformList = (when: string) =>
  array({ $ref: '#/definitions/transform' }, `Transforms applied ${when}, in order, after pixels are scaled to [0, 1].`, { default: [] });

export function dataSchema(): Schema {
  const D = DEFAULTS.data;
  return object(
    {
      dataset: enumOf(DATASETS, 'The data set. `image_folder` reads `path/train/<class>/*.png|jpg` and `path/test/<class>/…`; `synthetic` makes random data (tests, smoke runs).', {
        examples: ['mnist', 'cifar10'],
      }),
      path: string('Directory holding the data set files: the `image_folder` root, or where the MNIST/CIFAR-10 files are (instead of the download cache). Relative to the spec file.', {
        examples: ['../data/cifar10'],
      }),
      image_size: array({ type: 'integer', minimum: 1 }, '`image_folder` only: resize every image to [height, width].', { minItems: 2, maxItems: 2, examples: [[32, 32]] }),
      channels: describe({ type: 'integer', enum: [1, 3] }, '`image_folder` only: 1 (grayscale) or 3 (RGB).', { examples: [3] }),
      synthetic: object(
        {
          train_samples: integer('Training samples.', { minimum: 1, examples: [256] }),
          test_samples: integer('Test samples.', { minimum: 1, examples: [64] }),
          shape: array({ type: 'integer', minimum: 1 }, '[height, width, channels] of each sample.', { minItems: 3, maxItems: 3, examples: [[8, 8, 1]] }),
          classes: integer('Number of classes.', { minimum: 2, examples: [3] }),
        },
        '`synthetic` only: how much random data to make, and its shape.',
        { required: ['train_samples', 'test_samples', 'shape', 'classes'] },
      ),
      input_shape: array({ type: 'integer', minimum: 1 }, 'The input shape [height, width, channels] you expect; dlc checks it against the data set.', { minItems: 3, maxItems: 3, examples: [[32, 32, 3]] }),
      num_classes: integer('The class count you expect; dlc checks it against the data set.', { minimum: 2, examples: [10] }),
      validation_split: number('Fraction of the training set held out for validation.', { minimum: 0, maximum: 0.9, default: D.validation_split }),
      batch_size: integer('Samples per training step.', { minimum: 1, maximum: 65536, default: D.batch_size, examples: [64, 128] }),
      train_limit: integer('Use at most this many training samples (quick runs).', { minimum: 1, examples: [1000] }),
      test_limit: integer('Use at most this many test samples.', { minimum: 1, examples: [200] }),
      transforms: object(
        { train: transformList('to training batches'), eval: transformList('to validation and test batches (and at predict time)') },
        'Pre-processing and augmentation. Put augmentation (random_*) in `train` only; put `normalize` in both.',
      ),
    },
    'Where the data comes from and how it is batched and transformed.',
    { required: ['dataset'] },
  );
}

const O = DEFAULTS.optimizer;
const lr = (d: number) => number('Learning rate (the base rate the schedule scales).', { exclusiveMinimum: 0, default: d, examples: [d] });
const eps = (d: number) => number('Numerical-stability constant.', { exclusiveMinimum: 0, default: d });
const optCommon = (wd: number): Record<string, Schema> => ({
  weight_decay: number('L2 weight decay (adamw: decoupled).', { minimum: 0, default: wd, examples: [0.0005] }),
  clip_norm: number('Clip each gradient to this L2 norm.', { exclusiveMinimum: 0, examples: [1] }),
  clip_value: number('Clip each gradient element to [−value, value].', { exclusiveMinimum: 0, examples: [0.5] }),
});
const beta = (d: number, what: string) => number(`Decay rate of the ${what} moment estimate.`, { minimum: 0, maximum: 1, default: d });

export const OPTIMIZER_KINDS: Record<string, KindDef> = {
  sgd: {
    description: 'Stochastic gradient descent, optionally with (Nesterov) momentum.',
    attrs: {
      learning_rate: lr(O.sgd.learning_rate),
      momentum: number('Momentum factor.', { minimum: 0, maximum: 1, default: O.sgd.momentum, examples: [0.9] }),
      nesterov: boolean('Use Nesterov momentum.', { default: O.sgd.nesterov }),
      ...optCommon(O.common.weight_decay),
    },
  },
  adam: {
    description: 'Adam (Kingma & Ba).',
    attrs: { learning_rate: lr(O.adam.learning_rate), beta1: beta(O.adam.beta1, 'first'), beta2: beta(O.adam.beta2, 'second'), epsilon: eps(O.adam.epsilon), ...optCommon(O.common.weight_decay) },
  },
  adamw: {
    description: 'Adam with decoupled weight decay (Loshchilov & Hutter).',
    attrs: { learning_rate: lr(O.adamw.learning_rate), beta1: beta(O.adamw.beta1, 'first'), beta2: beta(O.adamw.beta2, 'second'), epsilon: eps(O.adamw.epsilon), ...optCommon(O.adamw.weight_decay) },
  },
  rmsprop: {
    description: 'RMSprop.',
    attrs: {
      learning_rate: lr(O.rmsprop.learning_rate),
      rho: number('Decay rate of the squared-gradient average.', { minimum: 0, maximum: 1, default: O.rmsprop.rho }),
      momentum: number('Momentum factor.', { minimum: 0, maximum: 1, default: O.rmsprop.momentum }),
      epsilon: eps(O.rmsprop.epsilon),
      ...optCommon(O.common.weight_decay),
    },
  },
  adagrad: {
    description: 'Adagrad.',
    attrs: {
      learning_rate: lr(O.adagrad.learning_rate),
      initial_accumulator_value: number('Starting value of the accumulators.', { minimum: 0, default: O.adagrad.initial_accumulator_value }),
      epsilon: eps(O.adagrad.epsilon),
      ...optCommon(O.common.weight_decay),
    },
  },
};

const S = DEFAULTS.schedule;
const warmup = () => number('Epochs of linear warm-up from 0 to the base learning rate.', { minimum: 0, default: S.common.warmup_epochs, examples: [1] });
const gamma = (d?: number) => number('Multiplicative decay factor.', { exclusiveMinimum: 0, maximum: 1, ...(d === undefined ? {} : { default: d }), examples: [0.1] });

export const SCHEDULE_KINDS: Record<string, KindDef> = {
  constant: { description: 'The optimizer learning rate throughout.', attrs: { warmup_epochs: warmup() } },
  step: {
    description: 'Multiply the rate by gamma every step_size epochs.',
    attrs: { step_size: integer('Epochs between decays.', { minimum: 1, examples: [10] }), gamma: gamma(S.step.gamma), warmup_epochs: warmup() },
    required: ['step_size'],
  },
  multi_step: {
    description: 'Multiply the rate by gamma at each milestone epoch.',
    attrs: {
      milestones: array({ type: 'integer', minimum: 1 }, 'Epochs at which to decay, increasing.', { minItems: 1, examples: [[30, 60]] }),
      gamma: gamma(S.multi_step.gamma),
      warmup_epochs: warmup(),
    },
    required: ['milestones'],
  },
  exponential: { description: 'Multiply the rate by gamma every epoch.', attrs: { gamma: gamma(), warmup_epochs: warmup() }, required: ['gamma'] },
  cosine: {
    description: 'Cosine annealing from the base rate to min_lr over the training run.',
    attrs: { min_lr: number('Final learning rate.', { minimum: 0, default: S.cosine.min_lr }), warmup_epochs: warmup() },
  },
  one_cycle: {
    description: 'One-cycle policy (Smith): warm up to max_lr, then anneal far below the start.',
    attrs: {
      max_lr: number('Peak learning rate.', { exclusiveMinimum: 0, examples: [0.1] }),
      pct_start: number('Fraction of the run spent increasing the rate.', { exclusiveMinimum: 0, maximum: 1, default: S.one_cycle.pct_start }),
      div_factor: number('Initial rate = max_lr / div_factor.', { exclusiveMinimum: 0, default: S.one_cycle.div_factor }),
      final_div_factor: number('Final rate = initial rate / final_div_factor.', { exclusiveMinimum: 0, default: S.one_cycle.final_div_factor }),
    },
    required: ['max_lr'],
  },
  reduce_on_plateau: {
    description: 'Multiply the rate by factor when the monitored value stops improving for patience epochs.',
    attrs: {
      monitor: enumOf(MONITORS, 'The value watched.', { default: S.reduce_on_plateau.monitor }),
      factor: number('Multiplier applied on a plateau.', { exclusiveMinimum: 0, maximum: 1, default: S.reduce_on_plateau.factor }),
      patience: integer('Epochs without improvement before reducing.', { minimum: 0, default: S.reduce_on_plateau.patience }),
      min_lr: number('Lower bound of the rate.', { minimum: 0, default: S.reduce_on_plateau.min_lr }),
      warmup_epochs: warmup(),
    },
  },
};

const LS = DEFAULTS.loss;
const smoothing = () => number('Label smoothing: targets become (1 − ε)·onehot + ε/classes.', { minimum: 0, maximum: 1, default: 0, examples: [0.1] });
export const LOSS_KINDS: Record<string, KindDef> = {
  cross_entropy: { description: 'Softmax cross-entropy on the logits (PyTorch `CrossEntropyLoss`): the last layer must be linear.', attrs: { label_smoothing: smoothing() } },
  binary_cross_entropy: { description: 'Sigmoid binary cross-entropy per class on the logits.', attrs: { label_smoothing: smoothing() } },
  mse: { description: 'Mean squared error against one-hot targets.', attrs: {} },
  huber: { description: 'Huber loss against one-hot targets.', attrs: { delta: number('Where the loss turns from quadratic to linear.', { exclusiveMinimum: 0, default: LS.huber.delta }) } },
};

export const METRIC_KINDS: Record<string, KindDef> = {
  accuracy: { description: 'Fraction of samples classified correctly.', attrs: {} },
  precision: { description: 'Macro-averaged precision.', attrs: {} },
  recall: { description: 'Macro-averaged recall.', attrs: {} },
  f1: { description: 'Macro-averaged F1 score.', attrs: {} },
  confusion_matrix: { description: 'Confusion matrix (rows: true class, columns: predicted).', attrs: {} },
  top_k_accuracy: {
    description: 'Fraction of samples whose true class is among the k highest scores.',
    attrs: { k: integer('How many top classes count.', { minimum: 1, default: DEFAULTS.metric.top_k_accuracy.k, examples: [5] }) },
    shorthand: integer('Shorthand for `{k: …}`.', { minimum: 1, examples: [5] }),
  },
};

export function trainSchema(): Schema {
  const TR = DEFAULTS.train;
  return object(
    {
      epochs: integer('Passes over the training set.', { minimum: 1, maximum: 100000, default: TR.epochs, examples: [10] }),
      early_stopping: object(
        {
          monitor: enumOf(MONITORS, 'The value watched.', { default: TR.early_stopping.monitor }),
          patience: integer('Epochs without improvement before stopping.', { minimum: 0, default: TR.early_stopping.patience }),
          min_delta: number('Smallest change that counts as an improvement.', { minimum: 0, default: TR.early_stopping.min_delta }),
        },
        'Stop when the monitored value stops improving. Absent: train all epochs.',
        { nullable: true },
      ),
      checkpoint: object(
        {
          every_epochs: integer('Save the weights every this many epochs.', { minimum: 1, default: TR.checkpoint.every_epochs }),
          keep_best: boolean('Also keep the weights of the best epoch (by monitor).', { default: TR.checkpoint.keep_best }),
          monitor: enumOf(MONITORS, 'The value that decides the best epoch.', { default: TR.checkpoint.monitor }),
        },
        'Checkpointing in the run directory.',
      ),
    },
    'Training loop settings.',
  );
}
