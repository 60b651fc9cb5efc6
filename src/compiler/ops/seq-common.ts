/**
 * What the sequence kinds (conv1d, the 1-D pools, lstm, gru, bidirectional,
 * attention) share: per-sample sequence shapes are [steps, channels] (the
 * batch axis is never written), token ids are [steps].
 */
import { shapeText } from '../shared/format.js';
import { fail, type Shape } from './op-def.js';

/** Throws DLC113 unless `x` is a sequence [steps, channels]. */
export function needSeq(op: string, x: Shape): void {
  if (x.length === 2) return;
  const hint =
    x.length === 1
      ? 'a [steps] input is token ids: put an embedding layer first (or reshape to [steps, 1])'
      : x.length === 3
        ? 'this is an image-shaped input: use the 2-D kind, or reshape to [steps, channels]'
        : 'reshape the input to [steps, channels]';
  fail('DLC113', `${op} needs an input of shape [steps, channels], but its input is ${shapeText(x)} (rank ${x.length})`, hint);
}

/** Output length of a 1-D window (Keras/TF rules); throws DLC106 when it would be empty. */
export function window1d(op: string, steps: number, kernel: number, stride: number, dilation: number, padding: 'same' | 'valid'): number {
  const out = padding === 'same' ? Math.ceil(steps / stride) : Math.floor((steps - (dilation * (kernel - 1) + 1)) / stride) + 1;
  if (out > 0) return out;
  return fail(
    'DLC106',
    `${op} with a window of ${kernel}${dilation > 1 ? ` (dilation ${dilation})` : ''}, stride ${stride} and ${padding} padding on ${steps} steps gives ${out} steps`,
    'use padding: same, a smaller window, or fewer pooling/strided layers before it',
  );
}
