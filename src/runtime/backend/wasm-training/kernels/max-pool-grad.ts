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

/**
 * One 2×2 window at `i` (top-left element of channel), exactly as cpu: the
 * first maximum in row-major order by strict `>` from -Infinity, so NaN never
 * wins and a window of NaN/-Infinity gets nothing. dx must already be 0 there.
 */
function window2x2(xs: Float32Array, dx: Float32Array, i: number, c: number, rowStride: number, g: number): void {
  let best = Number.NEGATIVE_INFINITY;
  let at = -1;
  const v0 = xs[i];
  const v1 = xs[i + c];
  const v2 = xs[i + rowStride];
  const v3 = xs[i + rowStride + c];
  if (v0 > best) { best = v0; at = i; }
  if (v1 > best) { best = v1; at = i + c; }
  if (v2 > best) { best = v2; at = i + rowStride; }
  if (v3 > best) at = i + rowStride + c;
  if (at >= 0) dx[at] = g;
}

/**
 * tilingGrad for 2×2 windows tiling x exactly (the ConvNet's pools), two
 * channels per iteration.
 *
 * On real data a compare-and-branch arg-max mispredicts about once per
 * window, so the winner comes from comparisons combined as bits instead:
 * with no NaN and no -Infinity in the window, the first maximum of
 * (v0, v1 / v2, v3) is in the second row iff a second-row value is strictly
 * greater than both first-row ones (u), and within the winning row it is the
 * right element iff strictly greater than the left one (a, t). That is the
 * element cpu's strict `>` chain picks, ties and ±0 included. A pair of
 * windows holding a NaN or -Infinity (the sum of its eight values is then
 * NaN or -Infinity) takes the exact scalar path instead; ordinary data never
 * does, so that branch predicts well. dx is zeroed once up front (a memset)
 * so each window stores only its arg-max's gradient.
 */
function tile2x2(xs: Float32Array, dys: Float32Array, dx: Float32Array, n: number, h: number, w: number, c: number): void {
  const ho = h >> 1;
  const wo = w >> 1;
  const rs = w * c;
  const rc = rs + c;
  const cEven = c & ~1;
  dx.fill(0);
  let dyAt = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ho; oy++) {
      const rowStart = (b * h + 2 * oy) * rs;
      for (let ox = 0; ox < wo; ox++) {
        const p0 = rowStart + 2 * ox * c;
        let i = p0;
        // Two channels per iteration, all loads before the stores: V8 re-checks
        // the typed arrays on every iteration, so this halves those checks.
        for (const end = p0 + cEven; i < end; i += 2, dyAt += 2) {
          const x0 = xs[i], x1 = xs[i + c], x2 = xs[i + rs], x3 = xs[i + rc];
          const y0 = xs[i + 1], y1 = xs[i + 1 + c], y2 = xs[i + 1 + rs], y3 = xs[i + 1 + rc];
          const gx = dys[dyAt] + 0; // + 0 turns -0 into 0, as cpu's 0 + dy does
          const gy = dys[dyAt + 1] + 0;
          if (x0 + x1 + x2 + x3 + y0 + y1 + y2 + y3 > Number.NEGATIVE_INFINITY) {
            let a = +(x1 > x0);
            let t = +(x3 > x2);
            let u = (+(x2 > x0) & +(x2 > x1)) | (+(x3 > x0) & +(x3 > x1));
            const atX = (-u & rs) + (-(a ^ ((a ^ t) & -u)) & c);
            a = +(y1 > y0);
            t = +(y3 > y2);
            u = (+(y2 > y0) & +(y2 > y1)) | (+(y3 > y0) & +(y3 > y1));
            const atY = (-u & rs) + (-(a ^ ((a ^ t) & -u)) & c);
            dx[i + atX] = gx;
            dx[i + 1 + atY] = gy;
          } else {
            window2x2(xs, dx, i, c, rs, gx);
            window2x2(xs, dx, i + 1, c, rs, gy);
          }
        }
        if (i < p0 + c) window2x2(xs, dx, i, c, rs, dys[dyAt++] + 0); // odd channel count
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
