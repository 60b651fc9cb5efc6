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

/** Builds the optimizer for a spec; its learningRate starts at spec.learning_rate. */
export function makeOptimizer(spec: OptimizerSpec): TrainableOptimizer {
  switch (spec.kind) {
    case 'sgd':
      return new SgdOptimizer(spec);
    case 'adam':
      return new AdamOptimizer({ ...spec, decoupled: false });
    case 'adamw':
      return new AdamOptimizer({ ...spec, decoupled: true });
    case 'rmsprop':
      return new RmspropOptimizer(spec);
    case 'adagrad':
      return new AdagradOptimizer(spec);
    default:
      return assertNever(spec);
  }
}

function assertNever(x: never): never {
  throw new Error(`unknown optimizer: ${JSON.stringify(x)}`);
}
