/**
 * `Sum` over leading axes for the wasm backend.
 *
 * Training reduces over the leading axes all the time: every bias gradient
 * is Σ over [batch, height, width] of dy. The backend's Sum first transposes
 * the reduced axes innermost (a full copy through its slow generic
 * transpose), which profiled at ~40 ms of a ConvNet step. Viewed as a
 * [R, C] matrix, a leading-axes sum is C column sums read in memory order:
 * one pass, no copy. Accumulates in float64, like the cpu backend.
 * Other reductions go to the original kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmKernelFunc } from './compose.js';

let original: WasmKernelFunc | undefined;

/** Set by the registration code before it replaces the backend's kernel. */
export function setOriginalSum(fn: WasmKernelFunc | undefined): void {
  original = fn;
}

/** The number of leading axes `axes` covers, or -1 if it is not a leading run. */
function leadingAxes(axes: number[]): number {
  const sorted = [...axes].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i++) if (sorted[i] !== i) return -1;
  return sorted.length;
}

/** The kernel function registered as `Sum` on wasm. */
export const sumLeading: WasmKernelFunc = (args) => {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const { axis, keepDims } = attrs as unknown as tf.SumAttrs;
  const axes = tf.util.parseAxisParam(axis, x.shape);
  const k = leadingAxes(axes);
  if (x.dtype !== 'float32' || k <= 0 || x.shape.length === 0) {
    if (original === undefined) throw new Error('dlc wasm kernels: Sum needs the original kernel');
    return original(args);
  }
  const rows = x.shape.slice(0, k).reduce((a, b) => a * b, 1);
  const rest = x.shape.slice(k);
  const cols = rest.reduce((a, b) => a * b, 1);
  const outShape = keepDims ? [...x.shape.slice(0, k).map(() => 1), ...rest] : rest;
  const out = backend.makeOutput(outShape, 'float32');
  // Views after allocation: allocating may grow the heap and detach older views.
  const src = backend.typedArrayFromHeap(x) as Float32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  if (cols === 1) {
    let s = 0;
    for (let i = 0; i < rows; i++) s += src[i];
    dst[0] = s;
    return out;
  }
  const acc = new Float64Array(cols);
  for (let r = 0, o = 0; r < rows; r++) for (let c = 0; c < cols; c++, o++) acc[c] += src[o];
  dst.set(acc);
  return out;
};
