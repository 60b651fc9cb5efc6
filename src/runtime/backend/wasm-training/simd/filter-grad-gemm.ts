/**
 * The convolution filter gradient as a wasm SIMD GEMM of dlc's own:
 *
 *   dW[a,b,ci,co] = Σ_{n,y,x} xpad[n, y·s + a·d, x·s + b·d, ci] · dy[n,y,x,co]
 *
 * For each tap (a, b) this is a product Xᵀ·DY with a long reduction
 * (K = N·Ho·Wo positions) and a small result [Ci, Co]. The wasm function
 * keeps an MR×NR block of the result in v128 locals and runs down the
 * positions of a chunk of output rows doing rank-1 updates: per position,
 * NR/4 vector loads of dy, MR broadcast loads of x, MR·NR/4 multiply-adds.
 * x is read in place (strided by the conv's stride), so no im2col matrix
 * is written; nothing is packed.
 *
 * Operands are copied into the module's own memory (importing tfjs-wasm's
 * memory instead was not tried): x zero-padded so every tap reads in-bounds
 * rows. Channels are not rounded up: a block's extra patch rows / dy
 * columns read neighbouring values into result rows and columns that are
 * dropped. The copies are a few percent of the multiply-adds for these
 * shapes (kh·kw·Co MACs per x value).
 *
 * Loop order: chunk of positions (images or rows) → product, so one chunk
 * of dy stays in L1 across the taps and the x rows they share in L2.
 */
import { encodeModule, FuncBuilder, V128 } from './wasm-encoder.js';
import type { ConvGeometry } from './conv-geometry.js';
import { lazyKernelModule } from './wasm-module.js';

/** Register-block shapes compiled into the module (rows of x channels × dy channels). */
export const GEMM_BLOCKS = [
  [4, 8],
  [4, 12],
  [6, 8],
  [8, 8],
  [2, 16],
] as const;
export type GemmBlock = readonly [number, number];

/** The name a block shape's function is exported under. */
export function gemmName(mr: number, nr: number): string {
  return `gemm_${mr}x${nr}`;
}

const PARAMS = ['x', 'd', 'c', 'imgs', 'rows', 'wo', 'm', 'dp', 'xcol', 'xskip', 'ximg', 'dcol', 'dskip', 'dimg'] as const;

/**
 * gemm_MRxNR(x, d, c, imgs, rows, wo, m, dp, xcol, xskip, ximg, dcol, dskip, dimg):
 * C[m, dp] += Σ over imgs × rows × wo positions of x-patch ⊗ dy-row.
 * Addresses and strides are bytes. x: the first position's patch (patch
 * row i is the float at x + 4i); it advances `xcol` per position, `xskip`
 * more at each row's end and `ximg` more at each image's end. d: the first
 * position's dy row, advancing `dcol` per position, `dskip` / `dimg` more
 * at row / image ends. c: C, row-major with `dp` floats per
 * row. m is a multiple of MR, dp of NR; imgs, rows, wo ≥ 1. Patch rows ≥ the
 * real patch and dy columns ≥ Co read neighbouring values: those rows and
 * columns of C are garbage the caller drops.
 */
export function buildGemm(mr: number, nr: number): FuncBuilder {
  if (nr % 4 !== 0) throw new Error('filter-grad-gemm: NR must be a multiple of 4');
  const f = new FuncBuilder(PARAMS);
  const nv = nr / 4;
  for (const n of ['dp4', 'i', 'n', 'cAddr', 'xp', 'dq', 'im', 'r', 'j', 'rowPtr']) f.local(n, 0x7f);
  const acc = (i: number, k: number) => `acc${i}_${k}`;
  for (let i = 0; i < mr; i++) for (let k = 0; k < nv; k++) f.local(acc(i, k), V128);
  for (let k = 0; k < nv; k++) f.local(`b${k}`, V128);
  f.local('a', V128);

  const rowPointer = (g: FuncBuilder, i: number) => {
    g.get('cAddr');
    if (i > 0) g.get('dp4').i32(i).op('i32.mul').op('i32.add');
    g.set('rowPtr');
  };
  f.get('dp').i32(4).op('i32.mul').set('dp4');
  f.i32(0).set('i');
  f.loop((lm) => {
    lm.i32(0).set('n');
    lm.loop((ln) => {
      // cAddr = c + (i·dp + n)·4
      ln.get('c').get('i').get('dp').op('i32.mul').get('n').op('i32.add').i32(4).op('i32.mul').op('i32.add').set('cAddr');
      for (let i = 0; i < mr; i++) {
        rowPointer(ln, i);
        for (let k = 0; k < nv; k++) ln.get('rowPtr').v128Load(16 * k).set(acc(i, k));
      }
      ln.get('x').get('i').i32(4).op('i32.mul').op('i32.add').set('xp');
      ln.get('d').get('n').i32(4).op('i32.mul').op('i32.add').set('dq');
      ln.get('imgs').set('im');
      ln.loop((li) => {
        li.get('rows').set('r');
        li.loop((lr) => {
          lr.get('wo').set('j');
          lr.loop((lj) => {
            for (let k = 0; k < nv; k++) lj.get('dq').v128Load(16 * k).set(`b${k}`);
            for (let i = 0; i < mr; i++) {
              lj.get('xp').load32Splat(4 * i).set('a');
              for (let k = 0; k < nv; k++) lj.get(acc(i, k)).get('a').get(`b${k}`).f32x4Mul().f32x4Add().set(acc(i, k));
            }
            lj.addTo('xp', (g) => g.get('xcol'));
            lj.addTo('dq', (g) => g.get('dcol'));
            lj.get('j').i32(1).op('i32.sub').tee('j').brIf(0);
          });
          lr.addTo('xp', (g) => g.get('xskip'));
          lr.addTo('dq', (g) => g.get('dskip'));
          lr.get('r').i32(1).op('i32.sub').tee('r').brIf(0);
        });
        li.addTo('xp', (g) => g.get('ximg'));
        li.addTo('dq', (g) => g.get('dimg'));
        li.get('im').i32(1).op('i32.sub').tee('im').brIf(0);
      });
      for (let i = 0; i < mr; i++) {
        rowPointer(ln, i);
        for (let k = 0; k < nv; k++) ln.get('rowPtr').get(acc(i, k)).v128Store(16 * k);
      }
      ln.get('n').i32(nr).op('i32.add').tee('n').get('dp').op('i32.lt_u').brIf(0);
    });
    lm.get('i').i32(mr).op('i32.add').tee('i').get('m').op('i32.lt_u').brIf(0);
  });
  return f;
}

