/**
 * Fused batch norm (training mode, channels last) on the wasm backend.
 *
 * tfjs's batch norm in training runs as a dozen small kernels, each a full
 * pass over the activation (moments: Mean, SquaredDifference, Mean; then
 * FusedBatchNorm; its gradient: Sub, Mul, Tile, Sum, … and the moments'
 * gradient through broadcasts): ~320 ms of a 1.5 s ResNet-20 replica step.
 * Here the same work is four passes over the wasm heap in JS, per-channel
 * sums accumulated in float64 (like the cpu backend's reductions):
 *
 * - forward, pass 1 (`channelMoments`, a read): Σx and Σx² per channel;
 * - forward, pass 2 (kernel `DlcBatchNormApply`): y = (x − mean)·scale + shift;
 * - backward, pass 1 (`channelGradSums`, a read): Σdy and Σdy·(x − mean);
 * - backward, pass 2 (kernel `DlcBatchNormInputGrad`):
 *   dx = k·dy − a − (x − mean)·e.
 *
 * The per-channel constants (mean, scale, …) are float64 kernel attributes
 * computed by the caller (model/sync-batch-norm.ts), which also exchanges
 * the sums between replicas. The reads return Float64Arrays rather than
 * tensors: their results go to JS (the exchange, the constants) anyway.
 * x is viewed as a [rows, C] matrix (C = the last axis), float32 only.
 *
 * Where C is a multiple of 4 and the single-threaded wasm build runs, the
 * passes are wasm SIMD functions working in place on the heap
 * (batch-norm-simd.ts: float64 sums, float32 element-wise arithmetic);
 * otherwise JS loops (float64 throughout, rounded once on store).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { batchNormSimd, type BatchNormSimd } from './batch-norm-simd.js';
import type { Info, WasmKernelFunc } from './compose.js';

/** Kernel names registered on wasm (register.ts). */
export const BATCH_NORM_APPLY = 'DlcBatchNormApply';
export const BATCH_NORM_INPUT_GRAD = 'DlcBatchNormInputGrad';

/** Attributes of `DlcBatchNormApply`: y = (x − mean)·scale + shift, per channel of the last axis. */
export interface BatchNormApplyAttrs {
  readonly mean: Float64Array;
  readonly scale: Float64Array;
  readonly shift: Float64Array;
}

/** Attributes of `DlcBatchNormInputGrad`: dx = k·dy − a − (x − mean)·e, per channel. */
export interface BatchNormInputGradAttrs {
  readonly mean: Float64Array;
  readonly k: Float64Array;
  readonly a: Float64Array;
  readonly e: Float64Array;
}

let enabled = typeof process === 'undefined' || process.env['DLC_WASM_FUSED_BN'] !== '0';

/**
 * Switches the fused batch norm on or off (default on; `DLC_WASM_FUSED_BN=0`
 * starts a process or replica worker with it off). Benchmarks compare the two.
 */
export function setWasmFusedBatchNorm(on: boolean): void {
  enabled = on;
}

/** Whether batch norm in training takes the fused path now: wasm is the backend, the kernels are registered and the switch is on. */
export function fusedBatchNormActive(): boolean {
  return enabled && tf.getBackend() === 'wasm' && tf.getKernel(BATCH_NORM_APPLY, 'wasm') !== undefined;
}

function channelsOf(x: Info): number {
  const c = x.shape[x.shape.length - 1];
  if (c === undefined || c <= 0) throw new Error(`dlc fused batch norm: needs a channel axis, got shape [${x.shape.join(', ')}]`);
  return c;
}

function heap(backend: BackendWasm, t: Info): Float32Array {
  if (t.dtype !== 'float32') throw new Error(`dlc fused batch norm: float32 only, got ${t.dtype}`);
  return backend.typedArrayFromHeap(t) as Float32Array;
}

