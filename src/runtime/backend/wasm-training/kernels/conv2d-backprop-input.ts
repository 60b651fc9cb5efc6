/**
 * `Conv2DBackpropInput` for the wasm backend as a forward convolution on
 * XNNPACK. The backend's own kernel is a plain loop that took about half of
 * a training step (notes/wasm-training.md).
 *
 *   dx[n,h,w,ci] = Σ_{a,b,co} dy[n,y,x,co] · W[a,b,ci,co],  h + pt = y·s + a
 *
 * For stride 1 this is a correlation of dy with W reversed in both spatial
 * axes and its in/out channel axes swapped, padded by (k-1-pt) on top/left
 * and by (H - Ho + pt) on bottom/right so the output is exactly H×W. For
 * stride s it splits into s² such correlations, one per output phase.
 */
import * as tf from '@tensorflow/tfjs';
import { convWithSignedPad, explicitPad, type Info, reverseTaps, type KernelScope, type WasmKernelFunc, withScope, zeroInsert } from './compose.js';

/** Where the backend's original kernel is kept, for the cases this one does not cover. */
let original: WasmKernelFunc | undefined;

/** Set by the registration code before it replaces the backend's kernel. */
export function setOriginalConv2dBackpropInput(fn: WasmKernelFunc | undefined): void {
  original = fn;
}

/** The geometry of the forward convolution whose input gradient is wanted. */
export interface TransposedGeometry {
  inHeight: number; inWidth: number; filterHeight: number; filterWidth: number;
  strideHeight: number; strideWidth: number; dilationHeight: number; dilationWidth: number;
  padTop: number; padLeft: number;
  /** Channels of dx as the forward kernel `run` produces them. */
  outChannels: number;
}

/** Runs the backend's forward conv (dense or depthwise) of `x` with `filter` at stride 1. */
export type ForwardConv = (x: Info, filter: Info, pad: number[][]) => Info;

/**
 * dx of a (possibly strided, possibly dilated) convolution from dy.
 * `arranged` is the filter with its channel axes already in the layout the
 * forward kernel `run` expects ([kh, kw, channels of dy, channels of dx] for
 * a dense conv), not yet reversed. Shared with the depthwise input gradient.
 */
export function transposedConv(s: KernelScope, dy: Info, geom: TransposedGeometry, arranged: Info, run: ForwardConv): Info {
  if (geom.filterHeight === 1 && geom.filterWidth === 1 && geom.padTop === 0 && geom.padLeft === 0) {
    // A 1×1 kernel (ResNet shortcuts): apply it to dy first, then spread the
    // result out by the stride; s² times less work than convolving zeros.
    const small = run(dy, arranged, explicitPad(0, 0, 0, 0));
    return zeroInsert(s, small, geom.strideHeight, geom.strideWidth, geom.inHeight, geom.inWidth);
  }
  if (geom.strideHeight > 1 || geom.strideWidth > 1) return byPhases(s, dy, geom, arranged, run);
  const flipped = reverseTaps(s, arranged);
  const [, ho, wo] = dy.shape;
  const spanH = (geom.filterHeight - 1) * geom.dilationHeight;
  const spanW = (geom.filterWidth - 1) * geom.dilationWidth;
  return convWithSignedPad(
    s,
    {
      top: spanH - geom.padTop,
      bottom: geom.inHeight - ho + geom.padTop,
      left: spanW - geom.padLeft,
      right: geom.inWidth - wo + geom.padLeft,
    },
    geom.inHeight,
    geom.inWidth,
    (pad) => run(dy, flipped, pad),
  );
}

/**
 * A strided input gradient as s² stride-1 convolutions, one per output
 * phase (rh, rw), instead of one convolution over dy with zeros inserted
 * (which would spend (s²-1)/s² of its work on the zeros). Rows h with
 * (h + pt) mod s = rh only meet the filter rows a ≡ rh (mod s):
 *
 *   dx[q·s + rh - pt] = Σ_i dy[q - i] · W[rh + s·i]
 *
 * a correlation of dy with that sub-filter reversed. Each phase's result is
 * then scattered into its rows and columns of dx. Dilation must be 1 (tfjs
 * never combines it with a stride).
 */
