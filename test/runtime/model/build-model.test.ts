import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerName } from '../../../src/compiler/ops/names.js';
import { buildModel, layerNames } from '../../../src/runtime/model/build-model.js';
import { dropoutLayers, setDropoutStep } from '../../../src/runtime/model/dropout.js';
import { allOpsIR, tinyConvIR } from './ir-fixtures.js';
import type { IR } from '../../../src/compiler/ir.js';

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

function irParams(ir: IR): number {
  return ir.nodes.reduce((s, n) => s + n.params.trainable + n.params.nonTrainable, 0);
}

describe('buildModel', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each([
    ['tiny conv net', tinyConvIR()],
    ['every op', allOpsIR()],
  ])('%s: output shape and param count equal the IR', (_name, ir) => {
    const model = buildModel(ir);
    expect(model.outputs[0].shape).toEqual([null, ...ir.nodes[ir.nodes.length - 1].shape]);
    expect(model.countParams()).toBe(irParams(ir));
    const names = layerNames(ir);
    for (const node of ir.nodes.slice(1)) {
      const layer = model.getLayer(names.get(node.id)!);
      expect(layer.outputShape, node.id).toEqual([null, ...node.shape]);
    }
    model.dispose();
  });

  it('gives identical initial weights for the same seed and different ones for another', () => {
    const a = buildModel(tinyConvIR());
    const b = buildModel(tinyConvIR());
    const c = buildModel(tinyConvIR(), { seed: 8 });
    expect(weightsOf(a)).toEqual(weightsOf(b));
    expect(weightsOf(a)[0]).not.toEqual(weightsOf(c)[0]);
    [a, b, c].forEach((m) => m.dispose());
  });

  it('draws a different dropout mask per step, the same for the same step', () => {
    const model = buildModel(tinyConvIR());
    const drops = dropoutLayers(model);
    expect(drops.map((d) => d.name)).toEqual(['dropout_1']);
    const x = tf.ones([1, 4, 4, 4]);
    const mask = (step: number): number[] => {
      setDropoutStep(drops, 7, step);
      return tf.tidy(() => Array.from((drops[0].apply(x, { training: true }) as tf.Tensor).dataSync()));
    };
    expect(mask(0)).toEqual(mask(0));
    expect(mask(0)).not.toEqual(mask(1));
    x.dispose();
    model.dispose();
  });

  it('sanitises ids into unique layer names', () => {
    const taken = new Set<string>();
    expect(layerName('stage1.0.conv_a', taken)).toBe('stage1_0_conv_a');
    expect(layerName('stage1_0.conv_a', taken)).toBe('stage1_0_conv_a_1');
    expect(layerName('0x', taken)).toBe('l_0x');
  });
});
