/**
 * `Conv2DBackpropFilter` for the wasm backend, which lacks it upstream
 * (tensorflow/tfjs#8474): the filter gradient computed as one forward
 * convolution, so it runs on XNNPACK.
 *
 *   dW[a,b,ci,co] = Σ_{n,y,x} xpad[n, y·s + a·d, x·s + b·d, ci] · dy[n,y,x,co]
 *
 * Read x as [Ci, H, W, N] (batch and channels swapped) and dy as a filter
 * [Ho, Wo, N, Co]: the sum above is then a valid convolution with stride d
 * and dilation s, giving [Ci, kh, kw, Co] (cropped), transposed to
 * [kh, kw, Ci, Co].
 */
import * as tf from '@tensorflow/tfjs';
import type { ConvGeometry } from '../simd/conv-geometry.js';
import { simdFilterGrad, simdFilterGradAvailable } from '../simd/filter-grad-gemm.js';
import { convWithSignedPad, type Info, type KernelScope, reverseTaps, type WasmKernelFunc, withScope } from './compose.js';


/** Geometry from tfjs's conv info (which resolves same/valid/explicit padding and rounding). */
export function geometryOf(info: tf.backend_util.Conv2DInfo): ConvGeometry {
  return {
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/**
 * Σ over batch and output positions of x-patch × dy, as a conv:
 * x [N,H,W,Ci] NHWC, dy [N,Ho,Wo,Co] → [Ci, kh, kw, Co].
 */
export function correlateBatch(s: KernelScope, x: Info, dy: Info, g: ConvGeometry): Info {
  const [, h, w] = x.shape;
  const [, ho, wo] = dy.shape;
  const xT = s.run('Transpose', { x }, { perm: [3, 1, 2, 0] });
  const dyT = s.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  // Pad bottom/right just enough that every tap (a, b) has all its rows; extra output is cropped.
  const bottom = Math.max(0, (g.filterHeight - 1) * g.dilationHeight + (ho - 1) * g.strideHeight + 1 - h - g.padTop);
  const right = Math.max(0, (g.filterWidth - 1) * g.dilationWidth + (wo - 1) * g.strideWidth + 1 - w - g.padLeft);
  const full = s.run(
    'Conv2D',
    { x: xT, filter: dyT },
    {
      strides: [g.dilationHeight, g.dilationWidth],
      dilations: [g.strideHeight, g.strideWidth],
      pad: [[0, 0], [g.padTop, bottom], [g.padLeft, right], [0, 0]],
      dataFormat: 'NHWC',
      dimRoundingMode: undefined,
    },
  );
  if (full.shape[1] === g.filterHeight && full.shape[2] === g.filterWidth) return full;
  return s.run(
    'Slice',
    { x: full },
    { begin: [0, 0, 0, 0], size: [full.shape[0], g.filterHeight, g.filterWidth, full.shape[3]] },
  );
}

/**
 * The same sum as a matrix product, for layers with few input channels (the
 * first conv of a net): patches of x gathered into [kh·kw·Ci, P] (P = N·Ho·Wo)
 * times dy read as it lies, [P, Co], on XNNPACK's fully-connected path. This
 * skips the transposes of dy the conv form needs, at the price of writing
 * kh·kw·Ci·P patch values: worth it when that is no more than two passes
 * over dy (see chooseIm2col).
 */
export function im2colProduct(s: KernelScope, x: Info, dy: Info, g: ConvGeometry): Info {
  const [n, h, w, c] = x.shape;
  const [, ho, wo, co] = dy.shape;
  const p = n * ho * wo;
  const rows = g.filterHeight * g.filterWidth * c;
  const cols = s.alloc([1, rows, p]);
  const src = s.backend.typedArrayFromHeap(x) as Float32Array;
  const dst = s.backend.typedArrayFromHeap(cols) as Float32Array;
  for (let a = 0; a < g.filterHeight; a++) {
    for (let b = 0; b < g.filterWidth; b++) {
      for (let ch = 0; ch < c; ch++) {
        let o = ((a * g.filterWidth + b) * c + ch) * p;
        for (let bn = 0; bn < n; bn++) {
          for (let y = 0; y < ho; y++) {
            const r = y * g.strideHeight + a * g.dilationHeight - g.padTop;
            if (r < 0 || r >= h) {
              dst.fill(0, o, o + wo);
              o += wo;
              continue;
            }
            const rowBase = (bn * h + r) * w;
            for (let xx = 0; xx < wo; xx++, o++) {
              const col = xx * g.strideWidth + b * g.dilationWidth - g.padLeft;
              dst[o] = col < 0 || col >= w ? 0 : src[(rowBase + col) * c + ch];
            }
          }
        }
      }
    }
  }
  const dy3 = s.run('Reshape', { x: dy }, { shape: [1, p, co] });
  const prod = s.run('BatchMatMul', { a: cols, b: dy3 }, { transposeA: false, transposeB: false });
  return s.run('Reshape', { x: prod }, { shape: [g.filterHeight, g.filterWidth, c, co] });
}

/** Whether im2colProduct is the cheaper form: its patch matrix is at most two passes over dy. */
export function chooseIm2col(xShape: number[], dyShape: number[], g: ConvGeometry): boolean {
  return g.filterHeight * g.filterWidth * xShape[3] <= 2 * dyShape[3];
}

/**
 * The same sum with the roles of x and dy swapped, for stride 1 and no
 * dilation: substituting u = y + a (and v = x + b),
 *
 *   dW[a,b,ci,co] = Σ_{n,u,v} x[n,u,v,ci] · dypad[n, u + kh-1-a, v + kw-1-b, co]
 *
 * is a convolution of dy read as [Co, Ho, Wo, N] (padded) with x read as a
 * filter [H, W, N, Ci], giving [Co, kh, kw, Ci] with both taps reversed.
 * Each call packs its filter into an XNNPACK operator, and the filter is
 * now x instead of dy: smaller wherever a layer widens (Ci < Co), and
 * cheaper to pack. Measured per call (single-threaded, batch 32) on the
 * CIFAR ConvNet's 16→32 at 16×16 and 32→64 at 8×8: 6.5 and 5.4 ms against
 * 8.9 and 7.2 ms for correlateBatch; on 2×2 maps it is slower (packing is
 * no longer the cost), hence chooseFilterGradForm.
 */
export function swappedCorrelation(s: KernelScope, x: Info, dy: Info, g: ConvGeometry): Info {
  const [, h, w] = x.shape;
  const [, ho, wo] = dy.shape;
  const kh = g.filterHeight;
  const kw = g.filterWidth;
  const dyT = s.run('Transpose', { x: dy }, { perm: [3, 1, 2, 0] }); // [Co, Ho, Wo, N]
  const xT = s.run('Transpose', { x }, { perm: [1, 2, 0, 3] }); // [H, W, N, Ci]
  const top = kh - 1 - g.padTop;
  const left = kw - 1 - g.padLeft;
  const pads = { top, bottom: kh - 1 - ho - top + h, left, right: kw - 1 - wo - left + w };
  const out = convWithSignedPad(s, pads, kh, kw, (pad) =>
    s.run('Conv2D', { x: dyT, filter: xT }, { strides: [1, 1], dilations: [1, 1], pad, dataFormat: 'NHWC', dimRoundingMode: undefined }),
  ); // [Co, kh, kw, Ci], taps reversed
  return reverseTaps(s, s.run('Transpose', { x: out }, { perm: [1, 2, 3, 0] }));
}

/**
 * The sum on dlc's own wasm SIMD GEMM (simd/filter-grad-gemm.ts): operands
 * copied out of the tfjs heap, x read in place per tap, no packing.
 */
export function simdProduct(s: KernelScope, x: Info, dy: Info, g: ConvGeometry): Info {
  const out = s.alloc([g.filterHeight, g.filterWidth, x.shape[3]!, dy.shape[3]!]);
  // Views after the allocation (which may grow the heap and detach older views).
  const xs = s.backend.typedArrayFromHeap(x) as Float32Array;
  const dys = s.backend.typedArrayFromHeap(dy) as Float32Array;
  simdFilterGrad(xs, x.shape, dys, dy.shape, g, s.backend.typedArrayFromHeap(out) as Float32Array);
  return out;
}

export type FilterGradForm = 'im2col' | 'swapped' | 'conv' | 'simd';
let forcedForm: FilterGradForm | undefined;
let simdEnabled = true;

/** Switches the SIMD GEMM form off (true: back on where it compiles); for benchmarks comparing with the XNNPACK forms. */
export function setSimdFilterGrad(enabled: boolean): void {
  simdEnabled = enabled;
}

/**
 * Forces one form for every call where it applies (benchmarks and tests:
 * 'swapped' needs stride 1 and no dilation); undefined restores the choice.
 */
export function setFilterGradForm(form: FilterGradForm | undefined): void {
  forcedForm = form;
}

/**
 * Which form computes a filter gradient fastest. dlc's SIMD GEMM wherever
 * the engine compiles wasm SIMD: measured 1.3–3.4× the GMAC/s of the best
 * XNNPACK form at every conv shape of cifar-convnet, mnist-convnet and
 * resnet20-cifar (2.0–3.4× on 3×3 layers, 1.3–1.4× on 1×1 strided projections)
 * (`node dist/bench-kernels/bench/kernels.js filter-grad`; README). Without
 * it, the XNNPACK forms by shape (swappedCorrelation's comment).
 */
export function chooseFilterGradForm(xShape: number[], dyShape: number[], g: ConvGeometry, simd = simdEnabled && simdFilterGradAvailable()): FilterGradForm {
  const swappable = g.strideHeight === 1 && g.strideWidth === 1 && g.dilationHeight === 1 && g.dilationWidth === 1;
  if (forcedForm !== undefined && (forcedForm !== 'swapped' || swappable)) return forcedForm;
  if (simd) return 'simd';
  if (swappable && xShape[1]! * xShape[2]! >= 64) return g.filterHeight * g.filterWidth * xShape[3]! <= dyShape[3]! ? 'im2col' : 'swapped';
  return chooseIm2col(xShape, dyShape, g) ? 'im2col' : 'conv';
}

/** The kernel function registered as `Conv2DBackpropFilter` on wasm. */
export const conv2dBackpropFilter: WasmKernelFunc = ({ inputs, backend, attrs }) =>
  withScope(backend, (s) => {
    let { x, dy } = inputs;
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    if (dataFormat === 'NCHW') {
      x = s.run('Transpose', { x }, { perm: [0, 2, 3, 1] });
      dy = s.run('Transpose', { x: dy }, { perm: [0, 2, 3, 1] });
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const geom = geometryOf(info);
    const form = chooseFilterGradForm(x.shape, dy.shape, geom);
    if (form === 'im2col') return im2colProduct(s, x, dy, geom);
    if (form === 'simd') return simdProduct(s, x, dy, geom);
    if (form === 'swapped') return swappedCorrelation(s, x, dy, geom);
    const g = correlateBatch(s, x, dy, geom);
    return s.run('Transpose', { x: g }, { perm: [1, 2, 0, 3] });
  });
