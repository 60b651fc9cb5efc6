/**
 * The baseline dlc's overhead is measured against: the same model
 * (`buildModel(ir)`) in the smallest training loop one would write by hand
 * with tfjs — one random batch made once, `tf.variableGrads` of softmax
 * cross-entropy, a plain SGD-with-momentum update, the loss read back every
 * step (as dlc does, to stop on NaN and report progress).
 */
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../dist/runtime/model/build-model.js';

/** Builds the loop for `ir` at batch size `batch`; call `run(steps)` for samples/s. */
export function handwrittenLoop(ir, { batch, lr = 0.01, momentum = 0.9 }) {
  const model = buildModel(ir, { seed: ir.spec.seed });
  const vars = model.trainableWeights.map((w) => w.read());
  const velocity = vars.map((v) => tf.variable(tf.zerosLike(v)));
  const [h, w, c] = ir.inputShape;
  const xs = tf.randomUniform([batch, h, w, c], 0, 1, 'float32', 1);
  const labels = tf.randomUniform([batch], 0, ir.numClasses, 'int32', 2);
  const ys = tf.oneHot(labels, ir.numClasses).toFloat();
  labels.dispose();

  function step() {
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true })),
      vars,
    );
    tf.tidy(() => {
      vars.forEach((v, i) => {
        const g = grads[v.name];
        if (!g) return;
        velocity[i].assign(tf.add(tf.mul(velocity[i], momentum), g));
        v.assign(tf.sub(v, tf.mul(velocity[i], lr)));
      });
    });
    value.dataSync();
    value.dispose();
    tf.dispose(Object.values(grads));
  }

  return {
    /** Runs `steps` steps; returns samples/s over all of them. */
    run(steps) {
      const t0 = performance.now();
      for (let i = 0; i < steps; i++) step();
      return (batch * steps) / ((performance.now() - t0) / 1000);
    },
    dispose() {
      tf.dispose([xs, ys, ...velocity]);
      model.dispose();
    },
  };
}
