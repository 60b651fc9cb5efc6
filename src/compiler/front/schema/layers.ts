/**
 * Schemas of the model's layers: one entry per layer kind, each a list item
 * with exactly one key (the kind). Kinds without required attributes may be
 * written as a bare string (`- flatten`); some take a scalar shorthand
 * (`- max_pool2d: 2`, `- dropout: 0.5`, `- add: [a, b]`).
 */
import { DEFAULTS } from './defaults.js';
import { anyOf, array, boolean, enumOf, integer, kindExamples, number, object, pair, paramable, shorthandOr, string, type Schema } from './helpers.js';

export const ACTIVATIONS = ['linear', 'relu', 'leaky_relu', 'elu', 'gelu', 'sigmoid', 'tanh', 'softmax'] as const;

/** Layer names: identifiers, dots allowed (scoped names of expanded blocks). */
export const LAYER_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_.]*$';

const L = DEFAULTS.layer;

const activationSchema = () =>
  enumOf(ACTIVATIONS, 'Activation applied to the output. Use `linear` on the logits: the cross-entropy loss applies softmax itself.', { default: 'linear' });
// Every layer's activation defaults to linear; the definition carries that default.
const activation = (_d: string): Schema => ({ $ref: '#/definitions/activation' });
const padding = (d: string) =>
  anyOf(
    [
      { type: 'string', enum: ['same', 'valid'], description: '`same`: output size = ceil(input / stride); `valid`: no padding.' },
      { type: 'integer', minimum: 0, description: 'Explicit zero padding on every side (PyTorch style).' },
    ],
    'Padding: `same`, `valid` or an explicit number of pixels.',
    { default: d, examples: ['same', 'valid', 1] },
  );
const useBias = () => boolean('Whether the layer adds a learned bias.', { default: true });
const strides = () => pair('Stride: an integer or [height, width].', { default: 1, examples: [1, 2, [2, 1]] });
const dilation = () => pair('Dilation rate of the kernel.', { default: 1 });
const kernel = () => pair('Kernel size: an integer or [height, width].', { examples: [3, 5, [3, 1]] });

/**
 * Keys every layer accepts besides its own attributes: references to
 * `definitions` (written once, so the schema stays small and fast to compile).
 */
export function commonLayerProps(): Record<string, Schema> {
  return {
    name: { $ref: '#/definitions/layer_name' },
    inputs: { $ref: '#/definitions/layer_inputs' },
    in_channels: { $ref: '#/definitions/in_channels' },
    in_features: { $ref: '#/definitions/in_features' },
    expect_shape: { $ref: '#/definitions/expect_shape' },
  };
}

/** The definitions `commonLayerProps` refers to (plus `activation`). */
export function commonLayerDefinitions(): Record<string, Schema> {
  return {
    activation: activationSchema(),
    ...commonLayerSchemas(),
  };
}

function commonLayerSchemas(): Record<string, Schema> {
  return {
    layer_name: string('Name of this node, so other layers can read it through `inputs` (and `add`/`concat`). Unnamed layers are named `<kind>_<n>`.', {
      pattern: LAYER_NAME_PATTERN,
      examples: ['conv1', 'skip'],
    }),
    layer_inputs: array(string('Name of a layer, or `input` for the model input.', { pattern: LAYER_NAME_PATTERN }), 'The layers this one reads (a DAG). Default: the previous layer.', {
      minItems: 1,
      examples: [['conv1'], ['input']],
    }),
    in_channels: integer('Channels this layer expects at its input; dlc checks it against the inferred shape (useful when transcribing a PyTorch model).', { minimum: 1, examples: [3] }),
    in_features: integer('Features this layer expects at its input (like PyTorch `nn.Linear(in_features, …)`); checked against the inferred shape.', {
      minimum: 1,
      examples: [4096],
    }),
    expect_shape: array({ type: 'integer', minimum: 1 }, 'Shape this layer expects at its input, without the batch axis ([H, W, C] or [F]); checked against the inferred shape.', {
      minItems: 1,
      maxItems: 3,
      examples: [[32, 32, 3]],
    }),
  };
}

interface KindDef {
  readonly description: string;
  /** Own attributes (without the common keys). */
  readonly attrs: Record<string, Schema>;
  readonly required?: readonly string[];
  /** Scalar/list shorthand forms of the value, each mapping to one attribute. */
  readonly shorthand?: Schema;
}

