/**
 * A wasm module of dlc's own kernels, compiled and instantiated once per
 * process/thread on first use (synchronously: the modules are a few KB), with
 * a memory of its own that the kernels copy their operands into.
 */

/** The slice of the WebAssembly JS API used here (the project's lib is ES2022 without DOM typings). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** An instantiated module: its own memory and its exported kernels by name. */
export interface KernelInstance<F> {
  readonly memory: WasmMemory;
  readonly fns: ReadonlyMap<string, F>;
}

/**
 * The module of `bytes()` (an encodeModule with its own memory), instantiated
 * on the first `get()`; `available()` says whether this engine compiles it
 * (wasm SIMD), so callers can pick another form.
 */
export function lazyKernelModule<F>(bytes: () => Uint8Array<ArrayBuffer>, names: readonly string[]): { get(): KernelInstance<F>; available(): boolean } {
  let instance: KernelInstance<F> | undefined;
  const get = (): KernelInstance<F> => {
    if (instance) return instance;
    const inst = new wasmApi.Instance(new wasmApi.Module(bytes()), {});
    instance = { memory: inst.exports.memory as WasmMemory, fns: new Map(names.map((n) => [n, inst.exports[n] as F])) };
    return instance;
  };
  return {
    get,
    available(): boolean {
      try {
        get();
        return true;
      } catch {
        return false;
      }
    },
  };
}