type GemmFn = (
  x: number, d: number, c: number, imgs: number, rows: number, wo: number, m: number, dp: number,
  xcol: number, xskip: number, ximg: number, dcol: number, dskip: number, dimg: number,
) => void;

/** The module's bytes (built once). */
let bytes: Uint8Array<ArrayBuffer> | undefined;
export function filterGradModuleBytes(): Uint8Array<ArrayBuffer> {
  bytes ??= encodeModule(GEMM_BLOCKS.map(([mr, nr]) => ({ name: gemmName(mr, nr), fn: buildGemm(mr, nr) })));
  return bytes;
}

const gemmModule = lazyKernelModule<GemmFn>(filterGradModuleBytes, GEMM_BLOCKS.map(([mr, nr]) => gemmName(mr, nr)));
const getInstance = gemmModule.get;

/** Whether this engine compiles the module (wasm SIMD); false means: use another form. */
export const simdFilterGradAvailable = gemmModule.available;

const roundUp = (v: number, m: number) => Math.ceil(v / m) * m;

/**
 * x [n, h, w, c] copied into heap at float offset `at` as [n, hp, wp, c],
 * shifted by (top, left), with zeros around (only the border is zeroed).
 */
export function padInto(heap: Float32Array, at: number, x: Float32Array, n: number, h: number, w: number, c: number, hp: number, wp: number, top: number, left: number): void {
  const rowFloats = wp * c;
  for (let b = 0; b < n; b++) {
    const img = at + b * hp * rowFloats;
    heap.fill(0, img, img + top * rowFloats);
    heap.fill(0, img + (top + h) * rowFloats, img + hp * rowFloats);
    for (let r = 0; r < h; r++) {
      const src = (b * h + r) * w * c;
      const dst = img + (r + top) * rowFloats;
      heap.fill(0, dst, dst + left * c);
      heap.set(x.subarray(src, src + w * c), dst + left * c);
      heap.fill(0, dst + (left + w) * c, dst + rowFloats);
    }
  }
}

/**
 * The register block for a layer: 2×16 (two x channels × sixteen dy
 * channels) when Co is a multiple of 16, else 4×8 (less padding of dy's
 * channels). The two are within measurement noise of each other on every
 * conv of the three specs (bench/kernels.ts filter-grad); 4×12, 6×8 and 8×8
 * lose everywhere (V8 spills their accumulators).
 */
export function defaultBlock(co: number): GemmBlock {
  return co % 16 === 0 ? [2, 16] : [4, 8];
}
let forcedBlock: GemmBlock | undefined;

/** Forces a register block (benchmarks); undefined restores defaultBlock. */
export function setGemmBlock(block: GemmBlock | undefined): void {
  forcedBlock = block;
}

/**
 * dW [kh, kw, Ci, Co] (written to `out`) from x [N, H, W, Ci] and dy
 * [N, Ho, Wo, Co], both NHWC float32.
 */
