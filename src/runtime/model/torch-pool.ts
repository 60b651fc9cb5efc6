/**
 * PyTorch's pooling as tfjs layers, for what tfjs's pooling (valid/same only)
 * cannot say: explicit padding, ceil_mode and count_include_pad
 * (`dlcTorchPool`, 1-D and 2-D: max_pool*d / avg_pool*d with an integer
 * padding or ceil_mode) and adaptive pooling (`dlcAdaptivePool2d`).
 * Built from tfjs ops that have gradients on every backend dlc trains on
 * (cpu, wasm): max pooling is tfjs's with explicit padding (never picked, as
 * −∞); average pooling pads zeros, pools 'valid', then multiplies by a
 * constant per-window factor turning tfjs's k·k divisor into PyTorch's (tfjs's
 * own padded average has a gradient that disagrees with its forward); adaptive
 * pooling is a plain pool when the sizes divide, else slices reduced row
 * bins first, then column bins (a bin is a rectangle, so mean of means and
 * max of maxima are exact). The arithmetic is compiler/shared/torch-pool.ts,
 * the one the compiler infers shapes with.
 *
 * Padding never wins a max (PyTorch's rule that a
 * window starts inside the input or the left padding, and padding ≤ half the
 * window, keeps a real value in every window). Both classes are registered
 * with tf.serialization (model.json saved by dlc loads where this module is
 * imported: the runtime, the emitted project).
 */
import * as tf from '@tensorflow/tfjs';
import { adaptiveBins, torchPoolDivisors, torchPoolExtra, torchPoolLength } from '../../compiler/shared/torch-pool.js';

type Kwargs = Record<string, unknown>;
type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];
type Shape = (number | null)[];
type Mode = 'max' | 'avg';

const lastShape = (s: Shape | Shape[]): Shape => (Array.isArray(s[0]) ? (s[0] as Shape) : (s as Shape));
const single = (x: tf.Tensor | tf.Tensor[]): tf.Tensor => (Array.isArray(x) ? x[0] : x);

function pool(x: tf.Tensor4D, mode: Mode, k: [number, number], s: [number, number]): tf.Tensor4D {
  return mode === 'max' ? tf.maxPool(x, k, s, 'valid') : tf.avgPool(x, k, s, 'valid');
}

export interface TorchPoolConfig {
  readonly mode: Mode;
  /** [k] (over steps of [steps, channels]) or [kh, kw] (over [H, W, C]). */
  readonly poolSize: readonly number[];
  readonly strides: readonly number[];
  /** PyTorch's symmetric padding per axis. */
  readonly padding: readonly number[];
  readonly ceilMode: boolean;
  /** Average pooling: whether the padding counts in the divisor (PyTorch's default true). */
  readonly countIncludePad?: boolean;
}

/**
 * PyTorch's MaxPool1d/2d and AvgPool1d/2d (padding, ceil_mode,
 * count_include_pad) on channels-last input.
 */
export class DlcTorchPool extends tf.layers.Layer {
  static className = 'DlcTorchPool';
  private readonly cfg: TorchPoolConfig;

  constructor(args: LayerArgs & TorchPoolConfig) {
    super(args);
    const n = args.poolSize.length;
    if (n !== 1 && n !== 2) throw new Error(`dlcTorchPool: poolSize must have 1 or 2 entries, not ${n}`);
    for (const [key, v] of [['strides', args.strides], ['padding', args.padding]] as const) {
      if (!Array.isArray(v) || v.length !== n) throw new Error(`dlcTorchPool: ${key} must have ${n} entries like poolSize`);
    }
    this.cfg = {
      mode: args.mode === 'avg' ? 'avg' : 'max',
      poolSize: [...args.poolSize],
      strides: [...args.strides],
      padding: [...args.padding],
      ceilMode: args.ceilMode === true,
      ...(args.mode === 'avg' ? { countIncludePad: args.countIncludePad !== false } : {}),
    };
  }

