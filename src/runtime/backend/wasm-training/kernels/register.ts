/**
 * Registers dlc's training kernels on tfjs's `wasm` backend.
 *
 * Missing upstream (needed to train any conv net): `Conv2DBackpropFilter`,
 * `DepthwiseConv2dNativeBackpropFilter`, `DepthwiseConv2dNativeBackpropInput`.
 * Missing upstream, needed to train an embedding layer: `UnsortedSegmentSum`
 * (Gather's gradient). dlc's own kernel names: `DlcBatchNormApply` and
 * `DlcBatchNormInputGrad` (fused batch norm in training, batch-norm.ts).
 * Replaced for speed: `Conv2DBackpropInput` (forward conv on XNNPACK instead
 * of the backend's plain loop), `MaxPoolGrad`, `Sum` (leading axes),
 * `Identity` (shares data instead of copying), `Tile` (block copies),
 * `BatchMatMul` with transposed operands (transposes first, then XNNPACK)
 * and `Conv2D` / `FusedConv2D` (dlc's SIMD GEMM where chooseConvForm says
 * it beats XNNPACK). The replacements keep the
 * original kernel and can be switched off at run time
 * (`setWasmSpeedKernels(false)`), which the benchmark uses to compare.
 */
import * as tf from '@tensorflow/tfjs';
import { batchMatMulTransposed, setOriginalBatchMatMul } from './batch-mat-mul.js';
import type { WasmKernelFunc } from './compose.js';
import { BATCH_NORM_APPLY, BATCH_NORM_INPUT_GRAD, batchNormApply, batchNormInputGrad } from './batch-norm.js';
import { conv2dBackpropFilter } from './conv2d-backprop-filter.js';
import { conv2dBackpropInput, setOriginalConv2dBackpropInput } from './conv2d-backprop-input.js';
import { conv2dSimd, fusedConv2dSimd, setOriginalConv2D, setOriginalFusedConv2D } from './conv2d-forward.js';
import { depthwiseBackpropFilter, depthwiseBackpropInput } from './depthwise-backprop.js';
import { identityShared, setOriginalIdentity } from './identity.js';
import { maxPoolGrad } from './max-pool-grad.js';
import { setOriginalSum, sumLeading } from './sum.js';
import { setOriginalTile, tileBlocks } from './tile.js';
import { unsortedSegmentSum } from './unsorted-segment-sum.js';

const BACKEND = 'wasm';

/** Kernels wasm lacks: registered only if absent (a future tfjs may ship its own). */
const MISSING: ReadonlyArray<[string, WasmKernelFunc]> = [
  ['Conv2DBackpropFilter', conv2dBackpropFilter],
  ['DepthwiseConv2dNativeBackpropFilter', depthwiseBackpropFilter],
  ['DepthwiseConv2dNativeBackpropInput', depthwiseBackpropInput],
  // Gather's gradient (embedding layers).
  ['UnsortedSegmentSum', unsortedSegmentSum],
  // dlc's own: fused batch norm in training (model/sync-batch-norm.ts; DLC_WASM_FUSED_BN=0 / setWasmFusedBatchNorm turn its use off).
  [BATCH_NORM_APPLY, batchNormApply],
  [BATCH_NORM_INPUT_GRAD, batchNormInputGrad],
];

/** Kernels wasm has but slowly: replaced, original kept for the switch. */
const FASTER: ReadonlyArray<[string, WasmKernelFunc]> = [
  ['Conv2DBackpropInput', conv2dBackpropInput],
  ['MaxPoolGrad', maxPoolGrad],
  ['Sum', sumLeading],
  ['Identity', identityShared],
  ['Tile', tileBlocks],
  ['BatchMatMul', batchMatMulTransposed],
  ['Conv2D', conv2dSimd],
  ['FusedConv2D', fusedConv2dSimd],
];

const originals = new Map<string, WasmKernelFunc>();
let registered = false;
let speedKernels = true;

/** What registration did, for logs and tests. */
export interface WasmKernelRegistration {
  /** Kernels added because wasm lacked them. */
  readonly added: readonly string[];
  /** Kernels replaced by faster ones (switchable). */
  readonly replaced: readonly string[];
}

let result: WasmKernelRegistration = { added: [], replaced: [] };

/**
 * Registers the training kernels on `wasm`, once (later calls return the
 * first result). Call it after `tf.setBackend('wasm')` has resolved: the
 * replaced kernels' wasm functions are bound when the backend initialises,
 * and the originals stay callable for the cases and switch that use them.
 */
export function registerWasmTrainingKernels(): WasmKernelRegistration {
  if (registered) return result;
  if (tf.findBackend(BACKEND) === null) {
    throw new Error("registerWasmTrainingKernels: initialise the wasm backend first (await tf.setBackend('wasm'))");
  }
  const added: string[] = [];
  const replaced: string[] = [];
  for (const [name, fn] of MISSING) {
    if (tf.getKernel(name, BACKEND) !== undefined) continue;
    tf.registerKernel({ kernelName: name, backendName: BACKEND, kernelFunc: fn as unknown as tf.KernelFunc });
    added.push(name);
  }
  for (const [name, fn] of FASTER) {
    const config = tf.getKernel(name, BACKEND);
    if (config === undefined) continue;
    const original = config.kernelFunc as unknown as WasmKernelFunc;
    originals.set(name, original);
    if (name === 'Conv2DBackpropInput') setOriginalConv2dBackpropInput(original);
    if (name === 'Sum') setOriginalSum(original);
    if (name === 'Identity') setOriginalIdentity(original);
    if (name === 'Tile') setOriginalTile(original);
    if (name === 'BatchMatMul') setOriginalBatchMatMul(original);
    if (name === 'Conv2D') setOriginalConv2D(original);
    if (name === 'FusedConv2D') setOriginalFusedConv2D(original);
    const switchable: WasmKernelFunc = (args) => (speedKernels ? fn(args) : original(args));
    tf.unregisterKernel(name, BACKEND);
    tf.registerKernel({ kernelName: name, backendName: BACKEND, kernelFunc: switchable as unknown as tf.KernelFunc });
    replaced.push(name);
  }
  registered = true;
  result = { added, replaced };
  return result;
}

/**
 * Switches the replaced kernels (`Conv2DBackpropInput`, `MaxPoolGrad`, `Sum`, `Identity`, `Tile`, `BatchMatMul`, `Conv2D`, `FusedConv2D`)
 * between dlc's and the backend's originals. On by default. For benchmarks
 * and for bisecting a suspected kernel bug.
 */
export function setWasmSpeedKernels(enabled: boolean): void {
  speedKernels = enabled;
}

/** Whether dlc's faster kernels are in use (see setWasmSpeedKernels). */
export function wasmSpeedKernelsEnabled(): boolean {
  return speedKernels;
}