// The loops live in small functions of their own: V8 optimises each on its
// own feedback (see sum.ts). Channel counts that are multiples of 8 (every
// conv net's) keep eight channels' sums in locals; others use arrays.

/** Rows per block: ~64 KB of float32, so the 8-channel passes over a block re-read it from cache. */
const BLOCK_ELEMENTS = 16384;

/** Calls body(start, end) over [0, n) in blocks of whole rows of c elements, ~BLOCK_ELEMENTS each. */
function forBlocks(n: number, c: number, body: (start: number, end: number) => void): void {
  const step = Math.max(1, Math.floor(BLOCK_ELEMENTS / c)) * c;
  for (let start = 0; start < n; start += step) body(start, Math.min(n, start + step));
}

/** The SIMD passes when they apply to C channels, else null. */
function simdFor(backend: BackendWasm, c: number): BatchNormSimd | null {
  return c % 4 === 0 ? batchNormSimd(backend) : null;
}

/** Runs `body(ptr)` with `bytes` of heap scratch (malloc'd, freed after). */
function withScratch<T>(s: BatchNormSimd, bytes: number, body: (ptr: number) => T): T {
  const ptr = s.malloc(bytes);
  if (ptr === 0) throw new Error(`dlc fused batch norm: malloc(${bytes}) failed`);
  try {
    return body(ptr);
  } finally {
    s.free(ptr);
  }
}

/** SIMD sums: per row block and group of 4 channels, `pass(rows, first element, acc)` adds into the group's 8 float64 (4 + 4); returns the two sums per channel. */
function simdSums(s: BatchNormSimd, n: number, c: number, pass: (rows: number, element: number, acc: number) => void): [Float64Array, Float64Array] {
  const groups = c / 4;
  return withScratch(s, 64 * groups, (acc) => {
    s.heapF64().fill(0, acc / 8, acc / 8 + 8 * groups);
    forBlocks(n, c, (start, end) => {
      const rows = (end - start) / c;
      for (let g = 0; g < groups; g++) pass(rows, start + 4 * g, acc + 64 * g);
    });
    const f64 = s.heapF64();
    const a = new Float64Array(c);
    const b = new Float64Array(c);
    for (let g = 0; g < groups; g++) {
      const o = acc / 8 + 8 * g;
      for (let j = 0; j < 4; j++) {
        a[4 * g + j] = f64[o + j]!;
        b[4 * g + j] = f64[o + 4 + j]!;
      }
    }
    return [a, b];
  });
}

/** Writes per-group constants [v0 of 4 channels, v1 of 4, …] (float32) at `ptr`, `vs.length` vectors per group. */
function writeConsts(s: BatchNormSimd, ptr: number, vs: readonly Float64Array[], c: number): void {
  const f32 = s.heapF32();
  const per = 4 * vs.length;
  for (let g = 0; g < c / 4; g++) {
    for (let v = 0; v < vs.length; v++) for (let j = 0; j < 4; j++) f32[ptr / 4 + g * per + 4 * v + j] = vs[v]![4 * g + j]!;
  }
}

/** Σx and Σx² per channel of x viewed as [rows, C], float64. */
export function channelMoments(backend: BackendWasm, x: Info): { count: number; sum: Float64Array; sumSq: Float64Array } {
  const c = channelsOf(x);
  const fast = simdFor(backend, c);
  if (fast) {
    const base = heap(backend, x).byteOffset;
    const n = x.shape.reduce((p, q) => p * q, 1);
    const [sum, sumSq] = simdSums(fast, n, c, (rows, element, acc) => fast.moments4(base + 4 * element, rows, 4 * c, acc));
    return { count: n / c, sum, sumSq };
  }
  const src = heap(backend, x);
  const sum = new Float64Array(c);
  const sumSq = new Float64Array(c);
  const n = src.length;
  if (c % 8 === 0) {
    forBlocks(n, c, (start, end) => { for (let ch = 0; ch < c; ch += 8) moments8(src, sum, sumSq, ch, start + ch, end, c); });
  } else {
    momentsAny(src, sum, sumSq, c);
  }
  return { count: n / c, sum, sumSq };
}

