/**
 * Shape inference of one node: the arity check every op shares, then the
 * op's own `infer` from the registry (compiler/ops/<kind>.ts, like Keras's
 * `compute_output_shape`). Each takes the op's attributes and its inputs'
 * per-sample shapes (no batch axis) and gives the output shape, the
 * parameter counts (Keras counting) and the multiply-adds per sample — or
 * the one error that makes the op impossible on those inputs.
 *
 * Multiply-adds count the weighted ops only (convolutions and dense layers),
 * as most published MAC figures do; pooling, normalisation and activations
 * count 0.
 */
import type { TypedOp } from '../ir-attrs.js';
import { opDef } from '../ops/index.js';
import { ShapeFailure, type OpFacts, type Shape, type ShapeError } from '../ops/op-def.js';

export type { OpFacts, Shape, ShapeError } from '../ops/op-def.js';
export { windowOutput } from '../ops/shape.js';

export type InferResult = ({ readonly ok: true } & OpFacts) | { readonly ok: false; readonly error: ShapeError };

function fail(error: ShapeError): InferResult {
  return { ok: false, error };
}

/** Infers the output of `t` applied to `inputs` (already known shapes). */
export function inferOp(t: TypedOp, inputs: readonly Shape[]): InferResult {
  if (t.op === 'input') return { ok: true, shape: t.attrs.shape, params: { trainable: 0, nonTrainable: 0 }, macs: 0 };
  const def = opDef(t.op);
  if (!def) throw new Error(`shape inference: unknown op '${t.op}'`);
  if (def.merge) {
    if (inputs.length < 2) return fail({ code: 'DLC116', message: `${t.op} merges two or more inputs, but it has ${inputs.length}`, hint: `list them: inputs: [a, b]`, key: 'inputs' });
  } else if (inputs.length !== 1) {
    return fail({ code: 'DLC117', message: `${t.op} reads one input, but it lists ${inputs.length}`, hint: 'merge them first with an add or concat layer', key: 'inputs' });
  }
  try {
    return { ok: true, ...def.infer(t.attrs as never, inputs) };
  } catch (e) {
    if (e instanceof ShapeFailure) return fail(e.error);
    throw e;
  }
}
