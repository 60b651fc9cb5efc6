/**
 * Shape inference: one function per op, in one place, like Keras's
 * `compute_output_shape`. Each takes the op's attributes and its inputs'
 * per-sample shapes (no batch axis) and returns the output shape, the
 * parameter counts (Keras counting) and the multiply-adds per sample — or
 * the one error that makes the op impossible on those inputs.
 *
 * Multiply-adds count the weighted ops only (convolutions and dense layers),
 * as most published MAC figures do; pooling, normalisation and activations
 * count 0.
 */
import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { OpAttrs, TypedOp } from '../ir-attrs.js';
import type { Padding } from '../spec.js';

/** A per-sample tensor shape: [H, W, C] or [F] (reshape may make others). */
export type Shape = readonly number[];

export interface OpFacts {
  readonly shape: Shape;
  readonly params: { readonly trainable: number; readonly nonTrainable: number };
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

export type InferResult = ({ readonly ok: true } & OpFacts) | Failure;
type Failure = { readonly ok: false; readonly error: ShapeError };

/** Ops that merge several inputs; every other layer reads exactly one. */
export const MERGE_OPS: ReadonlySet<string> = new Set(['add', 'concat']);

/** Formats a shape for messages: "32×32×3". */
export function fmtShape(shape: Shape): string {
  return shape.join('×');
}

function ok(shape: Shape, trainable = 0, nonTrainable = 0, macs = 0): InferResult {
  return { ok: true, shape, params: { trainable, nonTrainable }, macs };
}

function fail(code: DiagnosticCode, message: string, hint?: string, key?: string): Failure {
  return { ok: false, error: { code, message, ...(hint ? { hint } : {}), ...(key ? { key } : {}) } };
}

function assertNever(x: never): never {
  throw new Error(`unhandled op: ${JSON.stringify(x)}`);
}

/** Infers the output of `t` applied to `inputs` (already known shapes). */
export function inferOp(t: TypedOp, inputs: readonly Shape[]): InferResult {
  if (t.op === 'input') return ok(t.attrs.shape);
  if (MERGE_OPS.has(t.op)) {
    if (inputs.length < 2) return fail('DLC116', `${t.op} merges two or more inputs, but it has ${inputs.length}`, `list them: inputs: [a, b]`, 'inputs');
  } else if (inputs.length !== 1) {
    return fail('DLC117', `${t.op} reads one input, but it lists ${inputs.length}`, 'merge them first with an add or concat layer', 'inputs');
  }
  const x = inputs[0];
  switch (t.op) {
    case 'conv2d':
      return inferConv2d(t.attrs, x);
    case 'depthwise_conv2d':
      return inferDepthwiseConv2d(t.attrs, x);
    case 'separable_conv2d':
      return inferSeparableConv2d(t.attrs, x);
    case 'max_pool2d':
    case 'avg_pool2d':
      return inferPool2d(t.op, t.attrs, x);
    case 'global_avg_pool2d':
    case 'global_max_pool2d':
      return needRank(t.op, x, 3) ?? ok([x[2]]);
    case 'dense':
      return inferDense(t.attrs, x);
    case 'flatten':
      return ok([product(x)]);
    case 'reshape':
      return inferReshape(t.attrs, x);
    case 'batch_norm': {
      const c = x[x.length - 1];
      return ok(x, 2 * c, 2 * c);
    }
    case 'layer_norm':
      return ok(x, 2 * x[x.length - 1]);
    case 'dropout':
    case 'relu':
    case 'leaky_relu':
    case 'elu':
    case 'gelu':
    case 'sigmoid':
    case 'tanh':
    case 'softmax':
      return ok(x);
    case 'add':
      return inferAdd(inputs);
    case 'concat':
      return inferConcat(t.attrs, inputs);
    default:
      return assertNever(t);
  }
}

function product(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

const RANK_NAMES: Record<number, string> = { 1: '[features]', 3: '[height, width, channels]' };

function needRank(op: string, x: Shape, rank: number): Failure | undefined {
  if (x.length === rank) return undefined;
  const hint =
    rank === 1
      ? 'add a flatten (or global_avg_pool2d) layer before it'
      : x.length === 1
        ? 'it follows a flatten or dense layer; move it before them, or reshape back to [height, width, channels]'
        : 'reshape the input to [height, width, channels]';
  return fail('DLC113', `${op} needs an input of shape ${RANK_NAMES[rank]}, but its input is ${fmtShape(x)} (rank ${x.length})`, hint);
}

/** Output length of a sliding window along one axis (Keras/TF rules). */
export function windowOutput(size: number, kernel: number, stride: number, dilation: number, padding: Padding): number {
  if (padding === 'same') return Math.ceil(size / stride);
  const effective = dilation * (kernel - 1) + 1;
  return Math.floor((size - effective) / stride) + 1;
}

interface Window {
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly dilation: readonly [number, number];
  /** An integer pads that many zeros on every side, then slides 'valid'. */
  readonly padding: Padding | number;
}

/** Spatial output [Ho, Wo] of a window op, or the DLC106 error. */
function spatial(op: string, x: Shape, w: Window): readonly [number, number] | Failure {
  const pad = typeof w.padding === 'number' ? w.padding : 0;
  const mode: Padding = typeof w.padding === 'number' ? 'valid' : w.padding;
  const h = x[0] + 2 * pad;
  const wd = x[1] + 2 * pad;
  const ho = windowOutput(h, w.kernel[0], w.strides[0], w.dilation[0], mode);
  const wo = windowOutput(wd, w.kernel[1], w.strides[1], w.dilation[1], mode);
  if (ho > 0 && wo > 0) return [ho, wo];
  const win = w.kernel.join('×') + (w.dilation[0] > 1 || w.dilation[1] > 1 ? ` (dilation ${w.dilation.join('×')})` : '');
  const padded = pad > 0 ? ` (${h}×${wd} after zero padding)` : '';
  return fail(
    'DLC106',
    `${op} with a ${win} window, stride ${w.strides.join('×')} and ${typeof w.padding === 'number' ? `${w.padding}-pixel` : w.padding} padding on a ${fmtShape(x)} input${padded} gives a ${ho}×${wo} output`,
    x[0] <= 1 || x[1] <= 1
      ? 'the input is already too small: remove a pooling or strided layer earlier in the model'
      : `use padding: same, a smaller window, or fewer pooling/strided layers before it`,
  );
}

function convWindow(a: OpAttrs['conv2d' | 'depthwise_conv2d' | 'separable_conv2d']): Window {
  return { kernel: a.kernel_size, strides: a.strides, dilation: a.dilation_rate, padding: a.padding };
}

function inferConv2d(a: OpAttrs['conv2d'], x: Shape): InferResult {
  const r = needRank('conv2d', x, 3) ?? spatial('conv2d', x, convWindow(a));
  if ('error' in r) return r;
  const [ho, wo] = r;
  const cin = x[2];
  const k = a.kernel_size[0] * a.kernel_size[1];
  return ok([ho, wo, a.filters], k * cin * a.filters + (a.use_bias ? a.filters : 0), 0, ho * wo * k * cin * a.filters);
}

function inferDepthwiseConv2d(a: OpAttrs['depthwise_conv2d'], x: Shape): InferResult {
  const r = needRank('depthwise_conv2d', x, 3) ?? spatial('depthwise_conv2d', x, convWindow(a));
  if ('error' in r) return r;
  const [ho, wo] = r;
  const cout = x[2] * a.depth_multiplier;
  const k = a.kernel_size[0] * a.kernel_size[1];
  return ok([ho, wo, cout], k * cout + (a.use_bias ? cout : 0), 0, ho * wo * k * cout);
}

/** Keras SeparableConv2D: depthwise kernel + pointwise kernel + one bias per filter. */
function inferSeparableConv2d(a: OpAttrs['separable_conv2d'], x: Shape): InferResult {
  const r = needRank('separable_conv2d', x, 3) ?? spatial('separable_conv2d', x, convWindow(a));
  if ('error' in r) return r;
  const [ho, wo] = r;
  const mid = x[2] * a.depth_multiplier;
  const k = a.kernel_size[0] * a.kernel_size[1];
  const params = k * mid + mid * a.filters + (a.use_bias ? a.filters : 0);
  return ok([ho, wo, a.filters], params, 0, ho * wo * (k * mid + mid * a.filters));
}

function inferPool2d(op: 'max_pool2d' | 'avg_pool2d', a: OpAttrs['max_pool2d'], x: Shape): InferResult {
  const r = needRank(op, x, 3) ?? spatial(op, x, { kernel: a.pool_size, strides: a.strides, dilation: [1, 1], padding: a.padding });
  if ('error' in r) return r;
  return ok([r[0], r[1], x[2]]);
}

function inferDense(a: OpAttrs['dense'], x: Shape): InferResult {
  const bad = needRank('dense', x, 1);
  if (bad) return bad;
  return ok([a.units], x[0] * a.units + (a.use_bias ? a.units : 0), 0, x[0] * a.units);
}

/** Keras Reshape: at most one -1, inferred from the element count. */
function inferReshape(a: OpAttrs['reshape'], x: Shape): InferResult {
  const n = product(x);
  const target = a.target_shape;
  const unknown = target.filter((d) => d === -1).length;
  const known = product(target.filter((d) => d !== -1));
  const want = `[${target.join(', ')}]`;
  if (unknown > 1) return fail('DLC114', `reshape target ${want} has more than one -1`, 'only one dimension can be inferred', 'target_shape');
  if (unknown === 1) {
    if (known === 0 || n % known !== 0)
      return fail('DLC114', `reshape cannot fit ${n} elements (input ${fmtShape(x)}) into ${want}`, `${n} is not a multiple of ${known}`, 'target_shape');
    return ok(target.map((d) => (d === -1 ? n / known : d)));
  }
  if (known !== n)
    return fail('DLC114', `reshape to ${want} needs ${known} elements, but its input ${fmtShape(x)} has ${n}`, 'use -1 for one dimension to infer it', 'target_shape');
  return ok(target);
}

function inferAdd(inputs: readonly Shape[]): InferResult {
  const first = inputs[0];
  const other = inputs.find((s) => s.length !== first.length || s.some((d, i) => d !== first[i]));
  if (other)
    return fail('DLC107', `add needs inputs of one shape, but got ${inputs.map(fmtShape).join(' and ')}`, 'project the shortcut with a 1×1 conv2d (filters and strides matching the other branch)', 'inputs');
  return ok(first);
}

/**
 * Concat along `axis`, counted over the per-sample axes like every shape in
 * a spec (no batch axis): 0 is height, -1 the last (channels). The runtime
 * builder maps it to tfjs's batch-inclusive axis.
 */
function inferConcat(a: OpAttrs['concat'], inputs: readonly Shape[]): InferResult {
  const rank = inputs[0].length;
  const axis = a.axis < 0 ? rank + a.axis : a.axis;
  if (axis < 0 || axis >= rank)
    return fail('DLC107', `concat axis ${a.axis} is out of range for inputs of shape ${fmtShape(inputs[0])}`, 'use axis: -1 to join channels', 'axis');
  const bad = inputs.some((s) => s.length !== rank || s.some((d, i) => i !== axis && d !== inputs[0][i]));
  if (bad)
    return fail('DLC107', `concat along axis ${a.axis} needs inputs that agree on every other axis, but got ${inputs.map(fmtShape).join(' and ')}`, undefined, 'inputs');
  const out = [...inputs[0]];
  out[axis] = inputs.reduce((s, x) => s + x[axis], 0);
  return ok(out);
}
