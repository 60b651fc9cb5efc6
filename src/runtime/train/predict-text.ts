/**
 * `predictTexts(runDir, texts, options)`: predictions for texts (`dlc predict
 * RUN --text "…"` or `--text-file F`) with a run of a `text` spec: each text
 * is tokenised and encoded with the run's saved vocabulary
 * (preprocessing.json: the tokenising options and the training split's
 * vocabulary; compiler/shared/text.ts), then the model gives every class's
 * probability.
 */
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeTexts, type TextPreprocessing } from '../../compiler/shared/text.js';
import { initBackend, type BackendChoice, type BackendInfo } from '../backend/select.js';
import { mainOutput } from '../model/outputs.js';
import { RunError } from './errors.js';
import type { RowPrediction } from './predict-rows.js';
import { loadRunModel, locateRun, type CheckpointChoice } from './run-model.js';

export interface TextPrediction extends RowPrediction {
  /** Every class with its probability, highest first. */
  readonly classes: readonly { readonly className: string; readonly probability: number }[];
  /** Tokens of the text outside the vocabulary (id 1), and whether it was cut at max_length. */
  readonly outOfVocabulary: number;
  readonly truncated: boolean;
}

/** Reads a text run's preprocessing.json (the vocabulary); other runs are refused with the reason. */
export async function readTextPreprocessing(runDir: string): Promise<TextPreprocessing> {
  let pre: { kind?: string };
  try {
    pre = JSON.parse(await readFile(join(runDir, 'preprocessing.json'), 'utf8')) as { kind?: string };
  } catch (e) {
    throw new RunError(`${runDir} has no readable preprocessing.json (only runs of a text spec can predict texts): ${(e as Error).message}`);
  }
  if (pre.kind !== 'text') throw new RunError(`${runDir} is a run of a ${pre.kind === 'window' ? 'time-series' : 'table'} spec; --text needs a run of a text spec (use --row or --rows)`);
  return pre as TextPreprocessing;
}

export async function predictTexts(runDir: string, texts: readonly string[], options: { checkpoint?: CheckpointChoice; backend?: BackendChoice | null } = {}): Promise<{ predictions: TextPrediction[]; checkpoint: CheckpointChoice; backend?: BackendInfo }> {
  const located = await locateRun(runDir, options.checkpoint);
  const pre = await readTextPreprocessing(runDir);
  const backend = options.backend === null ? undefined : await initBackend(options.backend ?? 'auto');
  const run = await loadRunModel(located);
  try {
    const perText = texts.map((t) => encodeTexts(pre, [t]));
    const ids = new Int32Array(texts.length * pre.max_length);
    perText.forEach((e, i) => ids.set(e.ids, i * pre.max_length));
    const out = tf.tidy(() => {
      const y = mainOutput(run.model.predict(tf.tensor2d(ids, [texts.length, pre.max_length], 'int32')) as tf.Tensor2D | tf.Tensor2D[]);
      const o = run.ir.nodes.find((n) => n.id === run.ir.outputId);
      const softmaxed = o?.op === 'softmax' || o?.attrs['activation'] === 'softmax';
      return softmaxed ? y : tf.softmax(y);
    });
    const v = out.dataSync();
    const w = out.shape[1];
    out.dispose();
    const predictions = texts.map((_, i) => ({
      classes: Array.from(v.subarray(i * w, (i + 1) * w), (p, j) => ({ className: pre.classes[j] ?? String(j), probability: p })).sort((a, b) => b.probability - a.probability),
      outOfVocabulary: perText[i].oov,
      truncated: perText[i].truncated > 0,
    }));
    return { predictions, checkpoint: run.checkpoint, backend };
  } finally {
    run.model.dispose();
  }
}
