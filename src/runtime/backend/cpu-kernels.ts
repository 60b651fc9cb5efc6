/**
 * Corrections to tfjs's pure-JS `cpu` backend, registered by initBackend.
 *
 * `ResizeNearestNeighborGrad` (the gradient of upsampling2d's nearest
 * resize): tfjs-backend-cpu 4.22 reads dy at the *images'* batch offset
 * (`batchOffset + dyR * dyStrides[1]`), so every image after the first
 * gets another image's gradient. dlc's replacement adds each dy pixel to the
 * input pixel the forward pass read it from, by the forward kernel's own
 * rule (align_corners, half-pixel centres): the exact transpose of the
 * forward. The wasm backend's kernel is right and is left alone.
 */
import * as tf from '@tensorflow/tfjs';

/** Source index of output index `o` along one axis (tfjs's nearest-neighbour rule). */
function sourceIndex(o: number, inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): number {
  const effIn = alignCorners && outSize > 1 ? inSize - 1 : inSize;
  const effOut = alignCorners && outSize > 1 ? outSize - 1 : outSize;
  const frac = halfPixelCenters ? (effIn / effOut) * (o + 0.5) : (effIn / effOut) * o;
  const i = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
  return halfPixelCenters ? Math.max(0, i) : i;
}

/** dx (images' shape, NHWC) of a nearest-neighbour resize from dy. */
export function resizeNearestGrad(
  dy: ArrayLike<number>,
  imagesShape: readonly number[],
  dyShape: readonly number[],
  alignCorners: boolean,
  halfPixelCenters: boolean,
): Float32Array {
  const [batch, inH, inW, ch] = imagesShape;
  const [, outH, outW] = dyShape;
  const dx = new Float32Array(batch * inH * inW * ch);
  const rows = Array.from({ length: outH }, (_, r) => sourceIndex(r, inH, outH, alignCorners, halfPixelCenters));
  const cols = Array.from({ length: outW }, (_, c) => sourceIndex(c, inW, outW, alignCorners, halfPixelCenters));
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < outH; r++) {
      const rowBase = (b * inH + rows[r]) * inW;
      for (let c = 0; c < outW; c++) {
        const base = (rowBase + cols[c]) * ch;
        for (let d = 0; d < ch; d++) dx[base + d] += dy[o++];
      }
    }
  }
  return dx;
}

interface CpuBackend {
  data: { get(id: tf.DataId): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

const resizeNearestNeighborGradCpu = ({ inputs, backend, attrs }: { inputs: Record<string, tf.TensorInfo>; backend: unknown; attrs: Record<string, unknown> }): tf.TensorInfo => {
  const { images, dy } = inputs;
  const cpu = backend as CpuBackend;
  const dx = resizeNearestGrad(cpu.data.get(dy.dataId).values, images.shape, dy.shape, Boolean(attrs.alignCorners), Boolean(attrs.halfPixelCenters));
  return cpu.makeTensorInfo([...images.shape], 'float32', dx);
};

let registered = false;

/** Replaces the cpu kernels dlc corrects (once; call after the cpu backend exists). Returns their names. */
export function registerCpuKernelFixes(): readonly string[] {
  if (!registered) {
    if (tf.getKernel('ResizeNearestNeighborGrad', 'cpu') !== undefined) tf.unregisterKernel('ResizeNearestNeighborGrad', 'cpu');
    tf.registerKernel({ kernelName: 'ResizeNearestNeighborGrad', backendName: 'cpu', kernelFunc: resizeNearestNeighborGradCpu as unknown as tf.KernelFunc });
    registered = true;
  }
  return ['ResizeNearestNeighborGrad'];
}
