/**
 * A correction of tfjs's `AvgPoolGrad` (cpu and wasm, tfjs 4.22): with
 * padding (`same`, or explicit pads) tfjs's average pooling divides each
 * window by the real pixels under it, but its gradient kernel divides every
 * window by kh·kw, so border pixels get a wrong gradient (3×3, stride 1,
 * `same` on a 3×3 input: 4/9 at a corner instead of 1/4 + 2/6 + 1/9). This is
 * the exact transpose of the forward: each dy value, divided by its window's
 * real-pixel count, is added to the pixels of that window (float64 sums, as
 * tfjs's cpu kernel keeps them). Unpadded pooling (every window full) keeps
 * the original kernel, which is right there (and native on wasm).
 */
import * as tf from '@tensorflow/tfjs';

type Info = tf.TensorInfo;
type KernelArgs = { inputs: Record<string, Info>; backend: unknown; attrs: Record<string, unknown> };
type KernelFn = (args: KernelArgs) => Info;

/** The forward pass's geometry of an AvgPoolGrad call. */
export function avgPoolGradInfo(xShape: readonly number[], attrs: Record<string, unknown>): tf.backend_util.Conv2DInfo {
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.AvgPoolGradAttrs & { dimRoundingMode?: 'floor' | 'round' | 'ceil' };
  return tf.backend_util.computePool2DInfo(xShape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
}

/** Whether some window reaches into padding (only then does tfjs's gradient go wrong). */
export function avgPoolIsPadded(info: tf.backend_util.Conv2DInfo): boolean {
  const { top, left } = info.padInfo;
  return top > 0 || left > 0 || (info.outHeight - 1) * info.strideHeight + info.filterHeight > info.inHeight || (info.outWidth - 1) * info.strideWidth + info.filterWidth > info.inWidth;
}

/** dx (x's shape, NHWC) of tfjs's average pooling with geometry `info`, from dy. */
export function avgPoolGradValues(dy: ArrayLike<number>, info: tf.backend_util.Conv2DInfo): Float32Array {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: ho, outWidth: wo, strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
  const acc = new Float64Array(n * h * w * c);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ho; oy++) {
      const r0 = Math.max(0, oy * sh - top);
      const r1 = Math.min(h, oy * sh - top + fh);
      for (let ox = 0; ox < wo; ox++) {
        const c0 = Math.max(0, ox * sw - left);
        const c1 = Math.min(w, ox * sw - left + fw);
        const count = (r1 - r0) * (c1 - c0);
        if (count <= 0) continue;
        const dyBase = ((b * ho + oy) * wo + ox) * c;
        for (let r = r0; r < r1; r++) {
          for (let col = c0; col < c1; col++) {
            const base = ((b * h + r) * w + col) * c;
            for (let ch = 0; ch < c; ch++) acc[base + ch] += dy[dyBase + ch] / count;
          }
        }
      }
    }
  }
  return Float32Array.from(acc);
}

interface CpuBackend {
  data: { get(id: tf.DataId): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): Info;
}

interface WasmBackend {
  typedArrayFromHeap(t: Info): ArrayLike<number> & { set(a: ArrayLike<number>): void };
  makeOutput(shape: number[], dtype: tf.DataType): Info;
}

/** The corrected kernel for `backendName`, delegating unpadded calls to `original`. */
export function correctedAvgPoolGrad(backendName: 'cpu' | 'wasm', original: KernelFn): KernelFn {
  return (args) => {
    const { dy, input } = args.inputs;
    const info = avgPoolGradInfo(input.shape, args.attrs);
    if (!avgPoolIsPadded(info)) return original(args);
    if (backendName === 'cpu') {
      const cpu = args.backend as CpuBackend;
      return cpu.makeTensorInfo([...input.shape], 'float32', avgPoolGradValues(cpu.data.get(dy.dataId).values, info));
    }
    const wasm = args.backend as WasmBackend;
    const values = avgPoolGradValues(wasm.typedArrayFromHeap(dy), info);
    // After computing: allocating may grow the heap and detach earlier views.
    const out = wasm.makeOutput([...input.shape], 'float32');
    wasm.typedArrayFromHeap(out).set(values);
    return out;
  };
}

const done = new Set<string>();

/** Replaces `AvgPoolGrad` on `backendName` by the corrected kernel (once; the backend must exist). */
export function registerAvgPoolGradFix(backendName: 'cpu' | 'wasm'): boolean {
  if (done.has(backendName)) return true;
  const config = tf.getKernel('AvgPoolGrad', backendName);
  if (config === undefined) return false;
  const fixed = correctedAvgPoolGrad(backendName, config.kernelFunc as unknown as KernelFn);
  tf.unregisterKernel('AvgPoolGrad', backendName);
  tf.registerKernel({ kernelName: 'AvgPoolGrad', backendName, kernelFunc: fixed as unknown as tf.KernelFunc });
  done.add(backendName);
  return true;
}