function moments8(src: Float32Array, sum: Float64Array, sq: Float64Array, c: number, from: number, end: number, stride: number): void {
  let s0 = sum[c]!, s1 = sum[c + 1]!, s2 = sum[c + 2]!, s3 = sum[c + 3]!, s4 = sum[c + 4]!, s5 = sum[c + 5]!, s6 = sum[c + 6]!, s7 = sum[c + 7]!;
  let q0 = sq[c]!, q1 = sq[c + 1]!, q2 = sq[c + 2]!, q3 = sq[c + 3]!, q4 = sq[c + 4]!, q5 = sq[c + 5]!, q6 = sq[c + 6]!, q7 = sq[c + 7]!;
  for (let i = from; i < end; i += stride) {
    const v0 = src[i]!, v1 = src[i + 1]!, v2 = src[i + 2]!, v3 = src[i + 3]!;
    const v4 = src[i + 4]!, v5 = src[i + 5]!, v6 = src[i + 6]!, v7 = src[i + 7]!;
    s0 += v0; q0 += v0 * v0;
    s1 += v1; q1 += v1 * v1;
    s2 += v2; q2 += v2 * v2;
    s3 += v3; q3 += v3 * v3;
    s4 += v4; q4 += v4 * v4;
    s5 += v5; q5 += v5 * v5;
    s6 += v6; q6 += v6 * v6;
    s7 += v7; q7 += v7 * v7;
  }
  sum[c] = s0; sum[c + 1] = s1; sum[c + 2] = s2; sum[c + 3] = s3; sum[c + 4] = s4; sum[c + 5] = s5; sum[c + 6] = s6; sum[c + 7] = s7;
  sq[c] = q0; sq[c + 1] = q1; sq[c + 2] = q2; sq[c + 3] = q3; sq[c + 4] = q4; sq[c + 5] = q5; sq[c + 6] = q6; sq[c + 7] = q7;
}

function momentsAny(src: Float32Array, sum: Float64Array, sq: Float64Array, c: number): void {
  const n = src.length;
  for (let o = 0; o < n; o += c) {
    for (let ch = 0; ch < c; ch++) {
      const v = src[o + ch]!;
      sum[ch]! += v;
      sq[ch]! += v * v;
    }
  }
}

/** Σdy and Σdy·(x − mean) per channel (dy and x of the same shape), float64. */
export function channelGradSums(backend: BackendWasm, dy: Info, x: Info, mean: Float64Array): { sumDy: Float64Array; sumDyXc: Float64Array } {
  const c = channelsOf(x);
  if (dy.shape.length !== x.shape.length || dy.shape.some((d, i) => d !== x.shape[i])) {
    throw new Error(`dlc fused batch norm: dy [${dy.shape.join(', ')}] and x [${x.shape.join(', ')}] differ`);
  }
  const fast = simdFor(backend, c);
  if (fast) {
    const gBase = heap(backend, dy).byteOffset;
    const xBase = heap(backend, x).byteOffset;
    const n = x.shape.reduce((p, q) => p * q, 1);
    return withScratch(fast, 16 * (c / 4), (consts) => {
      writeConsts(fast, consts, [mean], c);
      const [sumDy, sumDyXc] = simdSums(fast, n, c, (rows, element, acc) => fast.gradsums4(gBase + 4 * element, xBase + 4 * element, rows, 4 * c, consts + 16 * ((element % c) / 4), acc));
      return { sumDy, sumDyXc };
    });
  }
  const g = heap(backend, dy);
  const src = heap(backend, x);
  const sumDy = new Float64Array(c);
  const sumDyXc = new Float64Array(c);
  // Σdy·x first, then subtract mean·Σdy: one fewer operation per element; x is float32, its products exact in float64.
  const n = src.length;
  if (c % 8 === 0) {
    forBlocks(n, c, (start, end) => { for (let ch = 0; ch < c; ch += 8) gradSums8(g, src, sumDy, sumDyXc, ch, start + ch, end, c); });
  } else {
    gradSumsAny(g, src, sumDy, sumDyXc, c);
  }
  for (let ch = 0; ch < c; ch++) sumDyXc[ch] = sumDyXc[ch]! - mean[ch]! * sumDy[ch]!;
  return { sumDy, sumDyXc };
}

