/** `predict(runDir, files, options)`: top-k classes for PNG/JPEG files from a saved run (`dlc predict`). */
import * as tf from '@tensorflow/tfjs';
import { mainModel } from '../model/outputs.js';
import { initBackend, type BackendChoice, type BackendInfo } from '../backend/select.js';
import type { IR } from '../../compiler/ir.js';
import type { ExampleSet } from '../contracts.js';
import { imageSet } from '../data/example-set.js';
import { decodeImageFile } from '../data/image-decode.js';
import { feed } from './feed.js';
import { loadRunModel, locateRun, type CheckpointChoice } from './run-model.js';

export interface PredictOptions {
  /** Default 3 (capped at the class count). */
  readonly topK?: number;
  readonly checkpoint?: CheckpointChoice;
  /** Default 'auto'; null keeps the current backend. */
  readonly backend?: BackendChoice | null;
}

export interface Prediction {
  readonly file: string;
  /** Highest probability first. */
  readonly top: readonly { readonly index: number; readonly className: string; readonly probability: number }[];
}

export interface PredictResult {
  readonly predictions: Prediction[];
  readonly checkpoint: CheckpointChoice;
  readonly backend?: BackendInfo;
}

/** True when the model's output already is a probability distribution. */
function endsInSoftmax(ir: IR): boolean {
  const out = ir.nodes.find((n) => n.id === ir.outputId);
  return out?.op === 'softmax' || out?.attrs['activation'] === 'softmax';
}

/**
 * The PNG/JPEG `files` as an image set the model reads: decoded, resized to
 * the model's [h, w] (bilinear) with its channel count, bytes scaled as the
 * image loaders' are. Models whose input is not an image are refused.
 */
function imagesForModel(ir: IR, files: readonly string[]): ExampleSet {
  const shape = ir.inputShape;
  if (shape.length !== 3 || (ir.inputDType ?? 'float32') !== 'float32') throw new Error(`predict reads PNG/JPEG images; this model's input is ${ir.inputDType ?? 'float32'} [${shape.join(', ')}]`);
  const [h, w, c] = shape;
  if (c !== 1 && c !== 3) throw new Error(`predict supports 1- or 3-channel models, this one has ${c}`);
  const size = h * w * c;
  const pixels = new Uint8Array(files.length * size);
  files.forEach((f, i) => pixels.set(decodeImageFile(f, { size: [h, w], channels: c }).pixels, i * size));
  return imageSet(pixels, new Int32Array(files.length), [h, w, c], ir.numClasses);
}

/**
 * Decodes each image, resizes it to the model's input size (bilinear) with
 * the model's channel count, applies the run's eval transforms and returns
 * softmax probabilities' top k.
 */
export async function predict(runDir: string, files: readonly string[], options: PredictOptions = {}): Promise<PredictResult> {
  // The run directory first: a wrong path is reported before any backend is loaded.
  const located = await locateRun(runDir, options.checkpoint);
  const backend = options.backend === null ? undefined : await initBackend(options.backend ?? 'auto');
  const run = await loadRunModel(located);
  try {
    const set = imagesForModel(run.ir, files);
    const k = Math.max(1, Math.min(options.topK ?? 3, run.ir.numClasses));
    const names = run.info.classNames;
    const spec = run.ir.spec;
    const predictions: Prediction[] = [];
    for await (const batch of feed(set, { batchSize: spec.data.batch_size, shuffle: false, seed: spec.seed, epoch: 0, transforms: spec.data.transforms.eval, numClasses: run.ir.numClasses })) {
      try {
        const probs = tf.tidy(() => {
          const out = mainModel(run.model).predict(batch.xs) as tf.Tensor2D;
          return endsInSoftmax(run.ir) ? out : tf.softmax(out);
        });
        const p = probs.dataSync();
        probs.dispose();
        for (let i = 0; i < batch.size; i++) {
          const row = Array.from(p.subarray(i * run.ir.numClasses, (i + 1) * run.ir.numClasses));
          const order = row.map((_, j) => j).sort((a, b) => row[b] - row[a] || a - b).slice(0, k);
          predictions.push({ file: files[batch.index * spec.data.batch_size + i], top: order.map((j) => ({ index: j, className: names[j] ?? String(j), probability: row[j] })) });
        }
      } finally {
        tf.dispose([batch.xs, batch.ys]);
      }
    }
    return { predictions, checkpoint: run.checkpoint, backend };
  } finally {
    run.model.dispose();
  }
}
