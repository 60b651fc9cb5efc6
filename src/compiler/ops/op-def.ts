/**
 * The definition of one layer kind (an "op"): everything dlc knows about it,
 * in one module under src/compiler/ops/. The rest of dlc reads these through
 * the registry (index.ts):
 *
 * - the JSON Schema branch of the kind (front/schema/layers.ts) from `attrs`,
 *   `required`, `shorthand` and `description`;
 * - the defaults normalize fills in (`defaults`) and the normalisation itself;
 * - shape, parameter and multiply-add inference (`infer`, like Keras's
 *   `compute_output_shape` + `count_params`);
 * - how the kind is built, as data (`build` → a recipe of tfjs layer calls)
 *   that the runtime interprets and the TypeScript emitter prints.
 *
 * The kind's attribute *type* is declared in the same module by augmenting
 * `LayerAttrMap` in spec.ts, so the registry's type (`OPS` in index.ts) fails
 * to compile when a kind lacks either half.
 */
import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { Schema } from '../front/schema/helpers.js';
import type { InitializerRecipe, LayerCall, RecipeArg, SeedRecipe } from '../ir.js';
import type { LayerAttrMap } from '../spec.js';

/** A per-sample tensor shape (no batch axis): [H, W, C] or [F] (reshape may make others). */
export type Shape = readonly number[];

/** What inference says about one node. */
export interface OpFacts {
  readonly shape: Shape;
  readonly params: { readonly trainable: number; readonly nonTrainable: number };
  /** Multiply-adds per sample (weighted ops only: convolutions and dense layers). */
  readonly macs: number;
}

/** Why an op cannot apply to its inputs; lowering turns it into a diagnostic. */
export interface ShapeError {
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly hint?: string;
  /** The layer's attribute the problem is best pointed at (else the layer itself). */
  readonly key?: string;
}

/** Thrown by `OpDef.infer`; `inferOp` turns it into an InferResult. */
export class ShapeFailure extends Error {
  constructor(readonly error: ShapeError) {
    super(error.message);
  }
}

/** Throws the ShapeFailure for `code` (optionally pointed at attribute `key`). */
export function fail(code: DiagnosticCode, message: string, hint?: string, key?: string): never {
  throw new ShapeFailure({ code, message, ...(hint ? { hint } : {}), ...(key ? { key } : {}) });
}

/** OpFacts from a shape and counts. */
export function facts(shape: Shape, trainable = 0, nonTrainable = 0, macs = 0): OpFacts {
  return { shape, params: { trainable, nonTrainable }, macs };
}

/** What `build` needs besides the attributes. */
export interface BuildContext {
  /** The IR node id (e.g. "stage1.0.conv_a"). */
  readonly id: string;
  /** The node's tfjs layer name (sanitised, unique in the model). */
  readonly name: string;
  /** The seed named by `parts` after the spec seed (ir-attrs.ts deriveSeed), e.g. seed(name, 'dropout', 0). */
  seed(...parts: readonly (string | number)[]): SeedRecipe;
  /** A glorot-uniform initializer seeded by (node id, `role`): role 'kernel', 'depthwise', 'pointwise'. */
  glorot(role: string): InitializerRecipe;
  /** The node's inferred output shape (lowering gives it; a layer whose config needs it, e.g. a keepdims reshape, reads it). */
  readonly shape?: readonly number[];
}

/** One layer call of a recipe. */
export function call(layer: string, args: Readonly<Record<string, RecipeArg>>, part: LayerCall['part'] = 'main'): LayerCall {
  return { layer, part, args };
}

/** Kinds with a declared attribute type (spec.ts LayerAttrMap, augmented by each op module). */
export type OpKind = keyof LayerAttrMap & string;

/** Everything about one layer kind. */
export interface OpDef<K extends OpKind = OpKind> {
  readonly kind: K;
  /** One sentence for docs, hovers and the schema. */
  readonly description: string;
  /** Own attributes (without the common keys): JSON Schema with description, type, range, default, examples; in the order users write them. */
  readonly attrs: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  /** Values normalize fills in for attributes left out (the schema shows them as `default`). */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** Attributes written `int | [h, w]` that normalise to [h, w]. */
  readonly pairs?: readonly string[];
  /** A scalar/list shorthand of the value and the key it stands for (`dropout: 0.5` → rate; `add: [a, b]` → inputs). */
  readonly shorthand?: { readonly schema: Schema; readonly key: string };
  /** Merges two or more inputs (passed to the layer as a list); every other op reads exactly one. */
  readonly merge?: boolean;
  /** Output width equals input width (the class-count check looks through such layers). */
  readonly keepsWidth?: boolean;
  /** A stand-alone activation layer (the logits check warns when a model ends with one). */
  readonly activationLayer?: boolean;
  /**
   * Raw attributes (schema-valid, shorthand expanded, defaults merged, pairs
   * made pairs) → the typed attributes. Absent: the attributes as they are.
   */
  normalize?(a: Readonly<Record<string, unknown>>): LayerAttrMap[K];
  /** Output shape, parameters and multiply-adds on `inputs`; throws ShapeFailure (see `fail`). Arity is checked before. */
  infer(attrs: LayerAttrMap[K], inputs: readonly Shape[]): OpFacts;
  /** The tfjs layer calls that compute the node, in order, as data. */
  build(attrs: LayerAttrMap[K], ctx: BuildContext): LayerCall[];
}
