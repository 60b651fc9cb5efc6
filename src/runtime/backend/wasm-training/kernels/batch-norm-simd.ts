/**
 * The four passes of the fused batch norm (batch-norm.ts) as wasm SIMD
 * functions that work *in place on tfjs-wasm's heap*: the module imports
 * the backend's own WebAssembly.Memory (`backend.wasm.asm.memory`, or the
 * threaded build's shared `backend.wasm.wasmMemory`, imported as shared), so there is no copy
 * in or out. Each function
 * handles one group of 4 channels (one v128) over a run of rows, the
 * caller (batch-norm.ts) loops over blocks of rows and channel groups so a
 * block stays in cache across the groups. Channel counts that are a
 * multiple of 4 only; the caller uses the JS loops otherwise, and whenever
 * the module cannot be built (no SIMD, no memory to import).
 *
 * Numerics: sums are accumulated in float64 (f64x2, each f32x4 split into
 * two promoted halves), element-wise arithmetic is float32 (as the cpu
 * backend's own ops are): apply y = (x − m)·k + b; input gradient
 * dx = k·dy − a − (x − m)·e; gradient sums Σdy and Σdy·(x − m).
 *
 * Functions (all i32 params, byte addresses; rows ≥ 1; stride = C·4 bytes):
 * - moments4(x, rows, stride, acc): acc (64 bytes) += [Σx lo, Σx hi, Σx² lo, Σx² hi] (f64x2 each);
 * - gradsums4(dy, x, rows, stride, consts, acc): consts[0..16) = mean (f32x4);
 *   acc += [Σdy lo, hi, Σdy·(x − m) lo, hi];
 * - apply4(x, y, rows, stride, consts): consts = [m, k, b] (f32x4 each);
 * - igrad4(dy, x, dx, rows, stride, consts): consts = [m, k, a, e].
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { encodeModule, FuncBuilder, uleb, V128 } from '../simd/wasm-encoder.js';

/** Appends a SIMD instruction (prefix 0xfd, LEB opcode) with an optional memarg (align 2^2, offset). */
function simd(f: FuncBuilder, op: number, offset?: number): FuncBuilder {
  f.code.push(0xfd);
  uleb(op, f.code);
  if (offset !== undefined) {
    f.code.push(2);
    uleb(offset, f.code);
  }
  return f;
}
const OP = { load: 0x00, store: 0x0b, shuffle: 0x0d, f32add: 0xe4, f32sub: 0xe5, f32mul: 0xe6, f64add: 0xf0, f64mul: 0xf2, promoteLow: 0x5f } as const;