const conv = (withFilters: boolean, depthMultiplier: boolean, defs: Record<string, unknown>): Record<string, Schema> => {
  const a: Record<string, Schema> = {};
  if (withFilters) a.filters = integer('Number of output channels (filters).', { minimum: 1, examples: [32, 64] });
  a.kernel_size = kernel();
  a.strides = strides();
  a.padding = padding(String(defs.padding));
  if (depthMultiplier) a.depth_multiplier = integer('Output channels per input channel of the depthwise step.', { minimum: 1, default: 1 });
  a.dilation_rate = dilation();
  a.activation = activation(String(defs.activation));
  a.use_bias = useBias();
  return a;
};

const pool = (what: string): KindDef => ({
  description: `${what} pooling over 2-D windows.`,
  attrs: {
    pool_size: pair('Window size: an integer or [height, width].', { examples: [2, 3] }),
    strides: pair('Stride of the window. Default: the pool size.', { examples: [2] }),
    padding: enumOf(['same', 'valid'], 'Padding: `valid` drops the border that does not fill a window; `same` pads.', { default: L.max_pool2d.padding }),
  },
  required: ['pool_size'],
  shorthand: pair('Shorthand for `{pool_size: …}`.', { examples: [2] }),
});

const noAttrs = (description: string): KindDef => ({ description, attrs: {} });

/** Every layer kind except `block` (blocks may not nest). */
export const LAYER_KINDS: Record<string, KindDef> = {
  conv2d: {
    description: '2-D convolution (like Keras `Conv2D`, PyTorch `nn.Conv2d`).',
    attrs: conv(true, false, L.conv2d),
    required: ['filters', 'kernel_size'],
  },
  depthwise_conv2d: {
    description: 'Depthwise 2-D convolution: one filter (or `depth_multiplier` filters) per input channel.',
    attrs: conv(false, true, L.depthwise_conv2d),
    required: ['kernel_size'],
  },
  separable_conv2d: {
    description: 'Depthwise-separable 2-D convolution: a depthwise step, then a 1×1 pointwise convolution to `filters` channels.',
    attrs: conv(true, true, L.separable_conv2d),
    required: ['filters', 'kernel_size'],
  },
  max_pool2d: pool('Max'),
  avg_pool2d: pool('Average'),
  global_avg_pool2d: noAttrs('Average over height and width: [H, W, C] → [C].'),
  global_max_pool2d: noAttrs('Maximum over height and width: [H, W, C] → [C].'),
  dense: {
    description: 'Fully connected layer (Keras `Dense`, PyTorch `nn.Linear`).',
    attrs: {
      units: integer('Number of output features. The last layer needs one per class.', { minimum: 1, examples: [128, 10] }),
      activation: activation(L.dense.activation),
      use_bias: useBias(),
    },
    required: ['units'],
  },
  flatten: noAttrs('Flattens [H, W, C] to [H·W·C].'),
  reshape: {
    description: 'Reshapes the input (without the batch axis); the element count must not change.',
    attrs: { target_shape: array({ type: 'integer', minimum: 1 }, 'The new shape, without the batch axis.', { minItems: 1, maxItems: 3, examples: [[7, 7, 64]] }) },
    required: ['target_shape'],
  },
  dropout: {
    description: 'Randomly zeroes a fraction of the inputs during training.',
    attrs: { rate: number('Fraction of inputs to drop.', { minimum: 0, maximum: 1, examples: [0.5, 0.25] }) },
    required: ['rate'],
    shorthand: number('Shorthand for `{rate: …}`.', { minimum: 0, maximum: 1, examples: [0.5] }),
  },
  batch_norm: {
    description: 'Batch normalisation over the channel axis.',
    attrs: {
      momentum: number('Momentum of the moving mean and variance (Keras convention: PyTorch momentum 0.1 is 0.9 here).', { minimum: 0, maximum: 1, default: L.batch_norm.momentum }),
      epsilon: number('Added to the variance for numerical stability.', { exclusiveMinimum: 0, default: L.batch_norm.epsilon }),
    },
  },
  layer_norm: {
    description: 'Layer normalisation over the last axis.',
    attrs: { epsilon: number('Added to the variance for numerical stability.', { exclusiveMinimum: 0, default: L.layer_norm.epsilon }) },
  },
  relu: noAttrs('ReLU activation: max(x, 0).'),
  leaky_relu: {
    description: 'Leaky ReLU: x if x > 0, else alpha·x.',
    attrs: { alpha: number('Slope for negative inputs.', { minimum: 0, default: L.leaky_relu.alpha }) },
  },
  elu: noAttrs('ELU activation.'),
  gelu: noAttrs('GELU activation.'),
  sigmoid: noAttrs('Logistic sigmoid activation.'),
  tanh: noAttrs('Hyperbolic tangent activation.'),
  softmax: noAttrs('Softmax over the last axis. Not needed before a cross-entropy loss, which applies it itself.'),
  add: {
    description: 'Element-wise sum of its inputs (residual connections). `add: [a, b]` is shorthand for `{inputs: [a, b]}`.',
    attrs: {},
    shorthand: array({ type: 'string', pattern: LAYER_NAME_PATTERN }, 'The layers to add (shorthand for `{inputs: […]}`).', { minItems: 1, examples: [['bn2', 'input']] }),
  },
  concat: {
    description: 'Concatenates its inputs along an axis. `concat: [a, b]` is shorthand for `{inputs: [a, b]}`.',
    attrs: { axis: integer('Axis to concatenate along (-1: channels).', { default: L.concat.axis }) },
    shorthand: array({ type: 'string', pattern: LAYER_NAME_PATTERN }, 'The layers to concatenate (shorthand for `{inputs: […]}`).', { minItems: 1, examples: [['a', 'b']] }),
  },
};

