/**
 * `Identity` for the wasm backend that shares data instead of copying it.
 *
 * While recording gradients the engine clones every tensor a gradient will
 * need (saveTensorsForBackwardMode → clone → Identity); the wasm backend's
 * Identity copies the whole buffer each time (~10 ms of a ConvNet step).
 * Tensor data is immutable on wasm (every kernel writes a fresh output), so,
 * as the cpu backend does, the clone can point at the same buffer with one
 * more reference. Strings keep the original kernel.
 */
import type { WasmKernelFunc } from './compose.js';

let original: WasmKernelFunc | undefined;

/** Set by the registration code before it replaces the backend's kernel. */
export function setOriginalIdentity(fn: WasmKernelFunc | undefined): void {
  original = fn;
}

/** The kernel function registered as `Identity` on wasm. */
export const identityShared: WasmKernelFunc = (args) => {
  const { x } = args.inputs;
  if (x.dtype === 'string') {
    if (original === undefined) throw new Error('dlc wasm kernels: Identity of strings needs the original kernel');
    return original(args);
  }
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
};
