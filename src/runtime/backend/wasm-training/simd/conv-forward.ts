/**
 * The forward convolution (NHWC, optional bias and ReLU) as a wasm SIMD GEMM
 * of dlc's own, the counterpart of filter-grad-gemm.ts:
 *
 *   y[p, co] = Σ_{a, (b, ci)} xpad[row(p) + a·d, col(p) + b, ci] · W[a, b, ci, co]
 *
 * A row of taps reads kw·Ci contiguous floats of the padded x (undilated in
 * width), so the reduction is kh runs of kw·Ci. The wasm function keeps an
 * MR×NR block of y (MR output positions × NR channels) in v128 locals;
 * per reduction step it loads NR weights and broadcasts one x value per
 * position. Output positions are found through a table of their patch
 * addresses, so any stride, map size and batch runs as one list (padded to
 * a multiple of MR; the extra positions are computed and dropped).
 */
import { encodeModule, FuncBuilder, I32, V128 } from './wasm-encoder.js';
import type { ConvGeometry } from './conv-geometry.js';
import { padInto } from './filter-grad-gemm.js';
import { lazyKernelModule } from './wasm-module.js';

/** Register blocks compiled (positions × output channels). */
export const CONV_BLOCKS = [
  [4, 8],
  [2, 16],
] as const;

const PARAMS = ['tab', 'w', 'bias', 'y', 'blocks', 'kh', 'patch', 'rowStride', 'dp', 'relu'] as const;

/**
 * conv_MRxNR(tab, w, bias, y, blocks, kh, patch, rowStride, dp, relu): for each of
 * `blocks` blocks of MR positions (their x patch addresses at tab, i32 each) and
 * each NR-wide slice of the dp output channels: y = bias + Σ over kh tap rows
 * (rowStride bytes apart in x) of `patch` x values × W rows (dp floats each,
 * W = [kh·patch, dp]); max(y, 0) if relu ≠ 0. y is [blocks·MR, dp].
 */
function buildConv(mr: number, nr: number): FuncBuilder {
  const f = new FuncBuilder(PARAMS);
  const nv = nr / 4;
  for (const n of ['dp4', 'n', 'tp', 'yp', 'blk', 'wp', 'a', 'kk', 'kEnd', 'rowPtr']) f.local(n, I32);
  for (let i = 0; i < mr; i++) f.local(`p${i}`, I32);
  const acc = (i: number, k: number) => `acc${i}_${k}`;
  for (let i = 0; i < mr; i++) for (let k = 0; k < nv; k++) f.local(acc(i, k), V128);
  for (let k = 0; k < nv; k++) f.local(`b${k}`, V128);
  f.local('av', V128);

  f.get('dp').i32(4).op('i32.mul').set('dp4');
  f.get('patch').i32(4).op('i32.mul').set('kEnd');
  f.i32(0).set('n');
  f.loop((ln) => {
    ln.get('tab').set('tp');
    ln.get('y').get('n').i32(4).op('i32.mul').op('i32.add').set('yp');
    ln.get('blocks').set('blk');
    ln.loop((lb) => {
      for (let i = 0; i < mr; i++) lb.get('tp').i32Load(4 * i).set(`p${i}`);
      // Accumulators start at the bias.
      for (let k = 0; k < nv; k++) {
        lb.get('bias').get('n').i32(4).op('i32.mul').op('i32.add').v128Load(16 * k).set(`b${k}`);
        for (let i = 0; i < mr; i++) lb.get(`b${k}`).set(acc(i, k));
      }
      lb.get('w').get('n').i32(4).op('i32.mul').op('i32.add').set('wp');
      lb.get('kh').set('a');
      lb.loop((la) => {
        la.i32(0).set('kk');
        la.loop((lk) => {
          for (let k = 0; k < nv; k++) lk.get('wp').v128Load(16 * k).set(`b${k}`);
          for (let i = 0; i < mr; i++) {
            lk.get(`p${i}`).get('kk').op('i32.add').load32Splat().set('av');
            for (let k = 0; k < nv; k++) lk.get(acc(i, k)).get('av').get(`b${k}`).f32x4Mul().f32x4Add().set(acc(i, k));
          }
          lk.addTo('wp', (g) => g.get('dp4'));
          lk.get('kk').i32(4).op('i32.add').tee('kk').get('kEnd').op('i32.lt_u').brIf(0);
        });
        for (let i = 0; i < mr; i++) la.addTo(`p${i}`, (g) => g.get('rowStride'));
        la.get('a').i32(1).op('i32.sub').tee('a').brIf(0);
      });
      lb.get('relu').if((lr) => {
        for (let i = 0; i < mr; i++) for (let k = 0; k < nv; k++) lr.get(acc(i, k)).v128Zero().f32x4Max().set(acc(i, k));
      });
      for (let i = 0; i < mr; i++) {
        lb.get('yp');
        if (i > 0) lb.get('dp4').i32(i).op('i32.mul').op('i32.add');
        lb.set('rowPtr');
        for (let k = 0; k < nv; k++) lb.get('rowPtr').get(acc(i, k)).v128Store(16 * k);
      }
      lb.addTo('tp', (g) => g.i32(4 * mr));
      lb.addTo('yp', (g) => g.get('dp4').i32(mr).op('i32.mul'));
      lb.get('blk').i32(1).op('i32.sub').tee('blk').brIf(0);
    });
    ln.get('n').i32(nr).op('i32.add').tee('n').get('dp').op('i32.lt_u').brIf(0);
  });
  return f;
}

