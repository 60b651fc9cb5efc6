/**
 * `MaxPoolGrad` for the wasm backend: one pass over the pooling windows on
 * the wasm heap that routes each dy value to its window's arg-max.
 *
 * It reproduces the `cpu` backend's kernel exactly, ties included: the
 * arg-max is the first maximum in row-major window order (strict `>`
 * starting from -Infinity, so a window of NaN/-Infinity gets no gradient),
 * and where windows overlap the contributions are summed in float64 in
 * increasing window order before rounding to float32, as `cpu` does.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmKernelFunc } from './compose.js';

/**
 * The common case (2×2 pool, stride 2, no padding): windows lie inside x and
 * never overlap, so each dx element receives at most one dy value and no
 * bounds checks are needed.
 */
function tilingGrad(
  xs: Float32Array,
  dys: Float32Array,
  dx: Float32Array,
  [n, h, w, c]: number[],
  [ho, wo]: number[],
  [fh, fw]: number[],
  [sh, sw]: number[],
): void {
  dx.fill(0);
  const rowStride = w * c;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        const corner = ((b * h + oy * sh) * w + ox * sw) * c;
        const dyBase = ((b * ho + oy) * wo + ox) * c;
        for (let ch = 0; ch < c; ch++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let r = 0, rowAt = corner + ch; r < fh; r++, rowAt += rowStride) {
            for (let col = 0, i = rowAt; col < fw; col++, i += c) {
              const v = xs[i];
              if (v > best) {
                best = v;
                at = i;
              }
            }
          }
          if (at >= 0) dx[at] = dys[dyBase + ch];
        }
      }
    }
  }
}

/** The kernel function registered as `MaxPoolGrad` on wasm. */
export const maxPoolGrad: WasmKernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input: x } = inputs;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const out = backend.makeOutput(x.shape, 'float32');
  // Views after allocation: allocating may grow the heap and detach older views.
  const xs = backend.typedArrayFromHeap(x) as Float32Array;
  const dys = backend.typedArrayFromHeap(dy) as Float32Array;
  const dx = backend.typedArrayFromHeap(out) as Float32Array;
  const [n, h, w, c] = x.shape;
  const { outHeight: ho, outWidth: wo, strideHeight: sh, strideWidth: sw } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw, dilationHeight: dh, dilationWidth: dw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const nonOverlapping = sh >= fh && sw >= fw;
  if (nonOverlapping && top === 0 && left === 0 && (ho - 1) * sh + fh <= h && (wo - 1) * sw + fw <= w) {
    tilingGrad(xs, dys, dx, [n, h, w, c], [ho, wo], [fh, fw], [sh, sw]);
    return out;
  }
  // Overlapping windows may add several dy values to one dx: accumulate in float64 like cpu.
  const acc = nonOverlapping ? dx : new Float64Array(dx.length);
  acc.fill(0);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ho; oy++) {
      const r0 = oy * sh - top;
      let rMin = r0;
      while (rMin < 0) rMin += dh;
      const rMax = Math.min(h, r0 + fh);
      for (let ox = 0; ox < wo; ox++) {
        const c0 = ox * sw - left;
        let cMin = c0;
        while (cMin < 0) cMin += dw;
        const cMax = Math.min(w, c0 + fw);
        const dyBase = ((b * ho + oy) * wo + ox) * c;
        for (let ch = 0; ch < c; ch++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let r = rMin; r < rMax; r += dh) {
            for (let col = cMin; col < cMax; col += dw) {
              const i = ((b * h + r) * w + col) * c + ch;
              const v = xs[i];
              if (v > best) {
                best = v;
                at = i;
              }
            }
          }
          if (at >= 0) acc[at] += dys[dyBase + ch];
        }
      }
    }
  }
  if (acc !== dx) dx.set(acc);
  return out;
};