export function simdFilterGrad(
  x: Float32Array,
  xShape: readonly number[],
  dy: Float32Array,
  dyShape: readonly number[],
  g: ConvGeometry,
  out: Float32Array,
  block: GemmBlock = forcedBlock ?? defaultBlock(dyShape[3]!),
): void {
  const [n, h, w, ci] = xShape as [number, number, number, number];
  const [, ho, wo, co] = dyShape as [number, number, number, number];
  const [mr, nr] = block;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = g;
  // Output positions where tap (a, b) reads x rather than padding.
  const validRange = (tap: number, d: number, s: number, pad: number, size: number, outSize: number): [number, number] => [
    Math.max(0, Math.ceil((pad - tap * d) / s)),
    Math.min(outSize, Math.floor((size - 1 + pad - tap * d) / s) + 1),
  ];
  const rowsOf = Array.from({ length: kh }, (_, a) => validRange(a, dh, sh, g.padTop, h, ho));
  const colsOf = Array.from({ length: kw }, (_, b) => validRange(b, dw, sw, g.padLeft, w, wo));
  const span = ([lo, hi]: [number, number]) => Math.max(0, hi - lo);
  // Two ways to split the taps into products (padding reads zeros, so either is exact):
  // - merged (undilated): one product per tap row over all positions, patch rows (b, ci):
  //   a row of taps is kw·Ci contiguous floats of x;
  // - per tap over only the positions that read x (small maps, where padding is much of the work).
  const mergedWork = dw === 1 ? kh * roundUp(kw * ci, mr) * ho * wo : Infinity;
  let tapWork = 0;
  for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) tapWork += roundUp(ci, mr) * span(rowsOf[a]!) * span(colsOf[b]!);
  const merged = mergedWork <= tapWork;
  const patch = merged ? kw * ci : ci;
  const mp = roundUp(patch, mr);
  const dp = roundUp(co, nr);
  const products = merged ? kh : kh * kw;
  // Padded x: every row/column any tap reads, from −padTop / −padLeft.
  const hp = Math.max((ho - 1) * sh + (kh - 1) * dh + 1, g.padTop + h);
  const wp = Math.max((wo - 1) * sw + (kw - 1) * dw + 1, g.padLeft + w);
  const xFloats = n * hp * wp * ci;
  const dFloats = n * ho * wo * co;
  const cFloats = products * mp * dp;
  const inst = getInstance();
  // Tails: the last position's over-read patch rows / dy columns stay in bounds (and finite).
  const X = 0;
  const D = roundUp(xFloats + mr, 4);
  const C = D + roundUp(dFloats + nr, 4);
  const need = (C + cFloats) * 4;
  const have = inst.memory.buffer.byteLength;
  if (need > have) inst.memory.grow(Math.ceil((need - have) / 65536));
  const heap = new Float32Array(inst.memory.buffer);

  padInto(heap, X, x, n, h, w, ci, hp, wp, g.padTop, g.padLeft);
  heap.fill(0, X + xFloats, D);
  heap.set(dy.subarray(0, dFloats), D);
  heap.fill(0, D + dFloats, C);
  heap.fill(0, C, C + cFloats);

  const fn = inst.fns.get(gemmName(mr, nr));
  if (fn === undefined) throw new Error(`filter-grad-gemm: no ${mr}x${nr} block`);
  const xcol = sw * ci * 4;
  // Chunks of positions whose x and dy slices (~(Ci + Co) floats each) fit in L2 —
  // whole images when they are small, else runs of rows — each used by every product
  // while it is in cache, and long enough that loading and storing the result blocks
  // is a small part of a call.
  const perChunk = Math.max(128, Math.floor(65536 / (ci + co)));
  const perImage = ho * wo;
  const imgsPerChunk = perImage >= perChunk ? 1 : Math.floor(perChunk / perImage);
  const rowsPerChunk = perImage >= perChunk ? Math.max(1, Math.floor(perChunk / wo)) : ho;
  for (let b0 = 0; b0 < n; b0 += imgsPerChunk) {
    const imgs = Math.min(imgsPerChunk, n - b0);
    for (let y0 = 0; y0 < ho; y0 += rowsPerChunk) {
      for (let t = 0; t < products; t++) {
        const a = merged ? t : Math.floor(t / kw);
        const bb = merged ? 0 : t % kw;
        const [tlo, thi] = merged ? [0, ho] : rowsOf[a]!;
        const [xlo, xhi] = merged ? [0, wo] : colsOf[bb]!;
        const ylo = Math.max(y0, tlo);
        const rows = Math.min(y0 + rowsPerChunk, thi) - ylo;
        const wv = xhi - xlo;
        if (rows <= 0 || wv <= 0) continue;
        const xAddr = (X + ((b0 * hp + ylo * sh + a * dh) * wp + xlo * sw + bb * dw) * ci) * 4;
        const dAddr = (D + ((b0 * ho + ylo) * wo + xlo) * co) * 4;
        const xskip = (sh * wp - wv * sw) * ci * 4;
        const ximg = (hp - rows * sh) * wp * ci * 4;
        const dskip = (wo - wv) * co * 4;
        const dimg = (ho - rows) * wo * co * 4;
        fn(xAddr, dAddr, (C + t * mp * dp) * 4, imgs, rows, wv, mp, dp, xcol, xskip, ximg, co * 4, dskip, dimg);
      }
    }
  }
  // C [products, mp, dp] → [kh, kw, Ci, Co]: row (t, r) of C is tap row t's patch row r = b·Ci + ci (merged).
  for (let t = 0; t < products; t++) {
    for (let r = 0; r < patch; r++) {
      const src = C + (t * mp + r) * dp;
      out.set(heap.subarray(src, src + co), (t * patch + r) * co);
    }
  }
}
