/**
 * Schemas of the spec's data and train sections. The loss, optimizer,
 * schedule, metric and transform unions are built from their declarations
 * (compiler/kinds/, `kindUnion`) in build.ts.
 */
import { DATASET_NAMES, datasetKeySchemas } from '../../datasets/index.js';
import { MONITORS } from '../../kinds/monitors.js';
import { DEFAULTS } from './defaults.js';
import { array, boolean, describe, enumOf, integer, number, object, string, type Schema } from './helpers.js';

/** The data-set names, from the data-set registry (compiler/datasets/). */
export const DATASETS: readonly string[] = DATASET_NAMES;
export { MONITORS };

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
      ...datasetKeySchemas(),
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
          monitor: enumOf(MONITORS, 'The value that decides the best epoch. Default: val_accuracy for class and multi-label targets, val_loss for real-valued (regression, forecasting) targets.'),
        },
        'Checkpointing in the run directory.',
      ),
    },
    'Training loop settings.',
  );
}
