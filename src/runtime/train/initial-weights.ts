/**
 * Starting a run from given weights (`dlc run SPEC --initial-weights DIR`):
 * a tfjs layers model directory (model.json + weights.bin) such as the zoo
 * converter writes, or a run's checkpoint (checkpoints/best or last). The
 * weights are matched to the model's by name ("<layer>/kernel"), as a
 * resumed run's are, after every one has been checked against the model's
 * shape: a missing or mismatching weight is a RunError naming the first one.
 * Optimizer state, schedule and epoch counters start fresh.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileLoadHandler, MODEL_JSON } from '../checkpoint/model-files.js';
import { RunError } from './errors.js';

/** The named weights in `dir` (decoded; the caller disposes them). */
async function namedWeights(dir: string): Promise<tf.NamedTensorMap> {
  if (!existsSync(path.join(dir, MODEL_JSON))) {
    const best = path.join(dir, 'checkpoints', 'best');
    const hint = existsSync(path.join(best, MODEL_JSON)) ? ` (a run directory: give its checkpoint, e.g. ${best})` : ' (give a tfjs layers model directory, or a run\'s checkpoints/best)';
    throw new RunError(`--initial-weights ${dir}: no ${MODEL_JSON} there${hint}`);
  }
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = await fileLoadHandler(dir).load!();
  } catch (e) {
    throw new RunError(`--initial-weights ${dir}: ${(e as Error).message}`);
  }
  if (!artifacts.weightData || !artifacts.weightSpecs) throw new RunError(`--initial-weights ${dir}: ${MODEL_JSON} lists no weights`);
  return tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
}

/**
 * Sets `model`'s weights from `dir`. Checks every model weight first (present, same shape), so
 * nothing is set when one is wrong; returns how many were set and the names in `dir` the model has no use for.
 */
export async function applyInitialWeights(model: tf.LayersModel, dir: string): Promise<{ set: number; unused: string[] }> {
  const named = await namedWeights(dir);
  try {
    const values = model.weights.map((w) => {
      const t = named[w.originalName];
      if (!t) throw new RunError(`--initial-weights ${dir}: it has no weight '${w.originalName}' (the model's first weight it lacks; it has ${Object.keys(named).slice(0, 4).map((n) => `'${n}'`).join(', ')}${Object.keys(named).length > 4 ? ', …' : ''})`);
      if (t.shape.join(',') !== w.shape.join(',')) throw new RunError(`--initial-weights ${dir}: weight '${w.originalName}' is [${t.shape.join(', ')}], the model needs [${w.shape.join(', ')}]`);
      return t;
    });
    model.setWeights(values);
    const used = new Set(model.weights.map((w) => w.originalName));
    return { set: values.length, unused: Object.keys(named).filter((n) => !used.has(n)) };
  } finally {
    tf.dispose(Object.values(named));
  }
}
