/**
 * Builds the spec's JSON Schema (draft-07). `schema/dlc.schema.json` is this
 * object, checked in (test/compiler/schema.test.ts checks it is current;
 * `DLC_UPDATE_SCHEMA=1 npx vitest run test/compiler/schema.test.ts` rewrites it).
 */
import { DEFAULTS } from './defaults.js';
import { anyOf, array, object, string, integer, number, describe, enumOf, type Schema } from './helpers.js';
import { CONVENTIONS, DEFAULT_CONVENTIONS } from '../conventions.js';
import { commonLayerDefinitions, layerItemSchema, LAYER_NAME_PATTERN } from './layers.js';
import { anyFamily, DEFAULT_LOSS, DEFAULT_METRICS, DEFAULT_OPTIMIZER, DEFAULT_SCHEDULE, kindUnion, LOSSES, METRICS, OPTIMIZERS, SCHEDULES, TRANSFORMS } from '../../kinds/index.js';
import { sweepSchema } from './sweep.js';
import { dataSchema, trainSchema } from './sections.js';

export const SCHEMA_ID = 'https://dlc.dev/schema/dlc.schema.json';
export const SPEC_NAME_PATTERN = '^[a-z0-9][a-z0-9_-]*$';
export const BLOCK_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';

function modelSchema(): Schema {
  const block = object(
    {
      params: describe(
        { type: 'object', propertyNames: { pattern: BLOCK_NAME_PATTERN }, additionalProperties: { type: ['number', 'string', 'boolean', 'array'] } },
        'Parameters of the block with their default values; layers refer to them as `$name`.',
        { examples: [{ filters: 16, stride: 1 }] },
      ),
      layers: array({ $ref: '#/definitions/block_layer' }, 'The layers of one copy of the block. Inside a block, `input` names the block input.', {
        minItems: 1,
        examples: [[{ conv2d: { filters: '$filters', kernel_size: 3, padding: 'same' } }, { batch_norm: { name: 'bn' } }, { add: ['bn', 'input'] }, 'relu']],
      }),
    },
    'A reusable, parameterised group of layers.',
    { required: ['layers'] },
  );
  return object(
    {
      output: string('Name of the output node. Default: the last layer.', { pattern: LAYER_NAME_PATTERN, examples: ['logits'] }),
      outputs: array(
        object(
          {
            layer: string('Name of an output layer.', { pattern: LAYER_NAME_PATTERN, examples: ['logits', 'aux1'] }),
            loss_weight: number('Weight of this output\'s loss in the training loss (the sum over outputs of weight × loss).', { minimum: 0, default: 1, examples: [0.3] }),
          },
          'One output of the model and the weight of its loss.',
          { required: ['layer'] },
        ),
        'Several outputs (auxiliary heads), instead of `output`: the first is the main output (metrics, evaluation, prediction); every output is trained against the data set\'s target and the training loss is the sum of weight × loss.',
        { minItems: 1, examples: [[{ layer: 'logits' }, { layer: 'aux1', loss_weight: 0.3 }, { layer: 'aux2', loss_weight: 0.3 }]] },
      ),
      blocks: describe({ type: 'object', propertyNames: { pattern: BLOCK_NAME_PATTERN }, additionalProperties: block }, 'Reusable blocks, used by `- block: {use: name, repeat: n, with: {…}}`.', {
        examples: [{ basic: { params: { filters: 16 }, layers: [{ conv2d: { filters: '$filters', kernel_size: 3, padding: 'same' } }, 'relu'] } }],
      }),
      layers: array({ $ref: '#/definitions/layer' }, 'The layers, in order. Each reads the previous one unless it names its `inputs`.', {
        minItems: 1,
        examples: [[{ conv2d: { filters: 32, kernel_size: 3, padding: 'same', activation: 'relu' } }, { max_pool2d: 2 }, 'flatten', { dense: { units: 10 } }]],
      }),
    },
    'The network. Its input shape and class count come from the data set.',
    { required: ['layers'] },
  );
}

/** The whole schema. */
export function buildSchema(): Schema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'dlc experiment spec',
    description: 'A dlc experiment: data, model, loss, optimizer, schedule, training and metrics in one YAML file.',
    type: 'object',
    properties: {
      name: string('Name of the experiment (used for run directories and emitted projects).', { pattern: SPEC_NAME_PATTERN, examples: ['cifar-convnet'] }),
      description: string('What this experiment is for.', { examples: ['A small ConvNet for CIFAR-10 with crop/flip augmentation.'] }),
      seed: integer('Random seed for weight initialisation, shuffling and augmentation.', { minimum: 0, maximum: 4294967295, default: DEFAULTS.seed }),
      conventions: enumOf(CONVENTIONS, 'Whose defaults apply where PyTorch and Keras differ: initial weights, batch/layer-norm epsilon and momentum, the leaky_relu layer\'s slope, optimizer epsilons and RMSprop/Adagrad defaults. Values the spec states win.', {
        default: DEFAULT_CONVENTIONS,
      }),
      extends: anyOf(
        [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }],
        'A base spec (path relative to this file), or a list of them merged in order, that this one overrides: mappings are merged deeply; lists and scalars are replaced; an optimizer, schedule or loss naming another kind replaces the base\'s.',
        { examples: ['base.yaml', ['base.yaml', 'cifar-data.yaml']] },
      ),
      data: dataSchema(),
      model: modelSchema(),
      loss: kindUnion(anyFamily(LOSSES), 'The loss: `cross_entropy`, `{cross_entropy: {label_smoothing: 0.1}}`, …', { default: DEFAULT_LOSS }),
      optimizer: kindUnion(anyFamily(OPTIMIZERS), 'The optimizer, e.g. `{sgd: {learning_rate: 0.01, momentum: 0.9}}` or `adam`.', { default: DEFAULT_OPTIMIZER }),
      schedule: kindUnion(anyFamily(SCHEDULES), 'Learning-rate schedule, e.g. `cosine` or `{step: {step_size: 10}}`.', { default: DEFAULT_SCHEDULE }),
      train: trainSchema(),
      metrics: array({ $ref: '#/definitions/metric' }, 'Metrics reported on the validation and test sets.', { default: [...DEFAULT_METRICS], examples: [['accuracy', 'f1']] }),
      sweep: sweepSchema(),
    },
    required: ['name', 'data', 'model'],
    additionalProperties: false,
    definitions: {
      layer: layerItemSchema(false),
      block_layer: layerItemSchema(true),
      transform: kindUnion(anyFamily(TRANSFORMS), 'A transform: one key, the transform kind (`- random_flip: horizontal`).'),
      metric: kindUnion(anyFamily(METRICS), 'A metric name, or `{top_k_accuracy: 5}`.'),
      ...commonLayerDefinitions(),
    },
  };
}
