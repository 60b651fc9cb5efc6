/** Flags shared by `dlc run`, `dlc eval` and `dlc predict` (parsed by the shared ./args.ts). */
import { BACKENDS } from '../runtime/backend/choices.js';
import { TORCH_DEVICES } from '../codegen/pytorch/devices.js';
import { UsageError, type FlagSpec, type ParsedArgs } from './args.js';

export { BACKENDS } from '../runtime/backend/choices.js';

/** `--backend auto|tensorflow|wasm|cpu` (dlc eval/predict: the TensorFlow.js backends). */
export const BACKEND_FLAG: FlagSpec = { name: 'backend', value: true, choices: BACKENDS };

/**
 * What `dlc run --backend` accepts: the TensorFlow.js backends, then `torch` — the spec emitted
 * as a PyTorch project and trained by Python (src/codegen/pytorch/run.ts). torch is not a tfjs
 * backend, so it is added here, at the CLI, and not to BACKENDS.
 */
export const RUN_BACKENDS = [...BACKENDS, 'torch'] as const;
export type RunBackend = (typeof RUN_BACKENDS)[number];
/** `--backend` of `dlc run`. */
export const RUN_BACKEND_FLAG: FlagSpec = { name: 'backend', value: true, choices: RUN_BACKENDS };
/** `dlc run --backend torch` only: `--python EXE`, `--device auto|cpu|cuda|mps`, `--nproc N`. */
export const TORCH_FLAGS: readonly FlagSpec[] = [
  { name: 'python', value: true },
  { name: 'device', value: true, choices: TORCH_DEVICES },
  { name: 'nproc', value: true },
];
/** `--checkpoint best|last`. */
export const CHECKPOINT_FLAG: FlagSpec = { name: 'checkpoint', value: true, choices: ['best', 'last'] };

/** A string flag's value, if given. */
export function flag(p: ParsedArgs, name: string): string | undefined {
  const v = p.flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** A positive integer flag value; throws UsageError otherwise. */
export function positiveInt(p: ParsedArgs, name: string): number | undefined {
  const v = flag(p, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(Number.isInteger(n) && n >= 1)) throw new UsageError(`option '--${name}' needs a positive integer, got '${v}'`);
  return n;
}
