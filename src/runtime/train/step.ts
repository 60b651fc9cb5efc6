/**
 * One optimisation step, written out instead of `model.fit`: forward in
 * training mode under `tf.variableGrads`, loss, gradients of the trainable
 * weights, and our TrainableOptimizer's update (PyTorch semantics, state
 * that checkpoints exactly). Leaves no tensors behind.
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch, LossFn, TrainableOptimizer } from '../contracts.js';
import { lossWeightsOf, weightedLoss } from '../model/outputs.js';

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

/** Gradients of one batch (or one replica's slice of it). */
export interface Gradients {
  /** The loss × scale (scale 1: the batch-mean loss). */
  readonly loss: number;
  /** Rows whose arg-max prediction equals the label. */
  readonly correct: number;
  /** One gradient per variable in `vars` order, zeros where the loss does not reach a weight. The caller disposes them. */
  readonly grads: tf.Tensor[];
}

/**
 * Forward and backward pass of `xs` in training mode. `scale` multiplies
 * the batch-mean loss: a data-parallel replica holding n of a batch's B
 * rows uses n / B, so the replicas' gradients add up to the whole batch's.
 */
export function computeGradients(model: tf.LayersModel, vars: readonly tf.Variable[], lossFn: LossFn, xs: tf.Tensor, ys: tf.Tensor2D, labels: ArrayLike<number>, scale = 1): Gradients {
  let predicted: tf.Tensor | undefined;
  const weights = lossWeightsOf(model);
  const { value, grads } = tf.variableGrads(() => {
    // Several outputs (auxiliary heads): Σ weight × loss(head); accuracy from the main one.
    const { main: logits, loss } = weightedLoss(model.apply(xs, { training: true }) as tf.Tensor | tf.Tensor[], weights, (l) => lossFn(l, ys));
    // Kept past variableGrads' tidy so the running accuracy needs no second forward pass.
    predicted = tf.keep(tf.argMax(logits, -1));
    return scale === 1 ? loss : tf.mul(loss, scale);
  }, [...vars]);
  try {
    const loss = value.dataSync()[0]!;
    const pred = predicted!.dataSync();
    let correct = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) correct++;
    // A weight the loss does not reach has no gradient; it gets a zero one so the optimizer's numbering stays stable.
    return { loss, correct, grads: vars.map((v) => grads[v.name] ?? tf.zerosLike(v)) };
  } catch (e) {
    tf.dispose(Object.values(grads));
    throw e;
  } finally {
    value.dispose();
    predicted?.dispose();
  }
}

/**
 * Runs one step on `batch`. When the loss is not finite the update is
 * skipped (the weights stay the last good ones) and the loss is returned
 * for the caller to stop on.
 */
export function trainStep(model: tf.LayersModel, vars: readonly tf.Variable[], lossFn: LossFn, optimizer: TrainableOptimizer, batch: Batch): StepResult {
  const { loss, correct, grads } = computeGradients(model, vars, lossFn, batch.xs, batch.ys, batch.labels);
  try {
    if (Number.isFinite(loss)) tf.tidy(() => optimizer.applyGradients(vars, grads));
    return { loss, correct };
  } finally {
    tf.dispose(grads);
  }
}
