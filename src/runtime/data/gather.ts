/**
 * Building one batch as plain arrays: gather the batch's samples, turn the
 * stored inputs into what the model reads (image bytes scaled by their
 * set's divisor into float32; float32 features and int32 token ids as they
 * are), make the targets (one-hot classes, or the multi-label / real rows),
 * and hand image batches to the transforms (transforms/host.ts).
 *
 * Like host.ts, every function here uses only its arguments (no imports, no
 * module constants): batch-worker.ts ships their source text to a worker
 * thread. The transforms arrive through `lib` for the same reason.
 */
import type { TransformSpec } from '../../compiler/spec.js';
import type { hostTransforms } from '../transforms/host.js';

/** The seeded randomness and the transform function a batch needs (passed in so this file has no imports). */
export interface GatherLib {
  rngFor(...parts: number[]): () => number;
  readonly augmentStream: number;
  readonly hostTransforms: typeof hostTransforms;
}

/** The set's arrays a batch reads (sent to the worker once). */
export interface GatherSource {
  readonly inputs: Uint8Array | Float32Array | Int32Array;
  readonly dtype: 'uint8' | 'float32' | 'int32';
  /** uint8 inputs: fed as float32 value / divisor. */
  readonly divisor: number;
  /** Per-sample input shape. */
  readonly shape: readonly number[];
  readonly targetKind: 'class' | 'multi_label' | 'real';
  /** Class index per sample (class targets). */
  readonly labels: Int32Array;
  /** count × width values (multi-label and real targets). */
  readonly targets: Float32Array | undefined;
}

/** One batch's part of the work, serialisable to a worker. */
export interface GatherJob {
  /** Sample indices of this batch, in order. */
  readonly indices: Int32Array;
  /** Target values per sample: the class count for class targets, else the target width. */
  readonly width: number;
  readonly transforms: readonly TransformSpec[];
  readonly training: boolean;
  readonly seed: number;
  readonly epoch: number;
  readonly batch: number;
}

/** A batch as plain arrays. */
export interface GatheredBatch {
  /** float32 (or int32 token ids), shape [n, ...sample shape after the transforms]. */
  readonly xs: Float32Array | Int32Array;
  readonly shape: number[];
  /** Class targets: the class index of each sample; otherwise empty. */
  readonly labels: Int32Array;
  /** float32 [n, width]. */
  readonly ys: Float32Array;
}

/** Gathers the job's samples and targets from `src`, then applies the transforms (image batches only). */
export function gatherBatch(src: GatherSource, job: GatherJob, lib: GatherLib): GatheredBatch {
  let per = 1;
  for (let d = 0; d < src.shape.length; d++) per *= src.shape[d];
  const n = job.indices.length;
  const width = job.width;
  let xs: Float32Array | Int32Array;
  if (src.dtype === 'uint8') {
    // One table lookup per byte: exactly value / divisor as float32 (v / 255 for images).
    const table = new Float32Array(256);
    for (let v = 0; v < 256; v++) table[v] = v / src.divisor;
    const bytes = src.inputs as Uint8Array;
    const out = new Float32Array(n * per);
    for (let i = 0; i < n; i++) {
      const from = job.indices[i] * per;
      const to = i * per;
      for (let k = 0; k < per; k++) out[to + k] = table[bytes[from + k]];
    }
    xs = out;
  } else {
    const out = src.dtype === 'int32' ? new Int32Array(n * per) : new Float32Array(n * per);
    for (let i = 0; i < n; i++) {
      const from = job.indices[i] * per;
      out.set(src.inputs.subarray(from, from + per), i * per);
    }
    xs = out;
  }
  const isClass = src.targetKind === 'class';
  const labels = new Int32Array(isClass ? n : 0);
  const ys = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    const j = job.indices[i];
    if (isClass) {
      const l = src.labels[j];
      if (!(l >= 0 && l < width)) throw new RangeError('label ' + l + ' of sample ' + j + ' is outside 0..' + (width - 1) + ' (numClasses ' + width + ')');
      labels[i] = l;
      ys[i * width + l] = 1;
    } else {
      ys.set((src.targets as Float32Array).subarray(j * width, (j + 1) * width), i * width);
    }
  }
  const shape = [n];
  for (let d = 0; d < src.shape.length; d++) shape.push(src.shape[d]);
  if (job.transforms.length === 0) return { xs, shape, labels, ys };
  if (!(xs instanceof Float32Array) || src.shape.length !== 3) throw new Error('transforms apply to [h, w, c] images; these inputs are ' + src.dtype + ' [' + src.shape.join(', ') + ']');
  const out = lib.hostTransforms(xs, [n, src.shape[0], src.shape[1], src.shape[2]], job.transforms, job, lib);
  return { xs: out.pixels, shape: out.shape, labels, ys };
}
