/**
 * Backend selection: `--backend auto|tensorflow|wasm|cpu`.
 *
 * - `tensorflow`: `@tensorflow/tfjs-node` (native libtensorflow). An
 *   optionalDependency whose install downloads libtensorflow, so it is often
 *   absent; imported dynamically, with a clear error when missing.
 * - `wasm`: `@tensorflow/tfjs-backend-wasm` (XNNPACK, SIMD), loaded from the
 *   package's own dist folder on disk (never the network), plus dlc's
 *   training kernels (./wasm-kernels). Threaded (XNNPACK's pthreadpool, one
 *   thread per core) unless `threads: 1` (./wasm-threads).
 * - `cpu`: tfjs's pure-JS reference backend, with dlc's kernel corrections
 *   (./cpu-kernels).
 * - `auto`: the first of tensorflow, wasm, cpu that loads.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { registerAvgPoolGradFix } from './avg-pool-grad.js';
import { registerCpuKernelFixes } from './cpu-kernels.js';
import { registerWasmTrainingKernels } from './wasm-training/kernels/register.js';
import { defaultWasmThreads, prepareWasmThreads, settleWasmThreads } from './wasm-training/threads.js';
import type { BackendChoice, BackendName } from './choices.js';

export { BACKENDS, type BackendChoice, type BackendName } from './choices.js';

/** The backend in use and why, for the run's first log line. */
export interface BackendInfo {
  readonly name: BackendName;
  /** e.g. "tfjs-node not installed; using wasm (XNNPACK, SIMD)". */
  readonly reason: string;
  /** Threads the backend computes on (wasm: XNNPACK's pool; 1 single-threaded); absent when unknown. */
  readonly threads?: number;
}

export interface InitBackendOptions {
  /**
   * Silence tfjs's console hints (the "install tfjs-node" banner, platform
   * notices) by turning on its PROD flag. Default true: dlc's own output
   * (stdout) must stay clean for pipes and golden tests.
   */
  readonly quiet?: boolean;
  /**
   * wasm only: threads for XNNPACK's convs and matmuls. Default: one per
   * core (results are bit-identical to 1 thread: XNNPACK splits work by
   * output tiles, never a sum). 1 loads the single-threaded build. Fixed
   * by the first wasm initialisation in a process (the module is created
   * once); `BackendInfo.threads` says what is in effect. The environment
   * variable `DLC_WASM_THREADS` replaces the default.
   */
  readonly threads?: number;
}

/** The requested backend cannot be used on this machine. */
export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: BackendName,
    message: string,
  ) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

const TFJS_NODE = '@tensorflow/tfjs-node';
const WASM = '@tensorflow/tfjs-backend-wasm';
const require = createRequire(import.meta.url);

function describe(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

/** The package itself is absent (not: present, but its native binding or a dependency is missing). */
function isNotFound(e: unknown, pkg: string): boolean {
  const err = e as { code?: string; message?: string } | null;
  const missing = err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND';
  return missing && new RegExp(`(package|module) '${pkg}'`).test(err?.message ?? '');
}

/**
 * The single-threaded build (tfjs's own choice in Node): `threads: 1`, or
 * the fallback when the threaded one cannot start. Both are deterministic
 * and give bit-identical results (XNNPACK never splits a sum across threads).
 */
function useSingleThreadedWasm(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
}

async function useTensorflow(): Promise<BackendInfo> {
  try {
    // A variable specifier: the package is optional and may have no types installed.
    const name = TFJS_NODE;
    await import(name);
  } catch (e) {
    const why = isNotFound(e, TFJS_NODE)
      ? `${TFJS_NODE} is not installed (it is an optional dependency; its install downloads libtensorflow, which fails without network access)`
      : `${TFJS_NODE} failed to load: ${describe(e)}`;
    throw new BackendUnavailableError(
      'tensorflow',
      `backend 'tensorflow' unavailable: ${why}. Install it with \`npm install ${TFJS_NODE}\` on a machine with network access, or use --backend wasm.`,
    );
  }
  if (!(await tf.setBackend('tensorflow'))) {
    throw new BackendUnavailableError('tensorflow', `backend 'tensorflow' unavailable: ${TFJS_NODE} loaded but its backend failed to initialise`);
  }
  return { name: 'tensorflow', reason: 'using tensorflow (tfjs-node, native libtensorflow)' };
}

/** Threads of the wasm module, once created (it is created once per process). */
let wasmThreads: number | undefined;
/** Why the threaded build was not used although asked for, for the reason line. */
let wasmThreadsNote = '';

async function useWasm(opts: InitBackendOptions): Promise<BackendInfo> {
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    wasm = await import(WASM);
    // The .wasm binaries ship next to the package's main file; read them from disk.
    wasm.setWasmPaths(path.dirname(require.resolve(WASM)) + path.sep);
  } catch (e) {
    throw new BackendUnavailableError('wasm', `backend 'wasm' unavailable: ${WASM} failed to load: ${describe(e)}`);
  }
  if (wasmThreads === undefined) wasmThreads = await createWasmBackend(wasm, Math.max(1, Math.floor(opts.threads ?? envThreads() ?? defaultWasmThreads())));
  else if (!(await tf.setBackend('wasm'))) throw wasmFailed();
  registerWasmTrainingKernels();
  // tfjs's padded average pooling gradient divides by kh·kw, its forward by the real pixels (avg-pool-grad.ts).
  registerAvgPoolGradFix('wasm');
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = wasmThreads > 1 ? `, ${wasmThreads} threads` : wasmThreadsNote || ', 1 thread';
  return { name: 'wasm', reason: `using wasm (XNNPACK${simd ? ', SIMD' : ', no SIMD'}${threads})`, threads: wasmThreads };
}

