/**
 * Schemas of the model's layers: one entry per layer kind, each a list item
 * with exactly one key (the kind). Kinds without required attributes may be
 * written as a bare string (`- flatten`); some take a scalar shorthand
 * (`- max_pool2d: 2`, `- dropout: 0.5`, `- add: [a, b]`).
 */
import { DEFAULTS } from './defaults.js';
import { array, integer, kindExamples, object, paramable, shorthandOr, string, enumOf, type Schema } from './helpers.js';
import { activationDefinition } from '../../ops/activations.js';
import { OPS } from '../../ops/index.js';
import { LAYER_NAME_PATTERN } from '../../ops/names.js';

export { ACTIVATIONS } from '../../ops/activations.js';
export { LAYER_NAME_PATTERN } from '../../ops/names.js';

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
    init: { $ref: '#/definitions/layer_init' },
  };
}

/** The definitions `commonLayerProps` refers to (plus `activation`). */
export function commonLayerDefinitions(): Record<string, Schema> {
  return {
    activation: activationDefinition(),
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
    layer_init: enumOf(['pytorch', 'keras'], "This layer's initial weights: `pytorch` (kernel and bias uniform(±1/√fan_in)) or `keras` (Glorot-uniform kernel, zero bias). Default: the spec's `conventions`.", {
      examples: ['keras'],
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

/** Every layer kind except `block` (added by `layerItemSchema`), from the op registry. */
export const LAYER_KINDS: Record<string, KindDef> = Object.fromEntries(
  Object.values(OPS).map((def) => [
    def.kind,
    { description: def.description, attrs: { ...def.attrs }, ...(def.required ? { required: def.required } : {}), ...(def.shorthand ? { shorthand: def.shorthand.schema } : {}) },
  ]),
);

const BLOCK_KIND: KindDef = {
  description: 'Uses a reusable block from `model.blocks`, optionally repeated. Copy i of block `stage1` names its layers `stage1.<i>.<layer name>`.',
  attrs: {
    use: string('Name of the block in `model.blocks`.', { examples: ['basic'] }),
    repeat: integer('How many copies to chain one after the other.', { minimum: 1, default: DEFAULTS.layer.block.repeat, examples: [3] }),
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
  // Blocks nest: a block's layers may use another block (front/blocks.ts reports cycles, DLC023).
  const kinds: Record<string, KindDef> = { ...LAYER_KINDS, block: BLOCK_KIND };
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
