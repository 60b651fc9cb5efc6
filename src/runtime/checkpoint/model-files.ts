/**
 * A LayersModel ↔ the files of the tfjs layers format (`model.json` with a
 * weights manifest pointing at `weights.bin`), the same files `tfjs-node`'s
 * `file://` handler writes, so `tf.loadLayersModel` reads them in Node (via
 * `loadModelFiles`) and in the browser (over http).
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CheckpointError, assertFinite, insideDir, readCheckpointJson, readRegular } from './safe-files.js';
// dlc's own layer classes (attention, learned positions) registered with tf.serialization, so a model.json holding them loads.
import '../model/custom-layers.js';

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

const BYTES_PER_DTYPE: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, complex64: 8 };

/**
 * Reads `model.json` and its weight files from `dir` as ModelArtifacts. The
 * manifest is not trusted: its paths must stay inside `dir`, the weight files
 * together must be exactly the bytes its weight specs need, and float32
 * weights must be finite (CheckpointError otherwise).
 */
export function fileLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const jsonPath = path.join(dir, MODEL_JSON);
      const modelJson = (await readCheckpointJson(jsonPath)) as tf.io.ModelJSON;
      if (!modelJson || typeof modelJson !== 'object' || !Array.isArray(modelJson.weightsManifest)) throw new CheckpointError(`${jsonPath}: no weightsManifest`);
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const files: string[] = [];
        for (const group of manifest) {
          if (!Array.isArray(group?.paths) || !Array.isArray(group.weights)) throw new CheckpointError(`${jsonPath}: a weightsManifest group lacks paths or weights`);
          specs.push(...group.weights);
          for (const p of group.paths) files.push(await insideDir(dir, p));
        }
        let need = 0;
        for (const s of specs) {
          const per = BYTES_PER_DTYPE[s.dtype ?? 'float32'];
          if (!per || !Array.isArray(s.shape) || s.shape.some((d) => !Number.isSafeInteger(d) || d < 0) || s.quantization) throw new CheckpointError(`${jsonPath}: weight '${String(s.name)}' has an unsupported shape or dtype`);
          need += s.shape.reduce((a, d) => a * d, 1) * per;
        }
        // Sizes first (fstat-checked again on read): together the files must be exactly `need` bytes.
        const sizes: number[] = [];
        for (const file of files) {
          const st = await fs.stat(file);
          if (!st.isFile()) throw new CheckpointError(`${dir}: ${path.relative(dir, file)} is not a regular file`);
          sizes.push(st.size);
        }
        const got = sizes.reduce((a, b) => a + b, 0);
        if (got !== need) throw new CheckpointError(`${dir}: weights are ${got} bytes, model.json needs ${need} (${got < need ? 'truncated file?' : 'trailing bytes after the weights'})`);
        const buffers: ArrayBuffer[] = [];
        for (const [i, file] of files.entries()) {
          const b = await readRegular(file, path.join(dir, path.relative(dir, file)), { exact: sizes[i]! });
          buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
        }
        const data = tf.io.CompositeArrayBuffer.join(buffers);
        let offset = 0;
        for (const s of specs) {
          const n = s.shape.reduce((a, d) => a * d, 1);
          const bytes = n * BYTES_PER_DTYPE[s.dtype ?? 'float32']!;
          if ((s.dtype ?? 'float32') === 'float32') assertFinite(new Float32Array(data.slice(offset, offset + bytes)), `${dir}: weight '${s.name}'`);
          offset += bytes;
        }
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
