/**
 * `Conv2D` and `FusedConv2D` (bias, ReLU) on dlc's wasm SIMD GEMM
 * (simd/conv-forward.ts) where it beats XNNPACK — see chooseConvForm — and
 * the backend's own kernels otherwise. Conv2DBackpropInput's convolutions
 * (kernels/conv2d-backprop-input.ts) go through the registered `Conv2D`, so
 * they take the same choice.
 */
import * as tf from '@tensorflow/tfjs';
import { simdConv2d, simdConvAvailable } from '../simd/conv-forward.js';
import type { Info, WasmKernelFunc } from './compose.js';
import { geometryOf } from './conv2d-backprop-filter.js';

let originalConv: WasmKernelFunc | undefined;
let originalFused: WasmKernelFunc | undefined;
let simdMode: boolean | 'force' = true;

/** Set by the registration code before it replaces the backend's kernels. */
export function setOriginalConv2D(fn: WasmKernelFunc | undefined): void {
  originalConv = fn;
}
export function setOriginalFusedConv2D(fn: WasmKernelFunc | undefined): void {
  originalFused = fn;
}

/**
 * Switches the SIMD forward convolution off (false), back to chooseConvForm
 * (true), or on wherever it can run, whatever the choice ('force': tests on
 * the threaded build, benchmarks).
 */
export function setSimdConv(mode: boolean | 'force'): void {
  simdMode = mode;
}

/**
 * Whether dlc's SIMD GEMM computes this forward convolution (x [N,H,W,Ci],
 * kh×kw filter) rather than XNNPACK. Measured per CPU-second, interleaved
 * (bench/kernels.ts filter-grad, 'fwd' columns), on the conv layers of
 * cifar-convnet, mnist-convnet and resnet20-cifar: 1.1–1.5× XNNPACK on 3×3
 * layers with kw·Ci ≥ 9 (e.g. 22.0 vs 15.6 GMAC/s for 32→64 at 8×8, batch
 * 32); slower on 1×1 kernels (2.6 vs 5.0: x is copied whole, a strided 1×1
 * reads a quarter of it) and on a single input channel (6.4 vs 7.7: rows
 * of three taps are too short a reduction). The input gradient's
 * convolutions (flipped filters, sub-filters per stride phase) choose the
 * same way. The GEMM runs on the calling thread only: with an XNNPACK
 * thread pool of more than one thread (one replica on the threaded build)
 * XNNPACK keeps the forward convolutions.
 */
export function chooseConvForm(ci: number, kh: number, kw: number, threads = 1): 'simd' | 'xnnpack' {
  return threads === 1 && kh * kw > 1 && kw * ci >= 8 ? 'simd' : 'xnnpack';
}

/** XNNPACK's thread-pool size on this backend (1 on the single-threaded build). */
function poolThreads(backend: unknown): number {
  const tfjs = (backend as { wasm?: { tfjs?: { getThreadsCount?: () => number } } }).wasm?.tfjs;
  return tfjs?.getThreadsCount?.() ?? 1;
}

function forward(args: Parameters<WasmKernelFunc>[0], fused: boolean): Info {
  const original = fused ? originalFused : originalConv;
  if (original === undefined) throw new Error(`dlc wasm kernels: ${fused ? 'FusedConv2D' : 'Conv2D'} needs the original kernel`);
  const { inputs, backend, attrs } = args;
  const { x, filter, bias, preluActivationWeights } = inputs as Record<string, Info | undefined> as { x: Info; filter: Info; bias?: Info; preluActivationWeights?: Info };
  const a = attrs as unknown as tf.FusedConv2DAttrs;
  const activation = fused ? (a.activation ?? 'linear') : 'linear';
  if (
    simdMode === false ||
    a.dataFormat === 'NCHW' ||
    x.dtype !== 'float32' ||
    filter.dtype !== 'float32' ||
    (activation !== 'linear' && activation !== 'relu') ||
    preluActivationWeights !== undefined ||
    (bias !== undefined && (bias.dtype !== 'float32' || bias.shape.length > 1 || tf.util.sizeFromShape(bias.shape) !== filter.shape[3])) ||
    !simdConvAvailable()
  ) {
    return original(args);
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    a.strides,
    a.dilations,
    a.pad,
    a.dimRoundingMode,
  );
  if (info.dilationWidth !== 1 || (simdMode !== 'force' && chooseConvForm(info.inChannels, info.filterHeight, info.filterWidth, poolThreads(backend)) !== 'simd')) {
    return original(args);
  }
  const out = backend.makeOutput(info.outShape, 'float32');
  if (tf.util.sizeFromShape(info.outShape) === 0) return out;
  // Views after the allocation (which may grow the heap and detach older views).
  const view = (t: Info) => backend.typedArrayFromHeap(t) as Float32Array;
  simdConv2d(view(x), x.shape, view(filter), bias ? view(bias) : undefined, info.outShape, geometryOf(info), activation === 'relu', view(out));
  return out;
}

/** The kernel function registered as `Conv2D` on wasm. */
export const conv2dSimd: WasmKernelFunc = (args) => forward(args, false);
/** The kernel function registered as `FusedConv2D` on wasm. */
export const fusedConv2dSimd: WasmKernelFunc = (args) => forward(args, true);
