/**
 * The intermediate representation: one node type for every op, in
 * topological order. Produced by `lower` and then annotated/checked by the
 * passes; read by the runtime (model builder) and codegen.
 */
import type { JsonPointer, LayerSpec, Spec } from './spec.js';

/** Where an IR node came from in the spec. */
export interface SourceRef {
  readonly file: string;
  readonly path: JsonPointer;
  readonly line: number;
  readonly col: number;
}

/** Every op the IR knows: the input plus every layer kind. */
export type Op = 'input' | LayerSpec['kind'];

/** The attributes of one layer kind (without the common keys). */
export type AttrsOf<K extends LayerSpec['kind']> = Omit<Extract<LayerSpec, { kind: K }>, 'kind' | 'name' | 'inputs' | 'path' | 'in_channels' | 'in_features' | 'expect_shape'>;

export interface IRNode {
  /** Unique, stable, a valid identifier after replacing '.' (e.g. "conv2d_1", "stage1.0.conv_a"). */
  readonly id: string;
  readonly op: Op;
  /** Fully resolved attributes (defaults filled); for 'input' it is {shape: [h, w, c]} (= IR.inputShape). Typed views: ir-attrs.ts. */
  readonly attrs: Readonly<Record<string, unknown>>;
  /** Ids of the nodes this one reads, in order. */
  readonly inputs: readonly string[];
  /** Output shape per sample, without the batch axis: [H, W, C] or [F]. */
  readonly shape: readonly number[];
  /** Parameter counts as Keras counts them (batch-norm moving stats are non-trainable). */
  readonly params: { readonly trainable: number; readonly nonTrainable: number };
  /** Multiply-adds per sample. */
  readonly macs: number;
  /** True when the user named this node (unnamed ones get "<kind>_<n>"). */
  readonly named: boolean;
  readonly source: SourceRef;
  /**
   * How the node is built: tfjs layer calls in order, as data (the op's
   * `build` in compiler/ops/). The runtime interprets them, codegen prints
   * them. The first call reads the node's inputs, each later call the one
   * before it. The input node has one call, `input`.
   */
  readonly layers: readonly LayerCall[];
}

/**
 * A seed for one random draw, already derived from the spec seed
 * (ir-attrs.ts `deriveSeed(specSeed, ...seedKey)`). `seedKey` lets a builder
 * given another spec seed derive the matching one.
 */
export interface SeedRecipe {
  readonly seed: number;
  readonly seedKey: readonly (string | number)[];
}

/**
 * A seeded initializer: `tf.initializers[init]({ seed })`; `randomUniform`
 * draws from [−limit, limit] (`{ minval: -limit, maxval: limit, seed }`),
 * PyTorch's default conv/dense initialisation (ops/recipe.ts).
 */
export interface InitializerRecipe extends SeedRecipe {
  readonly init: 'glorotUniform' | 'orthogonal' | 'randomUniform' | 'randomNormal';
  /** randomUniform: uniform(±limit). */
  readonly limit?: number;
  /** randomNormal: normal(0, stddev) (PyTorch's nn.Embedding: 1). */
  readonly stddev?: number;
}

/** An argument value of a layer call: plain data, or a seed / seeded initializer. */
export type RecipeArg = number | string | boolean | readonly RecipeArg[] | SeedRecipe | InitializerRecipe | NestedLayerRecipe;

/** A layer passed as an argument of another (`bidirectional`'s wrapped RNN): `tf.layers[layer](args)`. */
export interface NestedLayerRecipe {
  readonly layer: string;
  readonly args: Readonly<Record<string, RecipeArg>>;
}

/** One tfjs layer call: `tf.layers[layer](args)` (or `tf.input(args)` for the input node). */
export interface LayerCall {
  /** The tf.layers factory, e.g. 'conv2d', 'zeroPadding2d', 'leakyReLU'. */
  readonly layer: string;
  /**
   * Its role in the node: the node's own layer, zero padding before it, a
   * separate activation after it, or a shape-only layer after it (a global
   * pool's keepdims reshape).
   */
  readonly part: 'main' | 'pad' | 'act' | 'post';
  /** The factory's config, tfjs spelling (camelCase), `name` included; tfjs defaults are left out. */
  readonly args: Readonly<Record<string, RecipeArg>>;
}

export interface IR {
  readonly file: string;
  /** The normalised spec the graph was lowered from. */
  readonly spec: Spec;
  /** Topologically ordered; nodes[0] is the input node. */
  readonly nodes: readonly IRNode[];
  /** The main output: the model's only output, or the first of `outputs`. */
  readonly outputId: string;
  /**
   * Every output, main first, with the weight of its loss; present only when
   * the spec lists `model.outputs` (absent: one output, `outputId`, weight 1).
   * Read it through ir-attrs.ts `modelOutputs(ir)`.
   */
  readonly outputs?: readonly IROutput[];
  /**
   * Shape of one sample the model reads, without the batch axis: images
   * [h, w, c], sequences [t] or [t, f], feature vectors [f].
   */
  readonly inputShape: readonly number[];
  /** Input dtype; absent means float32 (int32: token ids). */
  readonly inputDType?: 'float32' | 'int32';
  /** The model's output width: the class count for class targets, else the target width. */
  readonly numClasses: number;
  readonly classNames?: readonly string[];
  /**
   * What a sample's target is; absent means a class index over numClasses.
   * Multi-label (0/1 vector) and real-valued targets give their width.
   */
  readonly target?: { readonly kind: 'class' | 'multi_label' | 'real'; readonly width: number };
}

/** One output of a model with several (auxiliary heads). */
export interface IROutput {
  readonly id: string;
  readonly lossWeight: number;
}