function gradSums8(g: Float32Array, x: Float32Array, sum: Float64Array, sx: Float64Array, c: number, from: number, end: number, stride: number): void {
  let s0 = sum[c]!, s1 = sum[c + 1]!, s2 = sum[c + 2]!, s3 = sum[c + 3]!, s4 = sum[c + 4]!, s5 = sum[c + 5]!, s6 = sum[c + 6]!, s7 = sum[c + 7]!;
  let p0 = sx[c]!, p1 = sx[c + 1]!, p2 = sx[c + 2]!, p3 = sx[c + 3]!, p4 = sx[c + 4]!, p5 = sx[c + 5]!, p6 = sx[c + 6]!, p7 = sx[c + 7]!;
  for (let i = from; i < end; i += stride) {
    const g0 = g[i]!, g1 = g[i + 1]!, g2 = g[i + 2]!, g3 = g[i + 3]!;
    const g4 = g[i + 4]!, g5 = g[i + 5]!, g6 = g[i + 6]!, g7 = g[i + 7]!;
    s0 += g0; p0 += g0 * x[i]!;
    s1 += g1; p1 += g1 * x[i + 1]!;
    s2 += g2; p2 += g2 * x[i + 2]!;
    s3 += g3; p3 += g3 * x[i + 3]!;
    s4 += g4; p4 += g4 * x[i + 4]!;
    s5 += g5; p5 += g5 * x[i + 5]!;
    s6 += g6; p6 += g6 * x[i + 6]!;
    s7 += g7; p7 += g7 * x[i + 7]!;
  }
  sum[c] = s0; sum[c + 1] = s1; sum[c + 2] = s2; sum[c + 3] = s3; sum[c + 4] = s4; sum[c + 5] = s5; sum[c + 6] = s6; sum[c + 7] = s7;
  sx[c] = p0; sx[c + 1] = p1; sx[c + 2] = p2; sx[c + 3] = p3; sx[c + 4] = p4; sx[c + 5] = p5; sx[c + 6] = p6; sx[c + 7] = p7;
}

function gradSumsAny(g: Float32Array, x: Float32Array, sum: Float64Array, sx: Float64Array, c: number): void {
  const n = x.length;
  for (let o = 0; o < n; o += c) {
    for (let ch = 0; ch < c; ch++) {
      const d = g[o + ch]!;
      sum[ch]! += d;
      sx[ch]! += d * x[o + ch]!;
    }
  }
}

function checkChannels(name: string, c: number, arrays: Record<string, Float64Array>): void {
  for (const [k, v] of Object.entries(arrays)) {
    if (!(v instanceof Float64Array) || v.length !== c) throw new Error(`dlc ${name}: attribute '${k}' must be a Float64Array of ${c} channels`);
  }
}