type ConvFn = (tab: number, w: number, bias: number, y: number, blocks: number, kh: number, patch: number, rowStride: number, dp: number, relu: number) => void;
const convName = (mr: number, nr: number) => `conv_${mr}x${nr}`;

const convModule = lazyKernelModule<ConvFn>(
  () => encodeModule(CONV_BLOCKS.map(([mr, nr]) => ({ name: convName(mr, nr), fn: buildConv(mr, nr) }))),
  CONV_BLOCKS.map(([mr, nr]) => convName(mr, nr)),
);
const getInstance = convModule.get;

/** Whether this engine compiles the module (wasm SIMD). */
export const simdConvAvailable = convModule.available;

const roundUp = (v: number, m: number) => Math.ceil(v / m) * m;

let forcedConvBlock: readonly [number, number] | undefined;
/** Forces a register block (benchmarks); undefined restores the default (2×16 when Co is a multiple of 16, else 4×8). */
export function setConvBlock(block: readonly [number, number] | undefined): void {
  forcedConvBlock = block;
}

/**
 * y [N, Ho, Wo, Co] (written to `out`) = conv(x [N, H, W, Ci], w [kh, kw, Ci, Co])
 * + bias [Co] (optional), then max(·, 0) if `relu`. Width dilation must be 1.
 */
export function simdConv2d(
  x: Float32Array,
  xShape: readonly number[],
  w: Float32Array,
  bias: Float32Array | undefined,
  outShape: readonly number[],
  g: ConvGeometry,
  relu: boolean,
  out: Float32Array,
): void {
  const [n, h, wd, ci] = xShape as [number, number, number, number];
  const [, ho, wo, co] = outShape as [number, number, number, number];
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh } = g;
  if (g.dilationWidth !== 1) throw new Error('simdConv2d: width dilation must be 1');
  const [mr, nr] = forcedConvBlock ?? (co % 16 === 0 ? [2, 16] : [4, 8]);
  const dp = roundUp(co, nr);
  const patch = kw * ci;
  const positions = n * ho * wo;
  const blocks = Math.ceil(positions / mr);
  const hp = Math.max((ho - 1) * sh + (kh - 1) * dh + 1, g.padTop + h);
  const wp = Math.max((wo - 1) * sw + kw, g.padLeft + wd);
  const xFloats = n * hp * wp * ci;
  const X = 0;
  const W = roundUp(X + xFloats, 4);
  const B = W + kh * patch * dp;
  const T = B + dp;
  const Y = roundUp(T + blocks * mr, 4);
  const inst = getInstance();
  const need = (Y + blocks * mr * dp) * 4;
  const have = inst.memory.buffer.byteLength;
  if (need > have) inst.memory.grow(Math.ceil((need - have) / 65536));
  const heap = new Float32Array(inst.memory.buffer);
  const tab = new Int32Array(inst.memory.buffer);

  padInto(heap, X, x, n, h, wd, ci, hp, wp, g.padTop, g.padLeft);
  if (dp === co) heap.set(w.subarray(0, kh * patch * co), W);
  else {
    heap.fill(0, W, B);
    for (let r = 0; r < kh * patch; r++) heap.set(w.subarray(r * co, (r + 1) * co), W + r * dp);
  }
  heap.fill(0, B, T);
  if (bias) heap.set(bias.subarray(0, co), B);
  let p = 0;
  for (let b = 0; b < n; b++)
    for (let y = 0; y < ho; y++)
      for (let xx = 0; xx < wo; xx++, p++) tab[T + p] = (X + ((b * hp + y * sh) * wp + xx * sw) * ci) * 4;
  for (; p < blocks * mr; p++) tab[T + p] = X * 4;

  const fn = inst.fns.get(convName(mr, nr));
  if (fn === undefined) throw new Error(`simdConv2d: no ${mr}x${nr} block`);
  fn(T * 4, W * 4, B * 4, Y * 4, blocks, kh, patch, dh * wp * ci * 4, dp, relu ? 1 : 0);
  if (dp === co) out.set(heap.subarray(Y, Y + positions * co));
  else for (let q = 0; q < positions; q++) out.set(heap.subarray(Y + q * dp, Y + q * dp + co), q * co);
}
