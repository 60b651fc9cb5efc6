/**
 * Shape helpers shared by the op modules: rank checks, sliding-window sizes
 * (Keras/TF rules) and element counts (shapes are written with
 * compiler/shared/format.ts).
 */
import type { Padding } from '../spec.js';
import { fail, type Shape } from './op-def.js';
import { shapeText } from '../shared/format.js';

/** Number of elements of a per-sample shape. */
export function product(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

const RANK_NAMES: Record<number, string> = { 1: '[features]', 3: '[height, width, channels]' };

/** Throws DLC113 unless `x` has `rank` axes. */
export function needRank(op: string, x: Shape, rank: number): void {
  if (x.length === rank) return;
  const hint =
    rank === 1
      ? 'add a flatten (or global_avg_pool2d) layer before it'
      : x.length === 1
        ? 'it follows a flatten or dense layer; move it before them, or reshape back to [height, width, channels]'
        : 'reshape the input to [height, width, channels]';
  fail('DLC113', `${op} needs an input of shape ${RANK_NAMES[rank]}, but its input is ${shapeText(x)} (rank ${x.length})`, hint);
}

/** Output length of a sliding window along one axis (Keras/TF rules). */
export function windowOutput(size: number, kernel: number, stride: number, dilation: number, padding: Padding): number {
  if (padding === 'same') return Math.ceil(size / stride);
  const effective = dilation * (kernel - 1) + 1;
  return Math.floor((size - effective) / stride) + 1;
}

/** A 2-D sliding window. */
export interface Window {
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly dilation: readonly [number, number];
  /** An integer pads that many zeros on every side, then slides 'valid'. */
  readonly padding: Padding | number;
}

/** Spatial output [Ho, Wo] of a window op on an [H, W, C] input; throws DLC106 when it would be empty. */
export function spatial(op: string, x: Shape, w: Window): readonly [number, number] {
  const pad = typeof w.padding === 'number' ? w.padding : 0;
  const mode: Padding = typeof w.padding === 'number' ? 'valid' : w.padding;
  const h = x[0] + 2 * pad;
  const wd = x[1] + 2 * pad;
  const ho = windowOutput(h, w.kernel[0], w.strides[0], w.dilation[0], mode);
  const wo = windowOutput(wd, w.kernel[1], w.strides[1], w.dilation[1], mode);
  if (ho > 0 && wo > 0) return [ho, wo];
  const win = w.kernel.join('×') + (w.dilation[0] > 1 || w.dilation[1] > 1 ? ` (dilation ${w.dilation.join('×')})` : '');
  const padded = pad > 0 ? ` (${h}×${wd} after zero padding)` : '';
  return fail(
    'DLC106',
    `${op} with a ${win} window, stride ${w.strides.join('×')} and ${typeof w.padding === 'number' ? `${w.padding}-pixel` : w.padding} padding on a ${shapeText(x)} input${padded} gives a ${ho}×${wo} output`,
    x[0] <= 1 || x[1] <= 1
      ? 'the input is already too small: remove a pooling or strided layer earlier in the model'
      : `use padding: same, a smaller window, or fewer pooling/strided layers before it`,
  );
}