/** `DLC_WASM_THREADS=n`: the default thread count for runs whose caller sets none (benchmarks, shared machines). */
function envThreads(): number | undefined {
  const n = Number(process.env.DLC_WASM_THREADS);
  return Number.isFinite(n) && n >= 1 ? n : undefined;
}

function wasmFailed(): BackendUnavailableError {
  return new BackendUnavailableError('wasm', `backend 'wasm' unavailable: the WebAssembly module failed to initialise`);
}

/** Creates the wasm backend, threaded if asked and possible (else single-threaded); returns its thread count. */
async function createWasmBackend(wasm: typeof import('@tensorflow/tfjs-backend-wasm'), threads: number): Promise<number> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'); // tfjs ships threads only as threaded-SIMD
  if (threads > 1 && simd && typeof SharedArrayBuffer === 'function') {
    let restore: (() => void) | undefined;
    try {
      restore = prepareWasmThreads(wasm, threads);
      const ok = await tf.setBackend('wasm');
      restore();
      restore = undefined;
      if (ok) return settleWasmThreads(tf.backend());
      wasmThreadsNote = ', 1 thread: the threaded build failed to initialise';
    } catch (e) {
      restore?.();
      wasmThreadsNote = `, 1 thread: threads unavailable (${describe(e)})`;
    }
  }
  useSingleThreadedWasm();
  if (!(await tf.setBackend('wasm'))) throw wasmFailed();
  return 1;
}

async function useCpu(): Promise<BackendInfo> {
  if (!(await tf.setBackend('cpu'))) throw new BackendUnavailableError('cpu', "backend 'cpu' failed to initialise");
  registerCpuKernelFixes();
  registerAvgPoolGradFix('cpu');
  return { name: 'cpu', reason: 'using cpu (pure JavaScript; slow for convolutions)', threads: 1 };
}

const USE: Record<BackendName, (opts: InitBackendOptions) => Promise<BackendInfo>> = { tensorflow: useTensorflow, wasm: useWasm, cpu: useCpu };

/**
 * Makes `choice` the active tfjs backend and says why. `auto` tries
 * tensorflow, then wasm, then cpu; its reason names what was skipped
 * ("tfjs-node not installed; using wasm (XNNPACK, SIMD)"). An explicit
 * choice that cannot load throws BackendUnavailableError. Safe to call
 * again (e.g. to switch backends in tests).
 */
export async function initBackend(choice: BackendChoice = 'auto', opts: InitBackendOptions = {}): Promise<BackendInfo> {
  if (opts.quiet ?? true) tf.env().set('PROD', true);
  if (choice !== 'auto') return USE[choice](opts);
  const skipped: string[] = [];
  for (const name of ['tensorflow', 'wasm', 'cpu'] as const) {
    try {
      const info = await USE[name](opts);
      return { ...info, reason: [...skipped, info.reason].join('; ') };
    } catch (e) {
      if (!(e instanceof BackendUnavailableError)) throw e;
      skipped.push(shortReason(e));
    }
  }
  throw new Error('no tfjs backend could be initialised: ' + skipped.join('; '));
}

function shortReason(e: BackendUnavailableError): string {
  if (e.backend === 'tensorflow' && e.message.includes('not installed')) return 'tfjs-node not installed';
  return `${e.backend} unavailable (${e.message.replace(/^backend '\w+' unavailable: /, '').split('. ')[0]})`;
}

/**
 * Runs `fn` with `backend` active, then restores the previous backend. For
 * tests comparing backends: read results (`dataSync`, `arraySync`) inside
 * `fn`, since tensors it returns belong to that backend.
 */
export async function withBackend<T>(backend: BackendName, fn: () => T | Promise<T>): Promise<T> {
  const previous = tf.getBackend();
  await initBackend(backend);
  try {
    return await fn();
  } finally {
    if (previous !== undefined && previous !== backend) await tf.setBackend(previous);
  }
}
