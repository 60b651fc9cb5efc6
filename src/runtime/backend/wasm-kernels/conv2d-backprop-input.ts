/**
 * `Conv2DBackpropInput` for the wasm backend as a forward convolution on
 * XNNPACK. The backend's own kernel is a plain loop that took about half of
 * a training step (notes/wasm-training.md).
 *
 *   dx[n,h,w,ci] = Σ_{a,b,co} dy[n,y,x,co] · W[a,b,ci,co],  h + pt = y·s + a
 *
 * With dy's rows and columns spread apart by s (zeros inserted) this is a
 * stride-1 correlation of dy with W reversed in both spatial axes and its
 * in/out channel axes swapped, padded by (k-1-pt) on top/left and by
 * (H - Hu + pt) on bottom/right so the output is exactly H×W.
 */
import * as tf from '@tensorflow/tfjs';
import { convWithSignedPad, explicitPad, type Info, reverseTaps, type KernelScope, type WasmKernelFunc, withScope, zeroInsert } from './compose.js';

/** Where the backend's original kernel is kept, for the cases this one does not cover. */
let original: WasmKernelFunc | undefined;

/** Set by the registration code before it replaces the backend's kernel. */
export function setOriginalConv2dBackpropInput(fn: WasmKernelFunc | undefined): void {
  original = fn;
}

/**
 * dx of a (possibly strided, possibly dilated) convolution from dy, with a
 * filter already flipped into the shape the forward kernel `run` expects.
 * Shared with the depthwise input gradient.
 */
export function transposedConv(
  s: KernelScope,
  dy: Info,
  geom: {
    inHeight: number; inWidth: number; filterHeight: number; filterWidth: number;
    strideHeight: number; strideWidth: number; dilationHeight: number; dilationWidth: number;
    padTop: number; padLeft: number;
  },
  run: (dyU: Info, pad: number[][]) => Info,
): Info {
  if (geom.filterHeight === 1 && geom.filterWidth === 1 && geom.padTop === 0 && geom.padLeft === 0) {
    // A 1×1 kernel (ResNet shortcuts): apply it to dy first, then spread the
    // result out by the stride; s² times less work than convolving zeros.
    const small = run(dy, explicitPad(0, 0, 0, 0));
    return zeroInsert(s, small, geom.strideHeight, geom.strideWidth, geom.inHeight, geom.inWidth);
  }
  const dyU = zeroInsert(s, dy, geom.strideHeight, geom.strideWidth);
  const [, hu, wu] = dyU.shape;
  const spanH = (geom.filterHeight - 1) * geom.dilationHeight;
  const spanW = (geom.filterWidth - 1) * geom.dilationWidth;
  return convWithSignedPad(
    s,
    {
      top: spanH - geom.padTop,
      bottom: geom.inHeight - hu + geom.padTop,
      left: spanW - geom.padLeft,
      right: geom.inWidth - wu + geom.padLeft,
    },
    geom.inHeight,
    geom.inWidth,
    (pad) => run(dyU, pad),
  );
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
    const flipped = reverseTaps(s, swapped);
    return transposedConv(
      s,
      dy,
      { ...info, padTop: info.padInfo.top, padLeft: info.padInfo.left },
      (dyU, p) =>
        s.run('Conv2D', { x: dyU, filter: flipped }, { strides: [1, 1], dilations: [1, 1], pad: p, dataFormat: 'NHWC' }),
    );
  });
};
