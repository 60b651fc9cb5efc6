/**
 * The `sweep:` section (read by `dlc sweep` only; `dlc run` ignores it): the
 * swept `--set` paths with their values or distributions, the search method,
 * the ranking monitor and successive halving. Kept in the schema so editors
 * validate, hover and complete it like every other section.
 */
import { anyOf, describe, enumOf, integer, object, string, type Schema } from './helpers.js';

const pairOfNumbers = (what: string, example: [number, number]): Schema => describe({ type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 }, what, { examples: [example] });

/** One swept key: a list of values (grid), or a distribution (random search). */
function parameterSchema(): Schema {
  return anyOf(
    [
      { type: 'array', minItems: 1, items: { type: ['number', 'string', 'boolean', 'array', 'object'] }, description: 'The values to try (every one in a grid; drawn uniformly in a random search).' },
      object({ loguniform: pairOfNumbers('[low, high], low > 0: drawn uniformly in log space.', [0.0001, 0.1]) }, 'Log-uniform between two positive bounds (learning rates, weight decay).', { required: ['loguniform'] }),
      object({ uniform: pairOfNumbers('[low, high]', [0, 0.5]) }, 'Uniform between two bounds.', { required: ['uniform'] }),
      object({ int_uniform: pairOfNumbers('[low, high], both included', [16, 128]) }, 'A whole number between two bounds, both included.', { required: ['int_uniform'] }),
      object({ choice: describe({ type: 'array', minItems: 1 }, 'The values to draw from.', { examples: [[32, 64, 128]] }) }, 'One of the listed values.', { required: ['choice'] }),
    ],
    'Values of one swept key: a list, or `{loguniform: [a, b]}`, `{uniform: [a, b]}`, `{int_uniform: [a, b]}`, `{choice: […]}`.',
    { examples: [[0.1, 0.01], { loguniform: [0.0001, 0.1] }] },
  );
}

/** The schema of the `sweep:` section. */
export function sweepSchema(): Schema {
  return object(
    {
      parameters: describe(
        { type: 'object', additionalProperties: parameterSchema(), propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*$' }, minProperties: 1 },
        'The swept keys, as `--set` paths (`optimizer.adam.learning_rate`, `data.batch_size`), each with its values or a distribution.',
        { examples: [{ 'optimizer.sgd.learning_rate': [0.1, 0.01], 'data.batch_size': [32, 64] }] },
      ),
      method: enumOf(['grid', 'random'], '`grid`: every combination of the listed values; `random`: `trials` seeded draws. Default: random when a key has a distribution, else grid.'),
      trials: integer('Random search: number of trials.', { minimum: 1, maximum: 10000, default: 10 }),
      monitor: string('The value that ranks trials: a metrics.jsonl key (best over the epochs) or `test_accuracy` / `test_loss`.', { default: 'val_accuracy', examples: ['val_accuracy', 'val_loss', 'test_accuracy'] }),
      mode: enumOf(['min', 'max'], 'Whether lower or higher `monitor` values are better. Default: min for *loss, else max.'),
      parallel: integer('Trials run at once (child processes). Default: the number of cores.', { minimum: 1, maximum: 256, examples: [2] }),
      halving: object(
        {
          min_epochs: integer('Epochs of the first rung (every trial).', { minimum: 1, default: 1 }),
          eta: integer('Keep the best 1/eta of each rung and train them eta times longer, up to train.epochs.', { minimum: 2, default: 2 }),
        },
        'Successive halving: stop poor trials early.',
      ),
    },
    'A hyperparameter sweep, run by `dlc sweep SPEC` (one run per trial); `dlc run` ignores this section.',
    { required: ['parameters'] },
  );
}

