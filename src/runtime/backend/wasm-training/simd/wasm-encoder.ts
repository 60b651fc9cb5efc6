/**
 * A minimal WebAssembly binary encoder: just enough to write the SIMD
 * kernels in this folder as TypeScript (no assembler, no committed .wasm).
 * Modules are built once per process, in microseconds, and validated by the
 * engine when compiled.
 *
 * Only what the kernels use is here: i32 params and locals, v128 locals,
 * block/loop/br_if, i32 arithmetic, f32/v128 loads and stores, f32x4
 * add/mul and splat loads. Opcodes are from the WebAssembly core spec 2.0
 * (SIMD: prefix 0xfd).
 */

export const I32 = 0x7f;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof V128;

/** Appends n as unsigned LEB128 (the wasm binary format's integers). */
export function uleb(n: number, out: number[]): void {
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
}

function sleb(n: number, out: number[]): void {
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

function bytesOfName(s: string, out: number[]): void {
  const b = new TextEncoder().encode(s);
  uleb(b.length, out);
  out.push(...b);
}

/** One function body under construction: locals by name, instructions appended in order. */
export class FuncBuilder {
  readonly code: number[] = [];
  private readonly localIndex = new Map<string, number>();
  private readonly extraLocals: ValType[] = [];

  constructor(readonly params: readonly string[]) {
    params.forEach((p, i) => this.localIndex.set(p, i));
  }

  /** Declares a local (after the params); returns its name for chaining. */
  local(name: string, type: ValType): string {
    if (this.localIndex.has(name)) throw new Error(`wasm-encoder: local '${name}' declared twice`);
    this.localIndex.set(name, this.params.length + this.extraLocals.length);
    this.extraLocals.push(type);
    return name;
  }

  private idx(name: string): number {
    const i = this.localIndex.get(name);
    if (i === undefined) throw new Error(`wasm-encoder: unknown local '${name}'`);
    return i;
  }

  get(name: string): this {
    this.code.push(0x20);
    uleb(this.idx(name), this.code);
    return this;
  }
  set(name: string): this {
    this.code.push(0x21);
    uleb(this.idx(name), this.code);
    return this;
  }
  tee(name: string): this {
    this.code.push(0x22);
    uleb(this.idx(name), this.code);
    return this;
  }
  i32(n: number): this {
    this.code.push(0x41);
    sleb(n | 0, this.code);
    return this;
  }
  /** i32 add / sub / mul / lt_u, as named. */
  op(name: 'i32.add' | 'i32.sub' | 'i32.mul' | 'i32.lt_u' | 'i32.ne' | 'i32.eqz'): this {
    const codes = { 'i32.add': 0x6a, 'i32.sub': 0x6b, 'i32.mul': 0x6c, 'i32.lt_u': 0x49, 'i32.ne': 0x47, 'i32.eqz': 0x45 } as const;
    this.code.push(codes[name]);
    return this;
  }
  /** local += value (i32); `value` pushes one i32. */
  addTo(name: string, value: (f: this) => void): this {
    this.get(name);
    value(this);
    return this.op('i32.add').set(name);
  }
  /** A `loop` (no result); `br_if 0` inside continues it. */
  loop(body: (f: this) => void): this {
    this.code.push(0x03, 0x40);
    body(this);
    this.code.push(0x0b);
    return this;
  }
  /** A `block` (no result); `br_if 0` inside leaves it. */
  block(body: (f: this) => void): this {
    this.code.push(0x02, 0x40);
    body(this);
    this.code.push(0x0b);
    return this;
  }
  brIf(depth: number): this {
    this.code.push(0x0d);
    uleb(depth, this.code);
    return this;
  }
  private simd(op: number): void {
    this.code.push(0xfd);
    uleb(op, this.code);
  }
  private memarg(align: number, offset: number): void {
    uleb(align, this.code);
    uleb(offset, this.code);
  }
  /** v128.load at (address on stack) + offset. */
  v128Load(offset = 0): this {
    this.simd(0x00);
    this.memarg(2, offset);
    return this;
  }
  /** v128.store: stack [address, value]. */
  v128Store(offset = 0): this {
    this.simd(0x0b);
    this.memarg(2, offset);
    return this;
  }
  /** v128.load32_splat: one f32 broadcast to four lanes. */
  load32Splat(offset = 0): this {
    this.simd(0x09);
    this.memarg(2, offset);
    return this;
  }
  /** i32.load at (address on stack) + offset. */
  i32Load(offset = 0): this {
    this.code.push(0x28);
    this.memarg(2, offset);
    return this;
  }
  /** v128.const of sixteen zero bytes (0.0 in every f32 lane). */
  v128Zero(): this {
    this.simd(0x0c);
    for (let i = 0; i < 16; i++) this.code.push(0);
    return this;
  }
  /** An `if` (no result) on the i32 on the stack. */
  if(body: (f: this) => void): this {
    this.code.push(0x04, 0x40);
    body(this);
    this.code.push(0x0b);
    return this;
  }
  /** f32x4.max (NaN in either lane gives NaN, like Math.max). */
  f32x4Max(): this {
    this.simd(0xe9);
    return this;
  }
  f32x4Add(): this {
    this.simd(0xe4);
    return this;
  }
  f32x4Mul(): this {
    this.simd(0xe6);
    return this;
  }

  /** The body as the code section wants it: size, locals, instructions, end. */
  encode(): number[] {
    const body: number[] = [];
    // Run-length encoded local declarations.
    const groups: Array<[number, ValType]> = [];
    for (const t of this.extraLocals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    uleb(groups.length, body);
    for (const [n, t] of groups) {
      uleb(n, body);
      body.push(t);
    }
    body.push(...this.code, 0x0b);
    const out: number[] = [];
    uleb(body.length, out);
    out.push(...body);
    return out;
  }
}

function section(id: number, content: number[], out: number[]): void {
  out.push(id);
  uleb(content.length, out);
  out.push(...content);
}

/**
 * Where a module's memory comes from: its own (exported as `memory`, initially
 * `pages` × 64 KiB, growable), or imported as env.memory — another module's,
 * e.g. tfjs-wasm's heap, worked on in place; a shared memory (the threaded
 * build) must declare a maximum: 65536 pages, the most there is.
 */
export type ModuleMemory = { readonly own: number } | { readonly imported: { readonly shared: boolean } };

/**
 * A module of functions taking only i32 params and returning nothing, each
 * exported under its name, with the given memory (default: one page of its own).
 */
export function encodeModule(funcs: ReadonlyArray<{ name: string; fn: FuncBuilder }>, memory: ModuleMemory = { own: 1 }): Uint8Array<ArrayBuffer> {
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  // Types: one per distinct param count.
  const arities = [...new Set(funcs.map((f) => f.fn.params.length))];
  const types: number[] = [];
  uleb(arities.length, types);
  for (const n of arities) {
    types.push(0x60);
    uleb(n, types);
    for (let i = 0; i < n; i++) types.push(I32);
    types.push(0x00);
  }
  section(1, types, out);
  if ('imported' in memory) {
    const imports: number[] = [1];
    bytesOfName('env', imports);
    bytesOfName('memory', imports);
    // memory, limits: min 1 page; flags 0x03 = shared with a maximum, 0x00 = no maximum.
    if (memory.imported.shared) {
      imports.push(0x02, 0x03, 0x01);
      uleb(65536, imports);
    } else {
      imports.push(0x02, 0x00, 0x01);
    }
    section(2, imports, out);
  }
  const fsec: number[] = [];
  uleb(funcs.length, fsec);
  for (const f of funcs) uleb(arities.indexOf(f.fn.params.length), fsec);
  section(3, fsec, out);
  const own = 'own' in memory;
  if (own) {
    const mem: number[] = [1, 0x00];
    uleb(memory.own, mem);
    section(5, mem, out);
  }
  const exp: number[] = [];
  uleb(funcs.length + (own ? 1 : 0), exp);
  if (own) {
    bytesOfName('memory', exp);
    exp.push(0x02, 0x00);
  }
  funcs.forEach((f, i) => {
    bytesOfName(f.name, exp);
    exp.push(0x00);
    uleb(i, exp);
  });
  section(7, exp, out);
  const code: number[] = [];
  uleb(funcs.length, code);
  for (const f of funcs) code.push(...f.fn.encode());
  section(10, code, out);
  return new Uint8Array(out);
}