function byPhases(s: KernelScope, dy: Info, geom: TransposedGeometry, arranged: Info, run: ForwardConv): Info {
  const [n, ho, wo] = dy.shape;
  const { inHeight: h, inWidth: w, strideHeight: sh, strideWidth: sw, padTop: pt, padLeft: pl, outChannels: c } = geom;
  const phases: Array<{ piece: Info; rh: number; rw: number; qh: number; qw: number }> = [];
  for (let rh = 0; rh < sh; rh++) {
    const kRows = Math.max(0, Math.ceil((geom.filterHeight - rh) / sh));
    const qh = Math.ceil((pt - rh) / sh);
    const rows = Math.floor((h - 1 + pt - rh) / sh) - qh + 1;
    for (let rw = 0; rw < sw; rw++) {
      const kCols = Math.max(0, Math.ceil((geom.filterWidth - rw) / sw));
      const qw = Math.ceil((pl - rw) / sw);
      const cols = Math.floor((w - 1 + pl - rw) / sw) - qw + 1;
      if (kRows === 0 || kCols === 0 || rows <= 0 || cols <= 0) continue; // these dx stay zero
      const sub = phaseFilter(s, arranged, rh, rw, kRows, kCols, sh, sw);
      const top = kRows - 1 - qh;
      const left = kCols - 1 - qw;
      const pads = { top, bottom: rows + kRows - 1 - ho - top, left, right: cols + kCols - 1 - wo - left };
      const piece = convWithSignedPad(s, pads, rows, cols, (pad) => run(dy, sub, pad));
      phases.push({ piece, rh, rw, qh, qw });
    }
  }
  const dx = s.zeros([n, h, w, c]);
  const out = s.backend.typedArrayFromHeap(dx) as Float32Array;
  for (const { piece, rh, rw, qh, qw } of phases) {
    const src = s.backend.typedArrayFromHeap(piece) as Float32Array;
    const [, rows, cols] = piece.shape;
    for (let b = 0, from = 0; b < n; b++) {
      for (let i = 0; i < rows; i++) {
        const y = (qh + i) * sh + rh - pt;
        for (let j = 0; j < cols; j++, from += c) {
          const x = (qw + j) * sw + rw - pl;
          out.set(src.subarray(from, from + c), ((b * h + y) * w + x) * c);
        }
      }
    }
  }
  return dx;
}

/** The taps a ≡ rh, b ≡ rw (mod stride) of `arranged`, reversed: [kRows, kCols, ...]. */
function phaseFilter(
  s: KernelScope, arranged: Info, rh: number, rw: number, kRows: number, kCols: number, sh: number, sw: number,
): Info {
  const [, kw, p, q] = arranged.shape;
  const block = p * q;
  const sub = s.alloc([kRows, kCols, p, q]);
  const src = s.backend.typedArrayFromHeap(arranged) as Float32Array;
  const dst = s.backend.typedArrayFromHeap(sub) as Float32Array;
  for (let i = 0; i < kRows; i++) {
    for (let j = 0; j < kCols; j++) {
      const tap = (rh + sh * (kRows - 1 - i)) * kw + (rw + sw * (kCols - 1 - j));
      dst.set(src.subarray(tap * block, (tap + 1) * block), (i * kCols + j) * block);
    }
  }
  return sub;
}

/** The kernel function registered as `Conv2DBackpropInput` on wasm. */
export const conv2dBackpropInput: WasmKernelFunc = (args) => {
  const { inputs, backend, attrs } = args;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  // NCHW is rare in tfjs (the wasm Conv2D refuses it); leave it to the original kernel.
  if (dataFormat === 'NCHW') {
    if (original === undefined) throw new Error('dlc wasm kernels: Conv2DBackpropInput NCHW needs the original kernel');
    return original(args);
  }
  const { dy, filter } = inputs;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  return withScope(backend, (s) => {
    const swapped = s.run('Transpose', { x: filter }, { perm: [0, 1, 3, 2] });
    return transposedConv(
      s,
      dy,
      { ...info, padTop: info.padInfo.top, padLeft: info.padInfo.left, outChannels: info.inChannels },
      swapped,
      (x, f, pad) => s.run('Conv2D', { x, filter: f }, { strides: [1, 1], dilations: [1, 1], pad, dataFormat: 'NHWC' }),
    );
  });
};
