/**
 * Composing wasm kernels out of other wasm kernels.
 *
 * A kernel function receives `{inputs, backend, attrs}` and returns a
 * TensorInfo the engine then wraps in a tensor. Inside a kernel we must not
 * call tf ops (that would re-enter the engine, be recorded on a gradient tape
 * and count as user tensors); instead we call the backend's own kernel
 * functions directly, as tfjs's backends do internally, and free every
 * intermediate TensorInfo ourselves with `backend.disposeData` (which
 * decrements the data's reference count: a Reshape result shares its input's
 * data and holds one reference of its own).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type Info = tf.TensorInfo;
export type Attrs = Record<string, unknown>;
/** The kernel function signature every kernel in this folder implements. */
export type WasmKernelFunc = (args: { inputs: Record<string, Info>; backend: BackendWasm; attrs: Attrs }) => Info;

/**
 * Runs backend kernels and remembers every result, so that `finish(result)`
 * frees all intermediates except the one handed back to the engine.
 */
export class KernelScope {
  private readonly made: Info[] = [];

  constructor(readonly backend: BackendWasm) {}

  /** Runs the kernel currently registered as `kernelName` on wasm. */
  run(kernelName: string, inputs: Record<string, Info>, attrs: Attrs = {}): Info {
    const config = tf.getKernel(kernelName, 'wasm');
    if (config === undefined) throw new Error(`dlc wasm kernels: kernel '${kernelName}' is not registered on wasm`);
    return this.call(config.kernelFunc as unknown as WasmKernelFunc, inputs, attrs);
  }

  /** Runs a given kernel function (e.g. an original kernel we replaced). */
  call(fn: WasmKernelFunc, inputs: Record<string, Info>, attrs: Attrs = {}): Info {
    const out = fn({ inputs, backend: this.backend, attrs });
    this.made.push(out);
    return out;
  }

  /** A float32 output tensor of `shape` that this scope owns, zero-filled. */
  zeros(shape: number[]): Info {
    const out = this.backend.makeOutput(shape, 'float32');
    this.made.push(out);
    (this.backend.typedArrayFromHeap(out) as Float32Array).fill(0);
    return out;
  }

  /** A float32 output tensor of `shape` that this scope owns, uninitialised (the caller fills all of it). */
  alloc(shape: number[]): Info {
    const out = this.backend.makeOutput(shape, 'float32');
    this.made.push(out);
    return out;
  }

  /** Frees every intermediate except `result`, which the caller returns to the engine. */
  finish(result: Info): Info {
    for (const t of this.made) if (t !== result) this.backend.disposeData(t.dataId);
    this.made.length = 0;
    return result;
  }

  /** Frees everything (on error). */
  disposeAll(): void {
    for (const t of this.made) this.backend.disposeData(t.dataId);
    this.made.length = 0;
  }
}

/** Runs `body` in a fresh scope; frees intermediates whether it returns or throws. */
export function withScope(backend: BackendWasm, body: (s: KernelScope) => Info): Info {
  const scope = new KernelScope(backend);
  try {
    return scope.finish(body(scope));
  } catch (e) {
    scope.disposeAll();
    throw e;
  }
}

/** Explicit NHWC padding in the form the Conv2D kernels accept. */
export function explicitPad(top: number, bottom: number, left: number, right: number): number[][] {
  return [[0, 0], [top, bottom], [left, right], [0, 0]];
}

/**
 * Runs a stride-1 (de)convolution whose ideal padding may be negative on
 * some side: negative padding is applied as a crop of the result instead,
 * since XNNPACK only pads. `conv(pad)` runs the convolution with the given
 * non-negative explicit padding; `outH`/`outW` are the wanted output sizes.
 */
export function convWithSignedPad(
  s: KernelScope,
  pads: { top: number; bottom: number; left: number; right: number },
  outH: number,
  outW: number,
  conv: (pad: number[][]) => Info,
): Info {
  const top = Math.max(pads.top, 0);
  const left = Math.max(pads.left, 0);
  const y = conv(explicitPad(top, Math.max(pads.bottom, 0), left, Math.max(pads.right, 0)));
  const offH = top - pads.top;
  const offW = left - pads.left;
  if (offH === 0 && offW === 0 && y.shape[1] === outH && y.shape[2] === outW) return y;
  return s.run('Slice', { x: y }, { begin: [0, offH, offW, 0], size: [y.shape[0], outH, outW, y.shape[3]] });
}

/**
 * Reverses a filter [kh, kw, ...rest] in both spatial axes. Reversing a and b
 * together is reversing the flat tap index a·kw + b, so this is a copy of
 * kh·kw contiguous blocks in reverse order (the backend's Reverse kernel is
 * an element-wise loop about five times slower than a transpose).
 */
export function reverseTaps(s: KernelScope, filter: Info): Info {
  const [kh, kw] = filter.shape;
  const block = filter.shape.slice(2).reduce((a, b) => a * b, 1);
  const taps = kh * kw;
  const out = s.alloc(filter.shape.slice());
  const src = s.backend.typedArrayFromHeap(filter) as Float32Array;
  const dst = s.backend.typedArrayFromHeap(out) as Float32Array;
  for (let t = 0; t < taps; t++) dst.set(src.subarray(t * block, (t + 1) * block), (taps - 1 - t) * block);
  return out;
}

/**
 * Inserts (stride-1) zeros between the rows and columns of an NHWC tensor:
 * [N,H,W,C] → [N,(H-1)*sh+1,(W-1)*sw+1,C], or into a larger zero canvas of
 * `outH`×`outW`. Turns a strided transposed convolution into a stride-1
 * one. A plain copy loop over the wasm heap.
 */
export function zeroInsert(s: KernelScope, x: Info, sh: number, sw: number, outH?: number, outW?: number): Info {
  const [n, h, w, c] = x.shape;
  const hu = outH ?? (h - 1) * sh + 1;
  const wu = outW ?? (w - 1) * sw + 1;
  if (sh === 1 && sw === 1 && hu === h && wu === w) return x;
  const out = s.zeros([n, hu, wu, c]);
  // Views are taken after allocation: allocating may grow (and detach) the heap.
  const src = s.backend.typedArrayFromHeap(x) as Float32Array;
  const dst = s.backend.typedArrayFromHeap(out) as Float32Array;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h && i * sh < hu; i++) {
      for (let j = 0; j < w && j * sw < wu; j++) {
        const from = ((b * h + i) * w + j) * c;
        const to = ((b * hu + i * sh) * wu + j * sw) * c;
        dst.set(src.subarray(from, from + c), to);
      }
    }
  }
  return out;
}
