/**
 * Training a model with several outputs (issue 14): the tfjs model has one
 * output per head (main first), one step's loss is main + w·aux computed by
 * hand from the same forward pass, the weight reaches the gradients, `dlc
 * run`'s loop trains it (the loss falls), and evaluation and prediction read
 * the main output of the saved checkpoint.
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/runtime/model/build-model.js';
import { lossWeightsOf, mainModel, mainOutput } from '../../../src/runtime/model/outputs.js';
import { makeLoss } from '../../../src/runtime/losses/index.js';
import { computeGradients, trainableVariables } from '../../../src/runtime/train/step.js';
import { train } from '../../../src/runtime/train/train.js';
import { evaluate } from '../../../src/runtime/train/evaluate.js';
import { openRun } from '../../../src/runtime/train/run-model.js';
import { recordMistakes } from '../../../src/report/misclassified.js';
import { auxIR, auxSpec } from '../model/aux-fixture.js';
import { compile } from '../../../src/compiler/compile.js';

let root: string;
const quiet = { write: () => true, isTTY: false };

/** Softmax cross-entropy of one row of logits against a class, in float64. */
function ce(row: ArrayLike<number>, label: number): number {
  const xs = Array.from(row);
  const m = Math.max(...xs);
  const lse = m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
  return lse - xs[label]!;
}

function batch(rows: number, seed: number) {
  const xs = tf.randomNormal([rows, 6, 6, 2], 0, 1, 'float32', seed);
  const labels = Int32Array.from({ length: rows }, (_, i) => (i * 7 + seed) % 3);
  const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 3).toFloat() as tf.Tensor2D;
  return { xs, ys, labels };
}

