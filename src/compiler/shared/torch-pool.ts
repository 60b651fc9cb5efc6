/**
 * PyTorch's pooling arithmetic, one axis at a time (aten/src/ATen/native/Pool.h
 * `pooling_output_shape` and the AvgPool2d kernels), shared by the compiler's
 * shape inference (ops/pool-common.ts, ops/adaptive-pool2d.ts) and the
 * runtime's pooling layer (runtime/model/torch-pool.ts), so both agree by
 * construction. Pure: the runtime and the emitted project may import it.
 */

/**
 * The output length of a window of `kernel` with `stride` over `size` items
 * padded by `pad` on both sides: floor((size + 2·pad − kernel) / stride) + 1,
 * or with `ceil` the ceiling, dropping a last window that would start in the
 * right padding (PyTorch's rule: it must start inside the input or the left
 * padding). May be ≤ 0 (the caller reports it).
 */
export function torchPoolLength(size: number, kernel: number, stride: number, pad: number, ceil: boolean): number {
  const span = size + 2 * pad - kernel + (ceil ? stride - 1 : 0);
  let out = Math.floor(span / stride) + 1;
  if (ceil && out > 0 && (out - 1) * stride >= size + pad) out -= 1;
  return out;
}

/** The padding after the right padding that `out` windows need (ceil mode's last, partial window): ≥ 0. */
export function torchPoolExtra(size: number, kernel: number, stride: number, pad: number, out: number): number {
  return Math.max(0, (out - 1) * stride + kernel - (size + 2 * pad));
}

/**
 * The divisor of each of `out` average windows: with `countIncludePad` the
 * window clipped to the padded input (padding counts, ceil mode's extra does
 * not), else the number of real items under it (PyTorch's avg_pool2d).
 */
export function torchPoolDivisors(size: number, kernel: number, stride: number, pad: number, out: number, countIncludePad: boolean): number[] {
  return Array.from({ length: out }, (_, o) => {
    const start = o * stride - pad;
    const end = Math.min(start + kernel, size + pad);
    return countIncludePad ? end - start : Math.min(end, size) - Math.max(start, 0);
  });
}

/** PyTorch's adaptive pooling bins of `size` items into `out`: [floor(i·size/out), ceil((i+1)·size/out)). */
export function adaptiveBins(size: number, out: number): [number, number][] {
  return Array.from({ length: out }, (_, i) => [Math.floor((i * size) / out), Math.ceil(((i + 1) * size) / out)] as [number, number]);
}