/** The kernel registered as `DlcBatchNormApply` on wasm: y = (x − mean)·scale + shift per channel (last axis). */
export const batchNormApply: WasmKernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs;
  const { mean, scale, shift } = attrs as unknown as BatchNormApplyAttrs;
  const c = channelsOf(x);
  checkChannels(BATCH_NORM_APPLY, c, { mean, scale, shift });
  const out = backend.makeOutput(x.shape.slice(), 'float32');
  const fast = simdFor(backend, c);
  if (fast) {
    const n = x.shape.reduce((p, q) => p * q, 1);
    withScratch(fast, 48 * (c / 4), (consts) => {
      writeConsts(fast, consts, [mean, scale, shift], c);
      const xBase = heap(backend, x).byteOffset;
      const yBase = heap(backend, out).byteOffset;
      forBlocks(n, c, (start, end) => {
        for (let ch = 0; ch < c; ch += 4) fast.apply4(xBase + 4 * (start + ch), yBase + 4 * (start + ch), (end - start) / c, 4 * c, consts + 12 * ch);
      });
    });
    return out;
  }
  // Views after allocation: allocating may grow the heap and detach older views.
  const src = heap(backend, x);
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  if (c % 8 === 0) forBlocks(src.length, c, (start, end) => { for (let ch = 0; ch < c; ch += 8) apply8(src, dst, mean, scale, shift, ch, start + ch, end, c); });
  else applyAny(src, dst, mean, scale, shift, c);
  return out;
};

function apply8(src: Float32Array, dst: Float32Array, mean: Float64Array, scale: Float64Array, shift: Float64Array, ch: number, from: number, end: number, c: number): void {
  {
    const m0 = mean[ch]!, m1 = mean[ch + 1]!, m2 = mean[ch + 2]!, m3 = mean[ch + 3]!, m4 = mean[ch + 4]!, m5 = mean[ch + 5]!, m6 = mean[ch + 6]!, m7 = mean[ch + 7]!;
    const k0 = scale[ch]!, k1 = scale[ch + 1]!, k2 = scale[ch + 2]!, k3 = scale[ch + 3]!, k4 = scale[ch + 4]!, k5 = scale[ch + 5]!, k6 = scale[ch + 6]!, k7 = scale[ch + 7]!;
    const b0 = shift[ch]!, b1 = shift[ch + 1]!, b2 = shift[ch + 2]!, b3 = shift[ch + 3]!, b4 = shift[ch + 4]!, b5 = shift[ch + 5]!, b6 = shift[ch + 6]!, b7 = shift[ch + 7]!;
    for (let i = from; i < end; i += c) {
      dst[i] = (src[i]! - m0) * k0 + b0;
      dst[i + 1] = (src[i + 1]! - m1) * k1 + b1;
      dst[i + 2] = (src[i + 2]! - m2) * k2 + b2;
      dst[i + 3] = (src[i + 3]! - m3) * k3 + b3;
      dst[i + 4] = (src[i + 4]! - m4) * k4 + b4;
      dst[i + 5] = (src[i + 5]! - m5) * k5 + b5;
      dst[i + 6] = (src[i + 6]! - m6) * k6 + b6;
      dst[i + 7] = (src[i + 7]! - m7) * k7 + b7;
    }
  }
}

function applyAny(src: Float32Array, dst: Float32Array, mean: Float64Array, scale: Float64Array, shift: Float64Array, c: number): void {
  const n = src.length;
  for (let o = 0; o < n; o += c) {
    for (let ch = 0; ch < c; ch++) dst[o + ch] = (src[o + ch]! - mean[ch]!) * scale[ch]! + shift[ch]!;
  }
}

