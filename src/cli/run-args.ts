/** Flags shared by `dlc run`, `dlc eval` and `dlc predict` (parsed by the shared ./args.ts). */
import { BACKENDS } from '../runtime/backend/choices.js';
import { UsageError, type FlagSpec, type ParsedArgs } from './args.js';

export { BACKENDS } from '../runtime/backend/choices.js';

/** `--backend auto|tensorflow|wasm|cpu`. */
export const BACKEND_FLAG: FlagSpec = { name: 'backend', value: true, choices: BACKENDS };
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
