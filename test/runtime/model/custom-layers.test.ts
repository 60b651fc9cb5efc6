/**
 * dlc's own layers (positional_embedding, multi_head_attention,
 * transformer_encoder) survive a checkpoint: the model.json + weights.bin a
 * run saves load back through the checkpoint reader as the same model —
 * same layer classes (their configs rebuild them), weights and outputs.
 * (The reader imports custom-layers.ts itself, so `dlc eval`/`predict`,
 * which never build the model, find the classes registered.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFiles, modelFiles, MODEL_JSON, WEIGHTS_BIN } from '../../../src/runtime/checkpoint/model-files.js';
import { dlcMultiHeadAttention, dlcPositionalEmbedding, dlcTransformerEncoder } from '../../../src/runtime/model/custom-layers.js';

const dir = mkdtempSync(join(tmpdir(), 'dlc-custom-layers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('dlc custom layers in a checkpoint', () => {
  it('save → load gives the same classes, weights and outputs', async () => {
    const x = tf.input({ shape: [5, 6] });
    let y = dlcPositionalEmbedding({ name: 'pos', seed: 1 }).apply(x) as tf.SymbolicTensor;
    y = dlcTransformerEncoder({ name: 'enc', numHeads: 2, keyDim: 0, ffDim: 7, epsilon: 1e-5, seeds: [2, 3, 4, 5, 6, 7] }).apply(y) as tf.SymbolicTensor;
    y = dlcMultiHeadAttention({ name: 'mha', numHeads: 3, keyDim: 2, seeds: [8, 9, 10, 11] }).apply(y) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: y });
    const { modelJson, weights } = await modelFiles(model);
    writeFileSync(join(dir, MODEL_JSON), modelJson);
    writeFileSync(join(dir, WEIGHTS_BIN), weights);
    const loaded = await loadModelFiles(dir);
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'DlcPositionalEmbedding', 'DlcTransformerEncoder', 'DlcMultiHeadAttention']);
    expect(loaded.countParams()).toBe(model.countParams());
    // 5·6 positions; encoder: attention 4·6·6 + 3·6 + 6, feed-forward 2·6·7 + 7 + 6, norms 4·6; attention 4·6·3·2 + 3·3·2 + 6.
    expect(model.countParams()).toBe(30 + (144 + 18 + 6) + (84 + 7 + 6) + 24 + (144 + 18 + 6));
    const input = tf.randomUniform([2, 5, 6], -1, 1, 'float32', 4);
    expect(Array.from((loaded.predict(input) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(input) as tf.Tensor).dataSync()));
  });
});
