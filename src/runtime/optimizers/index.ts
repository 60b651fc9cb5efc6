/**
 * Optimizers: `makeOptimizer(spec)` builds the TrainableOptimizer a spec asks
 * for. All follow PyTorch's update equations (see each file); weight decay is
 * L2 in the gradient except for AdamW, and clipping (value, then global norm)
 * happens before the update.
 */
import type { OptimizerSpec } from '../../compiler/spec.js';
import type { TrainableOptimizer } from '../contracts.js';
import { AdagradOptimizer } from './adagrad.js';
import { AdamOptimizer } from './adam.js';
import { RmspropOptimizer } from './rmsprop.js';
import { SgdOptimizer } from './sgd.js';

export { SlotOptimizer, STEP_STATE_NAME, type Slots } from './base.js';
export { clipByGlobalNorm, clipByValue, globalNorm } from './gradients.js';
export { SgdOptimizer, type SgdOptions } from './sgd.js';
export { AdamOptimizer, type AdamOptions } from './adam.js';
export { RmspropOptimizer, type RmspropOptions } from './rmsprop.js';
export { AdagradOptimizer, type AdagradOptions } from './adagrad.js';

/** The member of OptimizerSpec whose kind includes K (adam and adamw share one). */
type OptimizerOf<K extends OptimizerSpec['kind']> = OptimizerSpec extends infer U ? (U extends { kind: infer UK } ? (K extends UK ? U : never) : never) : never;

/** A kind of optimizer → how it is built from its spec. */
export type OptimizerImpls = { readonly [K in OptimizerSpec['kind']]: (spec: OptimizerOf<K>) => TrainableOptimizer };

/**
 * The implementation of every optimizer kind the compiler declares
 * (compiler/kinds/optimizers/): keyed by the spec union, so a declared kind
 * without an entry here does not compile.
 */
export const OPTIMIZER_IMPLS: OptimizerImpls = {
  sgd: (spec) => new SgdOptimizer(spec),
  adam: (spec) => new AdamOptimizer({ ...spec, decoupled: false }),
  adamw: (spec) => new AdamOptimizer({ ...spec, decoupled: true }),
  rmsprop: (spec) => new RmspropOptimizer(spec),
  adagrad: (spec) => new AdagradOptimizer(spec),
};

/** Builds the optimizer for a spec; its learningRate starts at spec.learning_rate. */
export function makeOptimizer(spec: OptimizerSpec): TrainableOptimizer {
  const impl = OPTIMIZER_IMPLS[spec.kind] as ((s: OptimizerSpec) => TrainableOptimizer) | undefined;
  if (!impl) throw new Error(`unknown optimizer: ${JSON.stringify(spec)}`);
  return impl(spec);
}
