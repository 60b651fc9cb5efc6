import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { committedDir } from '../../../src/runtime/checkpoint/atomic-dir.js';
import { checkpointDir, loadCheckpoint, saveCheckpoint, type TrainState } from '../../../src/runtime/checkpoint/checkpoint.js';
import { loadModelFiles, restoreWeights } from '../../../src/runtime/checkpoint/model-files.js';
import { decodeNamedArrays, encodeNamedArrays } from '../../../src/runtime/checkpoint/named-arrays.js';
import { buildModel } from '../../../src/runtime/model/build-model.js';
import { tinyConvIR } from '../model/ir-fixtures.js';

let root: string;

function state(epoch: number): TrainState {
  return {
    format: 'dlc-checkpoint/1', epoch, globalStep: epoch * 10, optimizerKind: 'sgd', schedule: { plateau: 1 },
    rng: { seed: 7, epoch, step: epoch * 10 }, metrics: { loss: 1 / (epoch + 1) },
  };
}

function values(model: tf.LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

describe('checkpoints', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dlc-ckpt-'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('round-trips NamedArrays and rejects a truncated binary', () => {
    const arrays = [
      { name: 'a/m', shape: [2, 2], values: new Float32Array([1, 2, 3, 4.5]) },
      { name: 'step', shape: [], values: new Float32Array([12]) },
    ];
    const { index, data } = encodeNamedArrays(arrays);
    expect(decodeNamedArrays(index, data)).toEqual(arrays);
    expect(() => decodeNamedArrays(index, data.slice(0, 8))).toThrow(/truncated/);
  });

  it('round-trips model weights, optimizer state and train state', async () => {
    const ir = tinyConvIR();
    const model = buildModel(ir, { seed: 1 });
    const dir = path.join(root, 'rt', 'checkpoints', 'last');
    const opt = [{ name: 'conv2d_1/kernel/m', shape: [3, 3, 1, 4], values: new Float32Array(36).map((_, i) => i / 7) }];
    await saveCheckpoint(dir, { model, optimizerState: opt, state: state(3) });
    const loaded = await loadCheckpoint(dir);
    expect(loaded.state).toEqual(state(3));
    expect(loaded.optimizerState).toEqual(opt);

    // Rebuilt from the IR with another seed, then restored: the same weights.
    const other = buildModel(ir, { seed: 2 });
    expect(values(other)).not.toEqual(values(model));
    await restoreWeights(other, loaded.dir);
    expect(values(other)).toEqual(values(model));

    // And the files are a plain tfjs layers model.
    const plain = await loadModelFiles(dir);
    expect(values(plain)).toEqual(values(model));
    const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 3);
    expect(Array.from((plain.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
    expect(await fs.readdir(path.dirname(dir))).toEqual(['last']);
    expect(await checkpointDir(path.join(root, 'rt'), 'last')).toBe(dir);
    [model, other, plain, x].forEach((t) => t.dispose());
  });

  it('reports a truncated weights file clearly', async () => {
    const model = buildModel(tinyConvIR(), { seed: 1 });
    const dir = path.join(root, 'trunc', 'last');
    await saveCheckpoint(dir, { model, optimizerState: [], state: state(1) });
    const bin = path.join(dir, 'weights.bin');
    await fs.writeFile(bin, (await fs.readFile(bin)).subarray(0, 100));
    await expect(loadModelFiles(dir)).rejects.toThrow(/weights are 100 bytes, model.json needs \d+ \(truncated file\?\)/);
    await expect(restoreWeights(model, dir)).rejects.toThrow(/truncated/);
    model.dispose();
  });

  it('a crash while writing files leaves the previous checkpoint intact', async () => {
    const model = buildModel(tinyConvIR(), { seed: 1 });
    const dir = path.join(root, 'crash1', 'last');
    await saveCheckpoint(dir, { model, optimizerState: [], state: state(1) });
    const crash = saveCheckpoint(dir, { model, optimizerState: [], state: state(2) }, {
      afterFile: (name) => {
        if (name === 'weights.bin') throw new Error('simulated crash');
      },
    });
    await expect(crash).rejects.toThrow('simulated crash');
    expect((await loadCheckpoint(dir)).state.epoch).toBe(1);
    // The next save goes through and cleans up.
    await saveCheckpoint(dir, { model, optimizerState: [], state: state(2) });
    expect((await loadCheckpoint(dir)).state.epoch).toBe(2);
    expect(await fs.readdir(path.dirname(dir))).toEqual(['last']);
    model.dispose();
  });

  it('a crash between the two renames still finds a complete checkpoint', async () => {
    const model = buildModel(tinyConvIR(), { seed: 1 });
    const dir = path.join(root, 'crash2', 'last');
    await saveCheckpoint(dir, { model, optimizerState: [], state: state(1) });
    const crash = saveCheckpoint(dir, { model, optimizerState: [], state: state(2) }, {
      beforeCommit: () => {
        throw new Error('simulated crash');
      },
    });
    await expect(crash).rejects.toThrow('simulated crash');
    expect(await committedDir(dir)).toBe(`${dir}.prev`);
    const loaded = await loadCheckpoint(dir);
    expect(loaded.state.epoch).toBe(1);
    expect(values(await loadModelFiles(loaded.dir))).toEqual(values(model));
    // Saving again must not delete the only good copy before the new one is in place.
    await saveCheckpoint(dir, { model, optimizerState: [], state: state(2) });
    expect((await loadCheckpoint(dir)).state.epoch).toBe(2);
    expect((await fs.readdir(path.dirname(dir))).sort()).toEqual(['last']);
    model.dispose();
  });
});
