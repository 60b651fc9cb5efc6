/**
 * Typed views of IR node attributes. `IRNode.attrs` is a plain record so the
 * IR stays one node type; consumers (shape inference, the runtime model
 * builder, codegen) narrow it here instead of casting ad hoc.
 *
 * Convolution padding stays as the spec states it: 'same', 'valid', or an
 * integer p (PyTorch style) meaning p rows/columns of zeros on every side
 * followed by a 'valid' convolution — what the runtime builder and codegen
 * emit as zeroPadding2d + conv, and what shape inference computes.
 */
import type { AttrsOf, IRNode, Op } from './ir.js';

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