/** The kernel registered as `DlcBatchNormInputGrad` on wasm: dx = k·dy − a − (x − mean)·e per channel (last axis). */
export const batchNormInputGrad: WasmKernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x } = inputs;
  const { mean, k, a, e } = attrs as unknown as BatchNormInputGradAttrs;
  const c = channelsOf(x);
  if (dy.shape.length !== x.shape.length || dy.shape.some((d, i) => d !== x.shape[i])) {
    throw new Error(`dlc ${BATCH_NORM_INPUT_GRAD}: dy [${dy.shape.join(', ')}] and x [${x.shape.join(', ')}] differ`);
  }
  checkChannels(BATCH_NORM_INPUT_GRAD, c, { mean, k, a, e });
  const out = backend.makeOutput(x.shape.slice(), 'float32');
  const fast = simdFor(backend, c);
  if (fast) {
    const n = x.shape.reduce((p, q) => p * q, 1);
    withScratch(fast, 64 * (c / 4), (consts) => {
      writeConsts(fast, consts, [mean, k, a, e], c);
      const gBase = heap(backend, dy).byteOffset;
      const xBase = heap(backend, x).byteOffset;
      const dBase = heap(backend, out).byteOffset;
      forBlocks(n, c, (start, end) => {
        for (let ch = 0; ch < c; ch += 4) fast.igrad4(gBase + 4 * (start + ch), xBase + 4 * (start + ch), dBase + 4 * (start + ch), (end - start) / c, 4 * c, consts + 16 * ch);
      });
    });
    return out;
  }
  const g = heap(backend, dy);
  const src = heap(backend, x);
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  if (c % 8 === 0) forBlocks(src.length, c, (start, end) => { for (let ch = 0; ch < c; ch += 8) inputGrad8(g, src, dst, mean, k, a, e, ch, start + ch, end, c); });
  else inputGradAny(g, src, dst, mean, k, a, e, c);
  return out;
};

function inputGrad8(g: Float32Array, src: Float32Array, dst: Float32Array, mean: Float64Array, k: Float64Array, a: Float64Array, e: Float64Array, ch: number, from: number, end: number, c: number): void {
  {
    const m0 = mean[ch]!, m1 = mean[ch + 1]!, m2 = mean[ch + 2]!, m3 = mean[ch + 3]!, m4 = mean[ch + 4]!, m5 = mean[ch + 5]!, m6 = mean[ch + 6]!, m7 = mean[ch + 7]!;
    const k0 = k[ch]!, k1 = k[ch + 1]!, k2 = k[ch + 2]!, k3 = k[ch + 3]!, k4 = k[ch + 4]!, k5 = k[ch + 5]!, k6 = k[ch + 6]!, k7 = k[ch + 7]!;
    const a0 = a[ch]!, a1 = a[ch + 1]!, a2 = a[ch + 2]!, a3 = a[ch + 3]!, a4 = a[ch + 4]!, a5 = a[ch + 5]!, a6 = a[ch + 6]!, a7 = a[ch + 7]!;
    const e0 = e[ch]!, e1 = e[ch + 1]!, e2 = e[ch + 2]!, e3 = e[ch + 3]!, e4 = e[ch + 4]!, e5 = e[ch + 5]!, e6 = e[ch + 6]!, e7 = e[ch + 7]!;
    for (let i = from; i < end; i += c) {
      dst[i] = k0 * g[i]! - a0 - (src[i]! - m0) * e0;
      dst[i + 1] = k1 * g[i + 1]! - a1 - (src[i + 1]! - m1) * e1;
      dst[i + 2] = k2 * g[i + 2]! - a2 - (src[i + 2]! - m2) * e2;
      dst[i + 3] = k3 * g[i + 3]! - a3 - (src[i + 3]! - m3) * e3;
      dst[i + 4] = k4 * g[i + 4]! - a4 - (src[i + 4]! - m4) * e4;
      dst[i + 5] = k5 * g[i + 5]! - a5 - (src[i + 5]! - m5) * e5;
      dst[i + 6] = k6 * g[i + 6]! - a6 - (src[i + 6]! - m6) * e6;
      dst[i + 7] = k7 * g[i + 7]! - a7 - (src[i + 7]! - m7) * e7;
    }
  }
}

function inputGradAny(g: Float32Array, src: Float32Array, dst: Float32Array, mean: Float64Array, k: Float64Array, a: Float64Array, e: Float64Array, c: number): void {
  const n = src.length;
  for (let o = 0; o < n; o += c) {
    for (let ch = 0; ch < c; ch++) dst[o + ch] = k[ch]! * g[o + ch]! - a[ch]! - (src[o + ch]! - mean[ch]!) * e[ch]!;
  }
}
