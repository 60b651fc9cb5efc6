/**
 * Typed views of IR node attributes, and the seed function of the recipes.
 * `IRNode.attrs` is a plain record so the IR stays one node type; the op
 * modules (compiler/ops/) narrow it here instead of casting ad hoc. The
 * runtime and codegen do not read attrs to build a node: they read its
 * recipe (`IRNode.layers`).
 *
 * Convolution padding stays as the spec states it: 'same', 'valid', or an
 * integer p (PyTorch style) meaning p rows/columns of zeros on every side
 * followed by a 'valid' convolution — the recipe's zeroPadding2d + conv, and
 * what shape inference computes.
 *
 * A pure, dependency-free file: the runtime (and so an emitted project)
 * imports it for `deriveSeed` and `isSeedRecipe`.
 */
import type { AttrsOf, IR, IRNode, IROutput, Op, RecipeArg, SeedRecipe } from './ir.js';

/** The input node's attributes. */
export interface InputAttrs {
  readonly shape: readonly [number, number, number];
}

/** Attributes of each op as they appear on IR nodes. */
export type OpAttrs = {
  readonly [K in Op]: K extends 'input' ? InputAttrs : K extends Exclude<Op, 'input'> ? AttrsOf<K> : never;
};

/** An op together with its attributes, as a discriminated union (switch on `op`). */
export type TypedOp = { readonly [K in Op]: { readonly op: K; readonly attrs: OpAttrs[K] } }[Op];

/** The node's op and attrs as a discriminated union. */
export function typedOp(node: Pick<IRNode, 'op' | 'attrs'>): TypedOp {
  return { op: node.op, attrs: node.attrs } as TypedOp;
}

/** The node's attributes typed for `op`; throws if the node is another op. */
export function attrsOf<K extends Op>(node: Pick<IRNode, 'op' | 'attrs'>, op: K): OpAttrs[K] {
  if (node.op !== op) throw new Error(`attrsOf: node is '${node.op}', not '${op}'`);
  return node.attrs as OpAttrs[K];
}

/*
 * Seed derivation for everything random in a model: initial weights per
 * layer and dropout masks per step. Every seed is a pure function of the
 * spec's seed and a name, so the same spec gives the same numbers on every
 * backend (tfjs draws seeded randoms in JS, not on the backend) and a resumed
 * run draws exactly what an uninterrupted one would. Lowering derives the
 * initializer seeds into each node's recipe; the runtime derives the dropout
 * seed of every step with the same function.
 *
 *   seed(specSeed, parts…) = FNV-1a 32-bit of `${specSeed}:${parts.join(':')}`
 *   kernel init  of node id: seed(specSeed, id, 'kernel')  (and 'depthwise', 'pointwise')
 *   dropout mask of layer name at global step s: seed(specSeed, name, 'dropout', s)
 */

/** FNV-1a, 32-bit, over the UTF-16 code units of `text`; a non-negative integer. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A derived seed for one random draw, named by `parts`. */
export function deriveSeed(specSeed: number, ...parts: readonly (string | number)[]): number {
  return fnv1a(`${specSeed}:${parts.join(':')}`);
}

/** True for a recipe argument that is a seed or a seeded initializer. */
export function isSeedRecipe(v: RecipeArg): v is SeedRecipe {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'seedKey' in v;
}

/** The model's outputs, main first, with their loss weights: `ir.outputs`, or the one output with weight 1. */
export function modelOutputs(ir: Pick<IR, 'outputId' | 'outputs'>): readonly IROutput[] {
  return ir.outputs && ir.outputs.length > 0 ? ir.outputs : [{ id: ir.outputId, lossWeight: 1 }];
}
