/**
 * `conventions: pytorch | keras` (top level, default `pytorch`): which
 * framework's defaults a spec gets where PyTorch and Keras differ.
 *
 * The declared defaults (op modules in compiler/ops/, kind declarations in
 * compiler/kinds/) are PyTorch's, so the schema's `default:`s and the docs
 * show what a spec gets without the key. `keras` overrides the few values
 * listed here; everything a spec states itself wins over both. `dlc config`
 * prints the resolved values (and the key).
 *
 * What differs (PyTorch → Keras):
 * - batch_norm: epsilon 1e-5 → 1e-3; momentum (Keras spelling: the weight of
 *   the old running value) 0.9 (= PyTorch momentum 0.1) → 0.99;
 * - layer_norm: epsilon 1e-5 → 1e-3;
 * - leaky_relu layer: alpha 0.01 (as `activation: leaky_relu`) → 0.3;
 * - adam / adamw: epsilon 1e-8 → 1e-7;
 * - rmsprop: learning_rate 0.01 → 0.001, rho 0.99 → 0.9, epsilon 1e-8 → 1e-7;
 * - adagrad: initial_accumulator_value 0 → 0.1, epsilon 1e-10 → 1e-7;
 * - one_cycle schedule: cycle_momentum true (PyTorch OneCycleLR) → false;
 * - initial weights of conv/dense kernels and biases: PyTorch's
 *   kaiming-uniform(a=√5) kernels and uniform(±1/√fan_in) biases → Glorot
 *   uniform kernels and zero biases (ops/recipe.ts reads `conventions`);
 * - initial weights of the sequence kinds: embedding normal(0, 1) (nn.Embedding)
 *   → Glorot uniform; lstm / gru (bidirectional's too) kernel, recurrent kernel
 *   and bias uniform(±1/√units) (nn.LSTM / nn.GRU) → Glorot, orthogonal, zero.
 */
import type { Conventions } from '../spec.js';

export const CONVENTIONS = ['pytorch', 'keras'] as const satisfies readonly Conventions[];

export const DEFAULT_CONVENTIONS: Conventions = 'pytorch';

type Overrides = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** Keras's values where they differ from the declared (PyTorch) defaults, by layer kind. */
const KERAS_LAYERS: Overrides = {
  batch_norm: { momentum: 0.99, epsilon: 0.001 },
  layer_norm: { epsilon: 0.001 },
  leaky_relu: { alpha: 0.3 },
};

/** The same for optimizers, by kind. */
const KERAS_OPTIMIZERS: Overrides = {
  adam: { epsilon: 1e-7 },
  adamw: { epsilon: 1e-7 },
  rmsprop: { learning_rate: 0.001, rho: 0.9, epsilon: 1e-7 },
  adagrad: { initial_accumulator_value: 0.1, epsilon: 1e-7 },
};

/** The same for schedules, by kind (Keras has no one-cycle schedule; dlc's used to leave momentum alone). */
const KERAS_SCHEDULES: Overrides = {
  one_cycle: { cycle_momentum: false },
};

const NONE: Readonly<Record<string, unknown>> = {};

/** The defaults `conventions` puts over a layer kind's declared ones (empty when none differ). */
export function layerDefaultsFor(conventions: Conventions, kind: string): Readonly<Record<string, unknown>> {
  return conventions === 'keras' && Object.hasOwn(KERAS_LAYERS, kind) ? KERAS_LAYERS[kind] : NONE;
}

/** The defaults `conventions` puts over an optimizer kind's declared ones. */
export function optimizerDefaultsFor(conventions: Conventions, kind: string): Readonly<Record<string, unknown>> {
  return conventions === 'keras' && Object.hasOwn(KERAS_OPTIMIZERS, kind) ? KERAS_OPTIMIZERS[kind] : NONE;
}

/** The defaults `conventions` puts over a schedule kind's declared ones. */
export function scheduleDefaultsFor(conventions: Conventions, kind: string): Readonly<Record<string, unknown>> {
  return conventions === 'keras' && Object.hasOwn(KERAS_SCHEDULES, kind) ? KERAS_SCHEDULES[kind] : NONE;
}

/** Every (section, kind, key) whose default depends on the conventions, with both values' sources: for docs and tests. */
export const KERAS_OVERRIDES = { layers: KERAS_LAYERS, optimizers: KERAS_OPTIMIZERS, schedules: KERAS_SCHEDULES } as const;

/**
 * The initial weights `conventions` gives (they are drawn in the IR's recipes, not spec keys):
 * one line for `dlc config`'s header, so it shows every value a spec resolves to.
 */
export function initialWeightsText(conventions: Conventions): string {
  return conventions === 'pytorch'
    ? "initial weights (conventions: pytorch): conv/dense kernels kaiming_uniform(a=√5) = uniform(±1/√fan_in), biases uniform(±1/√fan_in); embedding normal(0, 1); lstm/gru kernels, recurrent kernels and biases uniform(±1/√units); a layer's `init: keras` overrides"
    : "initial weights (conventions: keras): conv/dense kernels Glorot uniform, biases zero; embedding Glorot uniform; lstm/gru kernel Glorot uniform, recurrent kernel orthogonal, bias zero; a layer's `init: pytorch` overrides";
}
