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
  columnSums(src, dst, rows, cols);
  return out;
};

/** Rows per block: ~64 KB of float32, so a block stays in L2 across its column groups. */
const BLOCK_ELEMENTS = 16384;

/**
 * dst[c] = Σ_r src[r * cols + c], each column summed in row order in float64
 * and rounded to float32 once (what a Float64Array accumulator gives).
 *
 * Eight columns at a time in local variables (sum8): eight independent add
 * chains and no Float64Array load/store per element, which is what bounded
 * the plain `acc[c] += src[o]` loop. Rows go in blocks so the eight-column
 * passes over a block re-read it from cache. Each column still sees its
 * values in the same order, so the result is bit-identical.
 */
function columnSums(src: Float32Array, dst: Float32Array, rows: number, cols: number): void {
  const acc = new Float64Array(cols);
  const grouped = cols - (cols & 7);
  const blockRows = Math.max(1, Math.floor(BLOCK_ELEMENTS / cols));
  for (let r0 = 0; r0 < rows; r0 += blockRows) {
    const start = r0 * cols;
    const end = Math.min(rows, r0 + blockRows) * cols;
    for (let c = 0; c < grouped; c += 8) sum8(src, acc, c, start + c, end, cols);
    for (let c = grouped; c < cols; c++) sum1(src, acc, c, start + c, end, cols);
  }
  dst.set(acc);
}

// The loops live in their own small functions: V8 optimises each on its own
// feedback. Inlined in columnSums, its first large call compiled it on-stack
// before the leftover-column loop had run, which then kept deoptimising and
// left that loop ~10x slower for the rest of the process.

/** acc[c..c+7] += column sums of src[from, from + stride, … < end] and the next 7 columns. */
function sum8(src: Float32Array, acc: Float64Array, c: number, from: number, end: number, stride: number): void {
  let s0 = acc[c], s1 = acc[c + 1], s2 = acc[c + 2], s3 = acc[c + 3];
  let s4 = acc[c + 4], s5 = acc[c + 5], s6 = acc[c + 6], s7 = acc[c + 7];
  for (let i = from; i < end; i += stride) {
    s0 += src[i];
    s1 += src[i + 1];
    s2 += src[i + 2];
    s3 += src[i + 3];
    s4 += src[i + 4];
    s5 += src[i + 5];
    s6 += src[i + 6];
    s7 += src[i + 7];
  }
  acc[c] = s0; acc[c + 1] = s1; acc[c + 2] = s2; acc[c + 3] = s3;
  acc[c + 4] = s4; acc[c + 5] = s5; acc[c + 6] = s6; acc[c + 7] = s7;
}

/** acc[c] += Σ src[from, from + stride, … < end]. */
function sum1(src: Float32Array, acc: Float64Array, c: number, from: number, end: number, stride: number): void {
  let s = acc[c];
  for (let i = from; i < end; i += stride) s += src[i];
  acc[c] = s;
}
