/**
 * UnsortedSegmentSum on wasm (tfjs-wasm has none): the gradient of Gather,
 * so of every embedding layer. out[segmentIds[i], …] += x[i, …]; ids outside
 * [0, numSegments) are dropped (TensorFlow's rule). A plain loop over the
 * heap: the sizes are an embedding's batch·steps rows of output_dim floats.
 */
import type { WasmKernelFunc } from './compose.js';

export const unsortedSegmentSum: WasmKernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs;
  const numSegments = Number(attrs.numSegments);
  const rows = segmentIds.shape.reduce((a, b) => a * b, 1);
  const inner = rows === 0 ? 0 : x.shape.slice(segmentIds.shape.length).reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
  const dst = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  dst.fill(0);
  const src = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const ids = backend.typedArrayFromHeap(segmentIds) as Int32Array;
  for (let i = 0; i < rows; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const o = s * inner;
    const r = i * inner;
    for (let j = 0; j < inner; j++) dst[o + j] += src[r + j];
  }
  return out;
};