const BLOCK_KIND: KindDef = {
  description: 'Uses a reusable block from `model.blocks`, optionally repeated. Copy i of block `stage1` names its layers `stage1.<i>.<layer name>`.',
  attrs: {
    use: string('Name of the block in `model.blocks`.', { examples: ['basic'] }),
    repeat: integer('How many copies to chain one after the other.', { minimum: 1, default: L.block.repeat, examples: [3] }),
    with: describe0({ type: 'object', additionalProperties: { type: ['number', 'string', 'boolean', 'array'] } }, 'Values for the block parameters (over their defaults in `params`).', [{ filters: 32, stride: 2 }]),
  },
  required: ['use'],
};

function describe0(s: Schema, description: string, examples: unknown[]): Schema {
  return { ...s, description, markdownDescription: description, examples };
}

/** Kinds without required attributes: these may be written as bare strings. */
export function bareKinds(kinds: Record<string, KindDef>): string[] {
  return Object.entries(kinds)
    .filter(([, k]) => !k.required?.length)
    .map(([name]) => name);
}

function kindBranch(name: string, def: KindDef, inBlock: boolean): Schema {
  const attrs = object({ ...def.attrs, ...commonLayerProps() }, def.description, { required: def.required, nullable: !def.required?.length });
  let value: Schema = shorthandOr(def.shorthand, attrs, def.description, kindExamples(def.attrs, def.required, def.shorthand));
  if (inBlock) value = paramable(value);
  return { type: 'object', description: def.description, markdownDescription: def.description, properties: { [name]: value }, required: [name], additionalProperties: false };
}

/** The list-item schema of `model.layers` (inBlock false) or of a block's `layers` (true: `$param` allowed). */
export function layerItemSchema(inBlock: boolean): Schema {
  const kinds: Record<string, KindDef> = inBlock ? LAYER_KINDS : { ...LAYER_KINDS, block: BLOCK_KIND };
  const branches: Schema[] = [
    enumOf(bareKinds(kinds), 'A layer kind without attributes, e.g. `- flatten` or `- relu`.'),
    ...Object.entries(kinds).map(([name, def]) => kindBranch(name, def, inBlock)),
  ];
  const description = inBlock
    ? 'A layer of the block: one key, the layer kind. Attributes may be block parameters (`$filters`); inside a block, `input` names the block input.'
    : 'A layer: one key, the layer kind (`- conv2d: {filters: 32, kernel_size: 3}`), or a bare kind (`- flatten`).';
  return { anyOf: branches, description, markdownDescription: description };
}

/** All layer kind names (for did-you-mean and docs). */
export const ALL_LAYER_KINDS: readonly string[] = [...Object.keys(LAYER_KINDS), 'block'];
