/**
 * A LayersModel ↔ the files of the tfjs layers format (`model.json` with a
 * weights manifest pointing at `weights.bin`), the same files `tfjs-node`'s
 * `file://` handler writes, so `tf.loadLayersModel` reads them in Node (via
 * `loadModelFiles`) and in the browser (over http).
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** The model's `model.json` text and weights binary. */
export async function modelFiles(model: tf.LayersModel): Promise<{ modelJson: string; weights: Uint8Array }> {
  let out: { modelJson: string; weights: Uint8Array } | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      out = { modelJson: JSON.stringify(json), weights: new Uint8Array(data) };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: data.byteLength } };
    }),
  );
  if (!out) throw new Error('model.save did not call the save handler');
  return out;
}

/** Reads `model.json` and its weight files from `dir` as ModelArtifacts. */
export function fileLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const jsonPath = path.join(dir, MODEL_JSON);
      const modelJson = JSON.parse(await fs.readFile(jsonPath, 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const b = await fs.readFile(path.join(dir, p));
            buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
          }
        }
        const data = tf.io.CompositeArrayBuffer.join(buffers);
        const need = specs.reduce((n, s) => n + s.shape.reduce((a, d) => a * d, 1) * 4, 0);
        if (data.byteLength < need) throw new Error(`${dir}: weights are ${data.byteLength} bytes, model.json needs ${need} (truncated file?)`);
        return [specs, data];
      });
    },
  };
}

/** Loads a saved model from its directory (Node; the browser uses tf.loadLayersModel(url)). */
export async function loadModelFiles(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileLoadHandler(dir));
}

/**
 * Sets `model`'s weights from the saved ones in `dir`, matched by name
 * ("<layer>/kernel"). Used on resume, where the model is rebuilt from the IR.
 */
export async function restoreWeights(model: tf.LayersModel, dir: string): Promise<void> {
  const artifacts = await fileLoadHandler(dir).load!();
  const named = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  try {
    const values = model.weights.map((w) => {
      const t = named[w.originalName];
      if (!t) throw new Error(`${dir}: checkpoint has no weight '${w.originalName}'`);
      if (t.shape.join(',') !== w.shape.join(',')) throw new Error(`${dir}: weight '${w.originalName}' is [${t.shape}], the model needs [${w.shape}]`);
      return t;
    });
    model.setWeights(values);
  } finally {
    tf.dispose(Object.values(named));
  }
}