  /** Output lengths of the pooled axes for input lengths `sizes`. */
  private lengths(sizes: readonly number[]): number[] {
    const c = this.cfg;
    return sizes.map((n, i) => torchPoolLength(n, c.poolSize[i], c.strides[i], c.padding[i], c.ceilMode));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = lastShape(inputShape);
    const d = this.cfg.poolSize.length;
    return [s[0], ...this.lengths(s.slice(1, 1 + d) as number[]), ...s.slice(1 + d)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const c = this.cfg;
      const x = single(inputs);
      const oneD = c.poolSize.length === 1;
      // 1-D: [N, T, C] pools as [N, T, 1, C] with a [k, 1] window.
      const x4 = (oneD ? tf.expandDims(x, 2) : x) as tf.Tensor4D;
      const ax = (v: readonly number[], fill: number): [number, number] => (oneD ? [v[0], fill] : [v[0], v[1]]);
      const k = ax(c.poolSize, 1);
      const s = ax(c.strides, 1);
      const p = ax(c.padding, 0);
      const size: [number, number] = [x4.shape[1], x4.shape[2]];
      const out = size.map((n, i) => torchPoolLength(n, k[i], s[i], p[i], c.ceilMode));
      const extra = size.map((n, i) => torchPoolExtra(n, k[i], s[i], p[i], out[i]));
      const pads: [number, number][] = [[0, 0], [p[0], p[0] + extra[0]], [p[1], p[1] + extra[1]], [0, 0]];
      const padded = pads.some(([a, b]) => a + b > 0);
      let y: tf.Tensor4D;
      if (c.mode === 'max') {
        // tfjs's max pool takes explicit padding and never picks it (as −∞; its gradient goes to the arg-max):
        // no pad op, which is slow on wasm.
        y = padded ? tf.maxPool(x4, k, s, pads as tf.backend_util.ExplicitPadding) : pool(x4, 'max', k, s);
      } else {
        // Zeros, then a 'valid' average: tfjs's padded average divides by the real pixels forward but its
        // gradient by kh·kw (AvgPoolGrad), so the padding is made explicit here.
        y = pool(padded ? tf.pad(x4, pads, 0) : x4, 'avg', k, s);
        // tfjs divides by kh·kw; PyTorch by the window clipped to the padded input (or its real part).
        const include = c.countIncludePad !== false;
        const dh = torchPoolDivisors(size[0], k[0], s[0], p[0], out[0], include);
        const dw = torchPoolDivisors(size[1], k[1], s[1], p[1], out[1], include);
        const factor = dh.flatMap((a) => dw.map((b) => (k[0] * k[1]) / (a * b)));
        if (factor.some((f) => f !== 1)) y = tf.mul(y, tf.tensor4d(factor, [1, out[0], out[1], 1]));
      }
      return oneD ? tf.squeeze(y, [2]) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const c = this.cfg;
    return {
      ...super.getConfig(),
      mode: c.mode,
      poolSize: [...c.poolSize],
      strides: [...c.strides],
      padding: [...c.padding],
      ceilMode: c.ceilMode,
      ...(c.countIncludePad === undefined ? {} : { countIncludePad: c.countIncludePad }),
    };
  }
}

/** PyTorch's AdaptiveAvgPool2d / AdaptiveMaxPool2d to [h, w] on [N, H, W, C]. */
export class DlcAdaptivePool2d extends tf.layers.Layer {
  static className = 'DlcAdaptivePool2d';
  private readonly mode: Mode;
  private readonly outputSize: [number, number];

  constructor(args: LayerArgs & { mode: Mode; outputSize: readonly number[] }) {
    super(args);
    this.mode = args.mode === 'avg' ? 'avg' : 'max';
    const o = args.outputSize;
    if (!Array.isArray(o) || o.length !== 2 || !o.every((v) => Number.isInteger(v) && v >= 1)) throw new Error('dlcAdaptivePool2d: outputSize must be [h, w] of positive integers');
    this.outputSize = [o[0], o[1]];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = lastShape(inputShape);
    return [s[0], this.outputSize[0], this.outputSize[1], s[3]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs) as tf.Tensor4D;
      const [, h, w] = x.shape;
      const [oh, ow] = this.outputSize;
      // Even bins: a plain pool (one kernel, fast on wasm).
      if (h % oh === 0 && w % ow === 0) return pool(x, this.mode, [h / oh, w / ow], [h / oh, w / ow]);
      const reduce = (t: tf.Tensor, axis: number) => (this.mode === 'max' ? tf.max(t, axis, true) : tf.mean(t, axis, true));
      const bins = (t: tf.Tensor, axis: 1 | 2, out: number): tf.Tensor =>
        tf.concat(
          adaptiveBins(t.shape[axis] as number, out).map(([a, b]) => {
            const begin = [0, 0, 0, 0];
            const size = [-1, -1, -1, -1];
            begin[axis] = a;
            size[axis] = b - a;
            return reduce(tf.slice(t, begin, size), axis);
          }),
          axis,
        );
      return bins(bins(x, 1, oh), 2, ow);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), mode: this.mode, outputSize: [...this.outputSize] };
  }
}

tf.serialization.registerClass(DlcTorchPool);
tf.serialization.registerClass(DlcAdaptivePool2d);

/** The factories recipes name (`tf.layers`-style: config in, layer out). */
export const dlcTorchPool = (args: Kwargs): tf.layers.Layer => new DlcTorchPool(args as never);
export const dlcAdaptivePool2d = (args: Kwargs): tf.layers.Layer => new DlcAdaptivePool2d(args as never);
