/**
 * Models with several outputs (auxiliary heads, IR `outputs`): the tfjs
 * model has one output per head, main first, and the training loss is
 * Σ weight × loss(head). The weights travel with the model object
 * (`withLossWeights`, called by the runtime's model builder and by an
 * emitted project's model.ts), so the one training step (train/step.ts) —
 * on this thread or in a replica — finds them without another parameter.
 *
 * Everything else (evaluation, prediction, metrics) reads the main output
 * only: `mainOutput` of what `model.apply` / `model.predict` returned.
 */
import * as tf from '@tensorflow/tfjs';

const WEIGHTS = new WeakMap<tf.LayersModel, readonly number[]>();

/** Records the loss weight of each of `model`'s outputs (main first); returns the model. */
export function withLossWeights<M extends tf.LayersModel>(model: M, weights: readonly number[]): M {
  if (weights.length !== model.outputs.length) throw new Error(`model '${model.name}' has ${model.outputs.length} outputs but ${weights.length} loss weights`);
  WEIGHTS.set(model, [...weights]);
  return model;
}

/** The loss weight of each output of `model`: [1] for a one-output model. */
export function lossWeightsOf(model: tf.LayersModel): readonly number[] {
  const w = WEIGHTS.get(model);
  if (w) return w;
  if (model.outputs.length === 1) return [1];
  throw new Error(`model '${model.name}' has ${model.outputs.length} outputs but no loss weights (build it with withLossWeights)`);
}

const MAIN = new WeakMap<tf.LayersModel, tf.LayersModel>();

/**
 * The model that computes only the main output (the model itself when it has
 * one): evaluation and prediction skip the auxiliary heads. It shares the
 * model's layers and weights; never dispose it (dispose the model).
 */
export function mainModel(model: tf.LayersModel): tf.LayersModel {
  if (model.outputs.length === 1) return model;
  let m = MAIN.get(model);
  if (!m) {
    m = tf.model({ inputs: model.inputs, outputs: model.outputs[0]!, name: `${model.name}_main` });
    MAIN.set(model, m);
  }
  return m;
}

/**
 * The main output of what a model returned (a tensor, or one per output),
 * disposing the auxiliary heads' tensors; inside a tidy they would go anyway.
 */
export function mainOutput<T extends tf.Tensor>(out: T | T[]): T {
  if (!Array.isArray(out)) return out;
  const [main, ...aux] = out;
  tf.dispose(aux);
  return main!;
}

/**
 * The training loss of a model's outputs against the same targets:
 * Σ weight × loss(head, ys) (PyTorch GoogLeNet: main + 0.3·aux1 + 0.3·aux2),
 * and the main output (for the running accuracy).
 */
export function weightedLoss(out: tf.Tensor | tf.Tensor[], weights: readonly number[], lossOf: (logits: tf.Tensor2D) => tf.Scalar): { readonly main: tf.Tensor2D; readonly loss: tf.Scalar } {
  const heads = (Array.isArray(out) ? out : [out]) as tf.Tensor2D[];
  if (heads.length !== weights.length) throw new Error(`the model returned ${heads.length} outputs for ${weights.length} loss weights`);
  let loss = lossOf(heads[0]!);
  if (weights[0] !== 1) loss = tf.mul(loss, weights[0]!);
  for (let i = 1; i < heads.length; i++) loss = tf.add(loss, tf.mul(lossOf(heads[i]!), weights[i]!));
  return { main: heads[0]!, loss };
}
