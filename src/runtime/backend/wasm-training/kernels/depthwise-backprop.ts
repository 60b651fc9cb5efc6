/**
 * The depthwise-convolution gradients the wasm backend lacks upstream:
 * `DepthwiseConv2dNativeBackpropFilter` and `DepthwiseConv2dNativeBackpropInput`.
 *
 * Filter gradient: per channel c it is a dot product over all (n, y, x) of a
 * shifted x patch with dy, for each of the kh·kw taps. We gather the patches
 * once (im2col, one loop over the wasm heap) into [C, taps, P] and let one
 * batched matmul with dy as [C, P, M] do the sums: [C, taps, M].
 *
 * Input gradient: like the dense case (conv2d-backprop-input.ts), stride-1
 * depthwise convolutions of dy (one per output phase for stride > 1, channel
 * multiplier M folded into the channels) with the spatially reversed filter,
 * then a sum over M.
 */
import * as tf from '@tensorflow/tfjs';
import { type Info, type KernelScope, type WasmKernelFunc, withScope } from './compose.js';
import { transposedConv } from './conv2d-backprop-input.js';

function depthwiseInfo(
  xShape: number[],
  filterShape: number[],
  attrs: { strides: number | [number, number]; dilations?: number | [number, number]; pad: unknown; dimRoundingMode?: unknown },
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad as 'same',
    attrs.dimRoundingMode as undefined,
    true,
  );
}

/** Patches of x for every tap and output position: [C, kh·kw, N·Ho·Wo], zero where padded. */
function im2colByChannel(s: KernelScope, x: Info, info: tf.backend_util.Conv2DInfo): Info {
  const [n, h, w, c] = x.shape;
  const { outHeight: ho, outWidth: wo, filterHeight: kh, filterWidth: kw } = info;
  const taps = kh * kw;
  const p = n * ho * wo;
  const cols = s.zeros([c, taps, p]);
  const src = s.backend.typedArrayFromHeap(x) as Float32Array;
  const dst = s.backend.typedArrayFromHeap(cols) as Float32Array;
  const tapStride = p;
  const chanStride = taps * p;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        const pos = (b * ho + oy) * wo + ox;
        for (let a = 0; a < kh; a++) {
          const r = oy * info.strideHeight + a * info.dilationHeight - info.padInfo.top;
          if (r < 0 || r >= h) continue;
          for (let bb = 0; bb < kw; bb++) {
            const col = ox * info.strideWidth + bb * info.dilationWidth - info.padInfo.left;
            if (col < 0 || col >= w) continue;
            const from = ((b * h + r) * w + col) * c;
            let to = (a * kw + bb) * tapStride + pos;
            for (let ch = 0; ch < c; ch++, to += chanStride) dst[to] = src[from + ch];
          }
        }
      }
    }
  }
  return cols;
}

/** The kernel function registered as `DepthwiseConv2dNativeBackpropFilter` on wasm. */
export const depthwiseBackpropFilter: WasmKernelFunc = ({ inputs, backend, attrs }) =>
  withScope(backend, (s) => {
    const { x, dy } = inputs;
    const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
    const info = depthwiseInfo(x.shape, a.filterShape, a);
    const [kh, kw, c, m] = a.filterShape;
    const cols = im2colByChannel(s, x, info);
    const p = cols.shape[2];
    const dy3 = s.run('Reshape', { x: dy }, { shape: [p, c, m] });
    const dyByChannel = s.run('Transpose', { x: dy3 }, { perm: [1, 0, 2] });
    const prod = s.run('BatchMatMul', { a: cols, b: dyByChannel }, { transposeA: false, transposeB: false });
    const tcm = s.run('Transpose', { x: prod }, { perm: [1, 0, 2] });
    return s.run('Reshape', { x: tcm }, { shape: [kh, kw, c, m] });
  });

/** The kernel function registered as `DepthwiseConv2dNativeBackpropInput` on wasm. */
export const depthwiseBackpropInput: WasmKernelFunc = ({ inputs, backend, attrs }) =>
  withScope(backend, (s) => {
    const { dy, filter } = inputs;
    const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
    const info = depthwiseInfo(a.inputShape, filter.shape, a);
    const [kh, kw, c, m] = filter.shape;
    // Each of the C·M dy channels convolves with its own (c, m) filter slice.
    const flat = s.run('Reshape', { x: filter }, { shape: [kh, kw, c * m, 1] });
    const dxm = transposedConv(
      s,
      dy,
      { ...info, padTop: info.padInfo.top, padLeft: info.padInfo.left, outChannels: c * m },
      flat,
      (x, f, pad) =>
        s.run(
          'DepthwiseConv2dNative',
          { x, filter: f },
          { strides: [1, 1], dilations: [info.dilationHeight, info.dilationWidth], pad },
        ),
    );
    if (m === 1) return dxm;
    const [n, h, w] = dxm.shape;
    const split = s.run('Reshape', { x: dxm }, { shape: [n, h, w, c, m] });
    return s.run('Sum', { x: split }, { axis: [4], keepDims: false });
  });