describe('several outputs on the tfjs runtime', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dlc-aux-heads-'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('builds one output per head, main first, with the loss weights', () => {
    const model = buildModel(auxIR());
    expect(model.outputs.map((o) => o.shape)).toEqual([
      [null, 3],
      [null, 3],
    ]);
    expect(model.outputNames[0]).toMatch(/^logits/);
    expect(model.outputNames[1]).toMatch(/^aux/);
    expect(lossWeightsOf(model)).toEqual([1, 0.3]);
    // The auxiliary head's weights are part of the model (and so of its checkpoints).
    expect(model.weights.map((w) => w.originalName)).toContain('aux/kernel');
    model.dispose();
  });

  it("one step's loss is main + 0.3·aux, computed by hand from the same forward pass", () => {
    const model = buildModel(auxIR());
    const vars = trainableVariables(model);
    const { xs, ys, labels } = batch(8, 1);
    const [main, aux] = model.apply(xs, { training: true }) as tf.Tensor2D[];
    const m = main!.arraySync();
    const a = aux!.arraySync();
    let byHand = 0;
    for (let i = 0; i < labels.length; i++) byHand += (ce(m[i]!, labels[i]!) + 0.3 * ce(a[i]!, labels[i]!)) / labels.length;
    const g = computeGradients(model, vars, makeLoss({ kind: 'cross_entropy', label_smoothing: 0 }), xs, ys, labels);
    expect(Math.abs(g.loss - byHand) / byHand).toBeLessThan(1e-5);
    // The running accuracy counts the main head's arg-max.
    const predicted = m.map((r) => r.indexOf(Math.max(...r)));
    expect(g.correct).toBe(predicted.filter((p, i) => p === labels[i]).length);
    tf.dispose([...g.grads, xs, ys, main!, aux!]);
    model.dispose();
  });

  it("one listed output's loss_weight scales its loss", () => {
    const yaml = auxSpec().replace(/ {2}outputs:\n.*\n.*\n/, '  outputs: [{layer: logits, loss_weight: 2}]\n').replace('    - global_avg_pool2d: {name: gap_aux}\n    - dense: {name: aux, units: 3}\n', '');
    const ir = compile(yaml, { file: 'one.yaml' }).ir!;
    const model = buildModel(ir);
    expect(model.outputs).toHaveLength(1);
    expect(lossWeightsOf(model)).toEqual([2]);
    const { xs, ys, labels } = batch(8, 3);
    const main = model.apply(xs, { training: true }) as tf.Tensor2D;
    const m = main.arraySync();
    const byHand = labels.reduce((s, l, i) => s + (2 * ce(m[i]!, l)) / labels.length, 0);
    const g = computeGradients(model, trainableVariables(model), makeLoss({ kind: 'cross_entropy', label_smoothing: 0 }), xs, ys, labels);
    expect(Math.abs(g.loss - byHand) / byHand).toBeLessThan(1e-5);
    tf.dispose([...g.grads, xs, ys, main]);
    model.dispose();
  });

  it('the weight scales the auxiliary head’s gradients (weight 0: none reach it)', () => {
    const grad = (w: number): number => {
      const model = buildModel(auxIR(w));
      const vars = trainableVariables(model);
      const { xs, ys, labels } = batch(8, 2);
      const g = computeGradients(model, vars, makeLoss({ kind: 'cross_entropy', label_smoothing: 0 }), xs, ys, labels);
      const i = vars.findIndex((v) => v.name.includes('aux') && v.name.includes('kernel'));
      const norm = tf.norm(g.grads[i]!).dataSync()[0]!;
      tf.dispose([...g.grads, xs, ys]);
      model.dispose();
      return norm;
    };
    const g03 = grad(0.3);
    const g06 = grad(0.6);
    expect(grad(0)).toBe(0);
    expect(g03).toBeGreaterThan(0);
    expect(g06 / g03).toBeCloseTo(2, 4);
  });

  it('dlc run trains it (the loss falls), and eval / predict read the main output of the checkpoint', async () => {
    // One channel: an image set, so the report's misclassified-image grid runs too.
    const ir = auxIR(0.3, 4, 1);
    const res = await train(ir, { backend: 'cpu', runsDir: root, stdout: quiet, stderr: quiet, cacheDir: path.join(root, 'cache') });
    expect(res.stopReason).toBe('completed');
    const losses = res.history.map((r) => r.loss);
    expect(losses).toHaveLength(4);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.9);
    expect(res.test!.report.samples).toBe(24);
    // Evaluation: the main head's metrics from the saved checkpoint, the same as the run's own test evaluation.
    const ev = await evaluate(res.runDir, { backend: null, checkpoint: 'last', cacheDir: path.join(root, 'cache') });
    expect(ev.report.confusion.flat().reduce((s, x) => s + x, 0)).toBe(24);
    // The checkpoint holds both heads; its main output equals the built model's main output with the same weights.
    const run = await openRun(res.runDir, 'last');
    expect(run.model.outputs).toHaveLength(2);
    const x = tf.randomNormal([3, 6, 6, 1], 0, 1, 'float32', 5);
    const y = mainOutput(run.model.predict(x) as tf.Tensor2D[]);
    expect(y.shape).toEqual([3, 3]);
    const heads = run.model.predict(x) as tf.Tensor2D[];
    expect(Array.from(y.dataSync())).toEqual(Array.from(heads[0]!.dataSync()));
    // The main-only model (what evaluation and prediction run: no auxiliary head) shares the trained weights.
    const main = mainModel(run.model);
    expect(main.outputs).toHaveLength(1);
    const z = main.predict(x) as tf.Tensor2D;
    expect(Array.from(z.dataSync())).toEqual(Array.from(heads[0]!.dataSync()));
    expect(main.layers.map((l) => l.name)).not.toContain('aux');
    tf.dispose([x, y, z, ...heads]);
    run.model.dispose();
    // The report's misclassified grid reads the main output: as many mistakes as the test evaluation counted.
    const wrong = Math.round(24 * (1 - res.test!.report.accuracy));
    expect(await recordMistakes(res.runDir, { backend: null, cacheDir: path.join(root, 'cache') })).toBe(wrong);
  });
});
