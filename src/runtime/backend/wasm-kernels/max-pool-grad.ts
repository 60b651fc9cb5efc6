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
 * bounds checks are needed. When the windows tile x exactly, every dx
 * element is written once (the arg-max gets dy, the rest 0), so dx needs no
 * separate zero-fill pass.
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
  const exact = fh === sh && fw === sw && ho * sh === h && wo * sw === w;
  if (exact && fh === 2 && fw === 2) {
    tile2x2(xs, dys, dx, n, h, w, c);
    return;
  }
  if (!exact) dx.fill(0);
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
              if (exact) dx[i] = 0;
            }
          }
          if (at >= 0) dx[at] = dys[dyBase + ch] + 0; // -0 → 0, as cpu's 0 + dy
        }
      }
    }
  }
}

/** tilingGrad unrolled for 2×2 windows tiling x exactly (the ConvNet's pools). */
function tile2x2(xs: Float32Array, dys: Float32Array, dx: Float32Array, n: number, h: number, w: number, c: number): void {
  const ho = h >> 1;
  const wo = w >> 1;
  const rowStride = w * c;
  let dyAt = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        const p0 = ((b * h + 2 * oy) * w + 2 * ox) * c;
        const p1 = p0 + c;
        const p2 = p0 + rowStride;
        const p3 = p2 + c;
        for (let ch = 0; ch < c; ch++, dyAt++) {
          // First maximum in row-major order, strict > from -Infinity (as cpu).
          let best = Number.NEGATIVE_INFINITY;
          let k = -1;
          const v0 = xs[p0 + ch];
          const v1 = xs[p1 + ch];
          const v2 = xs[p2 + ch];
          const v3 = xs[p3 + ch];
          if (v0 > best) { best = v0; k = 0; }
          if (v1 > best) { best = v1; k = 1; }
          if (v2 > best) { best = v2; k = 2; }
          if (v3 > best) k = 3;
          const g = dys[dyAt] + 0; // + 0 turns -0 into 0, as cpu's 0 + dy does
          dx[p0 + ch] = k === 0 ? g : 0;
          dx[p1 + ch] = k === 1 ? g : 0;
          dx[p2 + ch] = k === 2 ? g : 0;
          dx[p3 + ch] = k === 3 ? g : 0;
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
