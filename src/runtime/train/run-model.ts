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

/** A run directory whose files and chosen checkpoint exist (no model loaded, no backend needed). */
export type LocatedRun = Omit<OpenedRun, 'model'>;

/**
 * Reads a run's IR and info and finds the checkpoint to load. Cheap and
 * backend-free, so eval and predict check the run directory before paying
 * for a backend.
 */
export async function locateRun(runDir: string, which: CheckpointChoice | undefined): Promise<LocatedRun> {
  const { ir, info } = await readRun(runDir);
  let checkpoint: CheckpointChoice = which ?? 'best';
  let dir = await checkpointDir(runDir, checkpoint);
  if (!dir && which === undefined) {
    checkpoint = 'last';
    dir = await checkpointDir(runDir, checkpoint);
  }
  if (!dir) throw new RunError(`${runDir} has no '${checkpoint}' checkpoint (no epoch finished yet?)`);
  return { ir, info, checkpoint, checkpointDir: dir };
}

/** Loads the located checkpoint's model (through tf.loadLayersModel) on the current backend. */
export async function loadRunModel(run: LocatedRun): Promise<OpenedRun> {
  try {
    return { ...run, model: await loadModelFiles(run.checkpointDir) };
  } catch (e) {
    throw new RunError(`cannot load the '${run.checkpoint}' checkpoint in ${run.checkpointDir}: ${(e as Error).message}`);
  }
}

/** Loads a run's IR, info and the model of one of its checkpoints. */
export async function openRun(runDir: string, which: CheckpointChoice | undefined): Promise<OpenedRun> {
  return loadRunModel(await locateRun(runDir, which));
}
