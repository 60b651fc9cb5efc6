/** Opening a finished (or running) run directory for eval / predict. */
import type * as tf from '@tensorflow/tfjs';
import { checkpointDir } from '../checkpoint/checkpoint.js';
import { loadModelFiles } from '../checkpoint/model-files.js';
import { readRun, type RunInfo } from '../run-dir/run-dir.js';
import type { IR } from '../../compiler/ir.js';
import { RunError } from './errors.js';

export type CheckpointChoice = 'best' | 'last';

export interface OpenedRun {
  readonly ir: IR;
  readonly info: RunInfo;
  readonly model: tf.LayersModel;
  /** Which checkpoint was loaded (best falls back to last when the run kept no best). */
  readonly checkpoint: CheckpointChoice;
  readonly checkpointDir: string;
}

/** Loads a run's IR, info and the model of one of its checkpoints (through tf.loadLayersModel). */
export async function openRun(runDir: string, which: CheckpointChoice | undefined): Promise<OpenedRun> {
  const { ir, info } = await readRun(runDir);
  let checkpoint: CheckpointChoice = which ?? 'best';
  let dir = await checkpointDir(runDir, checkpoint);
  if (!dir && which === undefined) {
    checkpoint = 'last';
    dir = await checkpointDir(runDir, checkpoint);
  }
  if (!dir) throw new RunError(`${runDir} has no '${checkpoint}' checkpoint (no epoch finished yet?)`);
  let model: tf.LayersModel;
  try {
    model = await loadModelFiles(dir);
  } catch (e) {
    throw new RunError(`cannot load the '${checkpoint}' checkpoint in ${dir}: ${(e as Error).message}`);
  }
  return { ir, info, model, checkpoint, checkpointDir: dir };
}