/** i8x16.shuffle of (a, a) moving lanes 2, 3 (bytes 8..15) to lanes 0, 1: the high half's promotion. */
function highToLow(f: FuncBuilder): FuncBuilder {
  f.code.push(0xfd);
  uleb(OP.shuffle, f.code);
  f.code.push(8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
  return f;
}

/** `body` once per row: the pointers named in `ptrs` advance by `stride`, `rows` counts down to 0. */
function rowLoop(f: FuncBuilder, ptrs: readonly string[], body: (g: FuncBuilder) => void): void {
  f.loop((l) => {
    body(l);
    for (const p of ptrs) l.addTo(p, (g) => g.get('stride'));
    l.get('rows').i32(1).op('i32.sub').tee('rows').brIf(0);
  });
}

/** Splits v128 local `v` into promoted halves `lo`, `hi` (f64x2). */
function promote(f: FuncBuilder, v: string, lo: string, hi: string): void {
  simd(f.get(v), OP.promoteLow).set(lo);
  simd(highToLow(f.get(v).get(v)), OP.promoteLow).set(hi);
}

function accumulate(f: FuncBuilder, acc: string, value: (g: FuncBuilder) => void): void {
  f.get(acc);
  value(f);
  simd(f, OP.f64add).set(acc);
}

function buildMoments(): FuncBuilder {
  const f = new FuncBuilder(['x', 'rows', 'stride', 'acc']);
  for (const n of ['v', 'lo', 'hi', 's0', 's1', 'q0', 'q1']) f.local(n, V128);
  ['s0', 's1', 'q0', 'q1'].forEach((a, i) => simd(f.get('acc'), OP.load, 16 * i).set(a));
  rowLoop(f, ['x'], (l) => {
    simd(l.get('x'), OP.load, 0).set('v');
    promote(l, 'v', 'lo', 'hi');
    accumulate(l, 's0', (g) => g.get('lo'));
    accumulate(l, 's1', (g) => g.get('hi'));
    accumulate(l, 'q0', (g) => simd(g.get('lo').get('lo'), OP.f64mul));
    accumulate(l, 'q1', (g) => simd(g.get('hi').get('hi'), OP.f64mul));
  });
  ['s0', 's1', 'q0', 'q1'].forEach((a, i) => simd(f.get('acc').get(a), OP.store, 16 * i));
  return f;
}

function buildGradSums(): FuncBuilder {
  const f = new FuncBuilder(['dy', 'x', 'rows', 'stride', 'consts', 'acc']);
  for (const n of ['m', 'g', 'p', 'lo', 'hi', 's0', 's1', 'q0', 'q1']) f.local(n, V128);
  simd(f.get('consts'), OP.load, 0).set('m');
  ['s0', 's1', 'q0', 'q1'].forEach((a, i) => simd(f.get('acc'), OP.load, 16 * i).set(a));
  rowLoop(f, ['dy', 'x'], (l) => {
    simd(l.get('dy'), OP.load, 0).set('g');
    // p = dy · (x − m), in float32
    simd(simd(simd(l.get('x'), OP.load, 0).get('m'), OP.f32sub).get('g'), OP.f32mul).set('p');
    promote(l, 'g', 'lo', 'hi');
    accumulate(l, 's0', (g) => g.get('lo'));
    accumulate(l, 's1', (g) => g.get('hi'));
    promote(l, 'p', 'lo', 'hi');
    accumulate(l, 'q0', (g) => g.get('lo'));
    accumulate(l, 'q1', (g) => g.get('hi'));
  });
  ['s0', 's1', 'q0', 'q1'].forEach((a, i) => simd(f.get('acc').get(a), OP.store, 16 * i));
  return f;
}

function buildApply(): FuncBuilder {
  const f = new FuncBuilder(['x', 'y', 'rows', 'stride', 'consts']);
  for (const n of ['m', 'k', 'b']) f.local(n, V128);
  ['m', 'k', 'b'].forEach((c, i) => simd(f.get('consts'), OP.load, 16 * i).set(c));
  rowLoop(f, ['x', 'y'], (l) => {
    l.get('y');
    simd(simd(simd(simd(l.get('x'), OP.load, 0).get('m'), OP.f32sub).get('k'), OP.f32mul).get('b'), OP.f32add);
    simd(l, OP.store, 0);
  });
  return f;
}

function buildInputGrad(): FuncBuilder {
  const f = new FuncBuilder(['dy', 'x', 'dx', 'rows', 'stride', 'consts']);
  for (const n of ['m', 'k', 'a', 'e']) f.local(n, V128);
  ['m', 'k', 'a', 'e'].forEach((c, i) => simd(f.get('consts'), OP.load, 16 * i).set(c));
  rowLoop(f, ['dy', 'x', 'dx'], (l) => {
    l.get('dx');
    // k·dy − a − (x − m)·e
    simd(simd(l.get('dy'), OP.load, 0).get('k'), OP.f32mul).get('a');
    simd(l, OP.f32sub);
    simd(simd(simd(l.get('x'), OP.load, 0).get('m'), OP.f32sub).get('e'), OP.f32mul);
    simd(l, OP.f32sub);
    simd(l, OP.store, 0);
  });
  return f;
}

// f32x4.sub is not in the encoder's list: 0xe5 per the SIMD spec (add 0xe4, sub 0xe5, mul 0xe6).

type Fn = (...args: number[]) => void;
/** The module's functions, bound to one backend's memory. */
export interface BatchNormSimd {
  readonly moments4: Fn;
  readonly gradsums4: Fn;
  readonly apply4: Fn;
  readonly igrad4: Fn;
  /** Scratch space on the heap (malloc), `bytes` long, freed by `free`. */
  malloc(bytes: number): number;
  free(ptr: number): void;
  readonly heapF32: () => Float32Array;
  readonly heapF64: () => Float64Array;
}

interface WasmMemoryLike {
  readonly buffer: ArrayBufferLike;
}
interface WasmApi {
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: abstract new (...args: never[]) => WasmMemoryLike;
}
interface EmscriptenModule {
  asm?: { memory?: WasmMemoryLike };
  /** The threaded build's memory (created in JS, shared; not among asm's exports). */
  wasmMemory?: WasmMemoryLike;
  _malloc?: (n: number) => number;
  _free?: (p: number) => void;
}

let cached: { backend: BackendWasm; simd: BatchNormSimd | null } | undefined;
let simdEnabled = true;

/** Turns the SIMD passes off (the JS loops then run): tests compare the two. */
export function setBatchNormSimd(on: boolean): void {
  simdEnabled = on;
}

/**
 * The SIMD passes bound to `backend`'s heap, or null where they cannot run
 * (switched off, no WebAssembly SIMD, no memory to import, no malloc).
 */
export function batchNormSimd(backend: BackendWasm): BatchNormSimd | null {
  if (!simdEnabled) return null;
  if (cached?.backend === backend) return cached.simd;
  cached = { backend, simd: build(backend) };
  return cached.simd;
}

function build(backend: BackendWasm): BatchNormSimd | null {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  const mod = (backend as unknown as { wasm?: EmscriptenModule }).wasm;
  const memory = mod?.asm?.memory ?? mod?.wasmMemory;
  if (!api || !mod || !memory || !mod._malloc || !mod._free) return null;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  try {
    const bytes = encodeModule([
      { name: 'moments4', fn: buildMoments() },
      { name: 'gradsums4', fn: buildGradSums() },
      { name: 'apply4', fn: buildApply() },
      { name: 'igrad4', fn: buildInputGrad() },
    ], { imported: { shared } });
    const inst = new api.Instance(new api.Module(bytes), { env: { memory } });
    const e = inst.exports as Record<string, Fn>;
    const malloc = mod._malloc.bind(mod);
    const free = mod._free.bind(mod);
    return {
      moments4: e['moments4']!,
      gradsums4: e['gradsums4']!,
      apply4: e['apply4']!,
      igrad4: e['igrad4']!,
      malloc,
      free,
      heapF32: () => new Float32Array(memory.buffer),
      heapF64: () => new Float64Array(memory.buffer),
    };
  } catch {
    return null;
  }
}

/** For tests: whether the SIMD passes are in use on the current (wasm) backend. */
export function batchNormSimdActive(): boolean {
  return tf.getBackend() === 'wasm' && batchNormSimd(tf.backend() as unknown as BackendWasm) !== null;
}
