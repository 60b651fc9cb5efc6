/**
 * The emitted TypeScript project of a model with several outputs (issue
 * 14): its model.ts builds one output per head, main first, with the same
 * layers, initial weights and outputs as the runtime builder, records the
 * loss weights, and the training step it carries (the runtime's own
 * step.ts) computes the same weighted loss as `dlc run`'s.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { renderProject } from '../../src/codegen/index.js';
import { initBackend } from '../../src/runtime/backend/select.js';
import { buildModel } from '../../src/runtime/model/build-model.js';
import { makeLoss } from '../../src/runtime/losses/index.js';
import { computeGradients, trainableVariables } from '../../src/runtime/train/step.js';
import { auxIR } from '../runtime/model/aux-fixture.js';
import { materialise, transpileProject } from './helpers.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(dirname(d), { recursive: true, force: true })));

describe('emitted tfjs project with an auxiliary head', () => {
  it('builds the runtime’s model (both heads) and trains it with the same weighted loss', async () => {
    await initBackend('cpu');
    const ir = auxIR();
    const files = renderProject(ir, 'tfjs-node-ts', { specFile: 'aux-heads.yaml' });
    expect(files.get('src/model.ts')).toContain('withLossWeights(tf.model({ inputs: input, outputs: [logits, aux]');
    const project = materialise(files, 'dlc-aux-emit-');
    made.push(project);
    transpileProject(project, 'src/model.ts');
    transpileProject(project, 'src/lib/runtime/train/step.ts');
    const emitted = (await import(pathToFileURL(join(project, 'dist', 'model.js')).href)) as { buildModel(): tf.LayersModel };
    const outputs = (await import(pathToFileURL(join(project, 'dist', 'lib', 'runtime', 'model', 'outputs.js')).href)) as { lossWeightsOf(m: tf.LayersModel): number[] };
    const step = (await import(pathToFileURL(join(project, 'dist', 'lib', 'runtime', 'train', 'step.js')).href)) as { computeGradients: typeof computeGradients };
    const ours = emitted.buildModel();
    const theirs = buildModel(ir);
    expect(outputs.lossWeightsOf(ours)).toEqual([1, 0.3]);
    expect(ours.outputNames).toEqual(theirs.outputNames);
    const a = ours.getWeights();
    const b = theirs.getWeights();
    for (let i = 0; i < a.length; i++) expect(Array.from(a[i]!.dataSync()), `weight ${i}`).toEqual(Array.from(b[i]!.dataSync()));
    const x = tf.randomNormal([4, 6, 6, 2], 0, 1, 'float32', 9);
    const ya = ours.predict(x) as tf.Tensor[];
    const yb = theirs.predict(x) as tf.Tensor[];
    expect(ya).toHaveLength(2);
    for (let h = 0; h < 2; h++) expect(Array.from(ya[h]!.dataSync())).toEqual(Array.from(yb[h]!.dataSync()));
    const labels = Int32Array.from([0, 1, 2, 1]);
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 3).toFloat() as tf.Tensor2D;
    const loss = makeLoss({ kind: 'cross_entropy', label_smoothing: 0 });
    const ga = step.computeGradients(ours, trainableVariables(ours), loss, x, ys, labels);
    const gb = computeGradients(theirs, trainableVariables(theirs), loss, x, ys, labels);
    expect(ga.loss).toBeCloseTo(gb.loss, 6);
    // Not the main head's loss alone: the auxiliary head counts.
    const mainOnly = loss(yb[0] as tf.Tensor2D, ys).dataSync()[0]!;
    expect(Math.abs(ga.loss - mainOnly)).toBeGreaterThan(1e-3);
    tf.dispose([x, ys, ...ya, ...yb, ...ga.grads, ...gb.grads]);
    ours.dispose();
    theirs.dispose();
  });
});
