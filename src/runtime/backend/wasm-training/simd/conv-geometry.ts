/**
 * The geometry of a forward 2-D convolution, as the wasm kernels need it
 * (tfjs's Conv2DInfo resolved: same/valid/explicit padding and rounding
 * already applied — kernels/conv2d-backprop-filter.ts geometryOf). One type
 * for the forward GEMM, the filter-gradient GEMM and the XNNPACK forms.
 */
export interface ConvGeometry {
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
}
