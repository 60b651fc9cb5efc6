/**
 * `BatchMatMul` with transposed operands, for the wasm backend.
 *
 * The backend runs a product on XNNPACK only when neither operand is
 * transposed; `transposeA` / `transposeB` go to a plain loop ~10× slower.
 * Every dense layer's backward pass asks for both (dx = dy·Wᵀ, dW = xᵀ·dy):
 * 53 ms of the 25.7 M multiply-adds each of mnist-convnet's 3136→128 layer
 * needs at batch 64, against 8 ms transposing first (one pass, the
 * backend's Transpose) and multiplying on XNNPACK. Untransposed products
 * and non-float32 go to the original kernel unchanged.
 */
import type * as tf from '@tensorflow/tfjs';
import { type WasmKernelFunc, withScope } from './compose.js';

let original: WasmKernelFunc | undefined;
let enabled = true;

/** Switches the transpose-first path off / back on (benchmarks comparing with upstream). */
export function setTransposeFirstMatMul(on: boolean): void {
  enabled = on;
}

/** Set by the registration code before it replaces the backend's kernel. */
export function setOriginalBatchMatMul(fn: WasmKernelFunc | undefined): void {
  original = fn;
}

/** The permutation swapping the last two axes of a rank-`rank` tensor. */
function swapLast(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/** The kernel function registered as `BatchMatMul` on wasm. */
export const batchMatMulTransposed: WasmKernelFunc = (args) => {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs;
  const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
  if (original === undefined) throw new Error('dlc wasm kernels: BatchMatMul needs the original kernel');
  const orig = original;
  if (!enabled || (!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') return orig(args);
  return withScope(backend, (s) => {
    const at = transposeA ? s.run('Transpose', { x: a }, { perm: swapLast(a.shape.length) }) : a;
    const bt = transposeB ? s.run('Transpose', { x: b }, { perm: swapLast(b.shape.length) }) : b;
    return s.call(orig, { a: at, b: bt }, { ...attrs, transposeA: false, transposeB: false });
  });
};
