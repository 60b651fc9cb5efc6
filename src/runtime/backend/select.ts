/**
 * Backend selection: `--backend auto|tensorflow|wasm|cpu`.
 *
 * - `tensorflow`: `@tensorflow/tfjs-node` (native libtensorflow). An
 *   optionalDependency whose install downloads libtensorflow, so it is often
 *   absent; imported dynamically, with a clear error when missing.
 * - `wasm`: `@tensorflow/tfjs-backend-wasm` (XNNPACK, SIMD), loaded from the
 *   package's own dist folder on disk (never the network), plus dlc's
 *   training kernels (./wasm-kernels).
 * - `cpu`: tfjs's pure-JS reference backend.
 * - `auto`: the first of tensorflow, wasm, cpu that loads.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from './wasm-kernels/register.js';

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendName = Exclude<BackendChoice, 'auto'>;

/** The backend in use and why, for the run's first log line. */
export interface BackendInfo {
  readonly name: BackendName;
  /** e.g. "tfjs-node not installed; using wasm (XNNPACK, SIMD)". */
  readonly reason: string;
}

export interface InitBackendOptions {
  /**
   * Silence tfjs's console hints (the "install tfjs-node" banner, platform
   * notices) by turning on its PROD flag. Default true: dlc's own output
   * (stdout) must stay clean for pipes and golden tests.
   */
  readonly quiet?: boolean;
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

/** Settings that make runs repeat bit for bit on cpu and wasm. */
function pinDeterminism(): void {
  // The threaded wasm build splits work across threads; keep the single-threaded
  // build (the only one Node can run anyway) so the summation order never changes.
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

async function useWasm(): Promise<BackendInfo> {
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    wasm = await import(WASM);
    // The .wasm binaries ship next to the package's main file; read them from disk.
    wasm.setWasmPaths(path.dirname(require.resolve(WASM)) + path.sep);
    pinDeterminism(); // its flag exists once the package is loaded
  } catch (e) {
    throw new BackendUnavailableError('wasm', `backend 'wasm' unavailable: ${WASM} failed to load: ${describe(e)}`);
  }
  if (!(await tf.setBackend('wasm'))) {
    throw new BackendUnavailableError('wasm', `backend 'wasm' unavailable: the WebAssembly module failed to initialise`);
  }
  registerWasmTrainingKernels();
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  return { name: 'wasm', reason: `using wasm (XNNPACK${simd ? ', SIMD' : ', no SIMD'})` };
}

async function useCpu(): Promise<BackendInfo> {
  if (!(await tf.setBackend('cpu'))) throw new BackendUnavailableError('cpu', "backend 'cpu' failed to initialise");
  return { name: 'cpu', reason: 'using cpu (pure JavaScript; slow for convolutions)' };
}

const USE: Record<BackendName, () => Promise<BackendInfo>> = { tensorflow: useTensorflow, wasm: useWasm, cpu: useCpu };

/**
 * Makes `choice` the active tfjs backend and says why. `auto` tries
 * tensorflow, then wasm, then cpu; its reason names what was skipped
 * ("tfjs-node not installed; using wasm (XNNPACK, SIMD)"). An explicit
 * choice that cannot load throws BackendUnavailableError. Safe to call
 * again (e.g. to switch backends in tests).
 */
export async function initBackend(choice: BackendChoice = 'auto', opts: InitBackendOptions = {}): Promise<BackendInfo> {
  if (opts.quiet ?? true) tf.env().set('PROD', true);
  if (choice !== 'auto') return USE[choice]();
  const skipped: string[] = [];
  for (const name of ['tensorflow', 'wasm', 'cpu'] as const) {
    try {
      const info = await USE[name]();
      return { name: info.name, reason: [...skipped, info.reason].join('; ') };
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
