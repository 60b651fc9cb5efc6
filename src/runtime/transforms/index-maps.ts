/**
 * Per-sample geometric augmentations as index maps: for every output pixel
 * of every sample, the flat index of the input pixel it copies (or `zero`,
 * the index of an all-zero row, for pixels that come from outside the
 * image). Built in plain JS from seeded parameters, applied with a single
 * tf.gather — exact, identical on every backend, and one kernel per
 * transform however different the samples' parameters are.
 */
import type { Rng } from '../data/random.js';
import { cropParams, cutoutParams, flipParams, rotateParams, translateParams } from './host.js';

/** An index map for a batch: out[i] = flatIn[map[i]]; shape of the result. */
export interface IndexMap {
  readonly map: Int32Array;
  readonly outH: number;
  readonly outW: number;
}

type SampleFn = (y: number, x: number) => [number, number];

/** Builds a map from a per-sample function giving the source (y, x) of each output (y, x). */
function build(n: number, h: number, w: number, outH: number, outW: number, perSample: (s: number) => SampleFn): IndexMap {
  const zero = n * h * w;
  const map = new Int32Array(n * outH * outW);
  let o = 0;
  for (let s = 0; s < n; s++) {
    const f = perSample(s);
    for (let y = 0; y < outH; y++) {
      for (let x = 0; x < outW; x++) {
        const [sy, sx] = f(y, x);
        map[o++] = sy >= 0 && sy < h && sx >= 0 && sx < w ? (s * h + sy) * w + sx : zero;
      }
    }
  }
  return { map, outH, outW };
}

/** Horizontal and/or vertical flips, each with probability 1/2 per sample. */
export function flipMap(n: number, h: number, w: number, mode: 'horizontal' | 'vertical' | 'both', rng: Rng): IndexMap {
  const flips = flipParams(n, mode, rng);
  return build(n, h, w, h, w, (s) => {
    const [fh, fv] = [flips[2 * s], flips[2 * s + 1]];
    return (y, x) => [fv ? h - 1 - y : y, fh ? w - 1 - x : x];
  });
}

/**
 * Zero-pad by `padding` on every side, then cut a size×size window at a
 * random offset per sample (torchvision RandomCrop(size, padding)). With
 * `center`, the window is centred instead (what eval uses).
 */
export function cropMap(n: number, h: number, w: number, size: number, padding: number, rng: Rng | 'center'): IndexMap {
  const offsets = cropParams(n, h, w, size, padding, rng === 'center' ? null : rng);
  return build(n, h, w, size, size, (s) => {
    const [oy, ox] = [offsets[2 * s], offsets[2 * s + 1]];
    return (y, x) => [y + oy - padding, x + ox - padding];
  });
}

/** Shift each sample by integers in [-max, max] on each axis; vacated pixels become 0. */
export function translateMap(n: number, h: number, w: number, max: number, rng: Rng): IndexMap {
  const shifts = translateParams(n, max, rng);
  return build(n, h, w, h, w, (s) => {
    const [dy, dx] = [shifts[2 * s], shifts[2 * s + 1]];
    return (y, x) => [y - dy, x - dx];
  });
}

/**
 * Rotate each sample about its centre by an angle uniform in [-degrees,
 * degrees], nearest-neighbour, corners filled with 0 (torchvision
 * RandomRotation's defaults).
 */
export function rotateMap(n: number, h: number, w: number, degrees: number, rng: Rng): IndexMap {
  const angles = rotateParams(n, degrees, rng);
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  return build(n, h, w, h, w, (s) => {
    const cos = Math.cos(angles[s]);
    const sin = Math.sin(angles[s]);
    // Inverse mapping: the source of output (y, x) is the output point rotated back.
    return (y, x) => {
      const dy = y - cy;
      const dx = x - cx;
      return [Math.round(cy + dy * cos - dx * sin), Math.round(cx + dy * sin + dx * cos)];
    };
  });
}

/** A [n, h, w] multiplicative mask with one size×size square of zeros per sample (centre uniform over the image, clipped at edges). */
export function cutoutMask(n: number, h: number, w: number, size: number, rng: Rng): Float32Array {
  const mask = new Float32Array(n * h * w).fill(1);
  const rects = cutoutParams(n, h, w, size, rng);
  for (let s = 0; s < n; s++) {
    const [y0, x0, y1, x1] = [rects[4 * s], rects[4 * s + 1], rects[4 * s + 2], rects[4 * s + 3]];
    for (let y = y0; y < y1; y++) mask.fill(0, (s * h + y) * w + x0, (s * h + y) * w + x1);
  }
  return mask;
}
