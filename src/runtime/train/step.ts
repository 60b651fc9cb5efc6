/**
 * One optimisation step, written out instead of `model.fit`: forward in
 * training mode under `tf.variableGrads`, loss, gradients of the trainable
 * weights, and our TrainableOptimizer's update (PyTorch semantics, state
 * that checkpoints exactly). Leaves no tensors behind.
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch, LossFn, TrainableOptimizer } from '../contracts.js';

export interface StepResult {
  /** Batch-mean loss. */
  readonly loss: number;
  /** Samples whose arg-max prediction equals the label. */
  readonly correct: number;
}

/** The model's trainable variables, in the (stable) order the optimizer numbers them. */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * Runs one step on `batch`. When the loss is not finite the update is
 * skipped (the weights stay the last good ones) and the loss is returned
 * for the caller to stop on.
 */
export function trainStep(model: tf.LayersModel, vars: readonly tf.Variable[], lossFn: LossFn, optimizer: TrainableOptimizer, batch: Batch): StepResult {
  let predicted: tf.Tensor | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const logits = model.apply(batch.xs, { training: true }) as tf.Tensor2D;
    // Kept past variableGrads' tidy so the running accuracy needs no second forward pass.
    predicted = tf.keep(tf.argMax(logits, -1));
    return lossFn(logits, batch.ys);
  }, [...vars]);
  try {
    const loss = value.dataSync()[0];
    const pred = predicted!.dataSync();
    let correct = 0;
    for (let i = 0; i < batch.size; i++) if (pred[i] === batch.labels[i]) correct++;
    if (Number.isFinite(loss)) {
      // A weight the loss does not reach has no gradient; it gets a zero one so the optimizer's numbering stays stable.
      tf.tidy(() => optimizer.applyGradients(vars, vars.map((v) => grads[v.name] ?? tf.zerosLike(v))));
    }
    return { loss, correct };
  } finally {
    value.dispose();
    predicted?.dispose();
    tf.dispose(Object.values(grads));
  }
}
