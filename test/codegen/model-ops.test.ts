/**
 * Every op: the emitted project's src/model.ts (transpiled with the runtime
 * files it carries, not type-checked — the golden test type-checks it) builds the same model as the runtime builder:
 * same layer names and classes, same initial weights, same output on the same
 * input. Cheap enough to cover every op in one DAG.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { renderProject } from '../../src/codegen/index.js';
import { initBackend } from '../../src/runtime/backend/select.js';
import { buildModel } from '../../src/runtime/model/build-model.js';
import { allOpsSpec, lowerSpec, materialise, transpileProject } from './helpers.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(dirname(d), { recursive: true, force: true })));

describe('emitted model.ts for every op', () => {
  const ir = lowerSpec(allOpsSpec());

  it('covers every op of the IR', () => {
    const ops = new Set(ir.nodes.map((n) => n.op));
    for (const op of ['input', 'conv2d', 'depthwise_conv2d', 'separable_conv2d', 'max_pool2d', 'avg_pool2d', 'global_avg_pool2d', 'global_max_pool2d', 'dense', 'flatten', 'reshape', 'dropout', 'batch_norm', 'layer_norm', 'relu', 'elu', 'gelu', 'sigmoid', 'tanh', 'leaky_relu', 'add', 'concat', 'zero_padding2d', 'conv2d_transpose', 'adaptive_avg_pool2d', 'adaptive_max_pool2d', 'multiply', 'hard_swish']) {
      expect(ops.has(op as never), op).toBe(true);
    }
  });

  it('matches the runtime builder: layers, initial weights and outputs', async () => {
    await initBackend('cpu');
    // The whole project (model.ts imports dlc's own layers from the runtime files it carries), transpiled.
    const project = materialise(renderProject(ir, 'tfjs-node-ts', { specFile: 'all-ops.yaml' }), 'dlc-model-ops-');
    made.push(project);
    transpileProject(project, 'src/model.ts');
    const emitted = (await import(pathToFileURL(join(project, 'dist', 'model.js')).href)) as { buildModel(): tf.LayersModel; INPUT_SHAPE: number[]; NUM_CLASSES: number };
    expect(emitted.INPUT_SHAPE).toEqual([8, 8, 3]);
    expect(emitted.NUM_CLASSES).toBe(4);
    const ours = emitted.buildModel();
    const theirs = buildModel(ir);
    expect(ours.layers.map((l) => [l.name, l.getClassName()])).toEqual(theirs.layers.map((l) => [l.name, l.getClassName()]));
    expect(ours.countParams()).toBe(theirs.countParams());
    const a = ours.getWeights();
    const b = theirs.getWeights();
    expect(a.map((w) => w.shape)).toEqual(b.map((w) => w.shape));
    for (let i = 0; i < a.length; i++) expect(Array.from(a[i].dataSync()), `weight ${i}`).toEqual(Array.from(b[i].dataSync()));
    const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 5);
    const ya = ours.predict(x) as tf.Tensor;
    const yb = theirs.predict(x) as tf.Tensor;
    expect(ya.shape).toEqual([2, 4]);
    expect(Array.from(ya.dataSync())).toEqual(Array.from(yb.dataSync()));
    const trainable = ir.nodes.reduce((s, n) => s + n.params.trainable, 0);
    expect(ours.trainableWeights.reduce((s, w) => s + w.read().size, 0)).toBe(trainable);
    tf.dispose([x, ya, yb]);
    ours.dispose();
    theirs.dispose();
  });
});
