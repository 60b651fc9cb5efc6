/**
 * Training checkpoints: one directory holding the model in the tfjs layers
 * format plus everything else a resumed run needs to continue bit for bit.
 *
 *   model.json, weights.bin   tfjs layers format (tf.loadLayersModel)
 *   optimizer.json/.bin       optimizer slots as NamedArrays (index + float32 LE)
 *   state.json                TrainState: epoch, global step, schedule, early stopping, RNG, best
 *
 * Written atomically (atomic-dir.ts): never half a checkpoint on disk.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { NamedArray } from '../contracts.js';
import { committedDir, writeDirAtomic, type AtomicWriteHooks } from './atomic-dir.js';
import { MODEL_JSON, WEIGHTS_BIN, modelFiles } from './model-files.js';
import { decodeNamedArrays, encodeNamedArrays, type NamedArrayIndex } from './named-arrays.js';
import { CheckpointError, assertFinite, readCheckpointJson, readRegular, trainStateProblem } from './safe-files.js';

export const OPTIMIZER_JSON = 'optimizer.json';
export const OPTIMIZER_BIN = 'optimizer.bin';
export const STATE_JSON = 'state.json';

/** Early-stopping bookkeeping (also used for "best checkpoint" tracking). */
export interface MonitorState {
  readonly monitor: string;
  /** Best value so far (null before the first epoch). */
  readonly best: number | null;
  readonly bestEpoch: number;
  /** Epochs since the last improvement. */
  readonly wait: number;
}

/** Everything but weights and optimizer slots that a resumed run needs. */
export interface TrainState {
  readonly format: 'dlc-checkpoint/1';
  /** Epochs completed (the next epoch to run is this, 0-based). */
  readonly epoch: number;
  /** Optimizer steps taken. */
  readonly globalStep: number;
  readonly optimizerKind: string;
  readonly schedule: unknown;
  readonly earlyStopping?: MonitorState;
  readonly bestCheckpoint?: MonitorState;
  /**
   * Every random draw derives from (seed, epoch, step): shuffling and
   * augmentation from (seed, epoch), dropout from (seed, layer, step).
   * Recorded so a resumed run can check it continues the same stream.
   */
  readonly rng: { readonly seed: number; readonly epoch: number; readonly step: number };
  /** Metrics of the epoch this checkpoint was taken after. */
  readonly metrics: Readonly<Record<string, number>>;
}

export interface SaveCheckpointInput {
  readonly model: tf.LayersModel;
  readonly optimizerState: readonly NamedArray[];
  readonly state: TrainState;
}

/** Writes a checkpoint directory atomically (replacing any previous one there). */
export async function saveCheckpoint(dir: string, input: SaveCheckpointInput, hooks?: AtomicWriteHooks): Promise<void> {
  const { modelJson, weights } = await modelFiles(input.model);
  const opt = encodeNamedArrays(input.optimizerState);
  // state.json goes last: the order only matters for crash tests, the rename is what makes it atomic.
  const files = new Map<string, string | Uint8Array>([
    [MODEL_JSON, modelJson],
    [WEIGHTS_BIN, weights],
    [OPTIMIZER_JSON, JSON.stringify(opt.index)],
    [OPTIMIZER_BIN, opt.data],
    [STATE_JSON, JSON.stringify(input.state, null, 2)],
  ]);
  await writeDirAtomic(dir, files, hooks);
}

export interface LoadedCheckpoint {
  /** The directory actually read (may be `<dir>.prev` after a crash mid-swap). */
  readonly dir: string;
  readonly state: TrainState;
  readonly optimizerState: NamedArray[];
}

/** Reads a checkpoint's state and optimizer slots (weights: restoreWeights / loadModelFiles on `.dir`). */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const found = await committedDir(dir);
  if (!found) throw new Error(`no checkpoint at ${dir}`);
  const statePath = path.join(found, STATE_JSON);
  const state = (await readCheckpointJson(statePath)) as TrainState;
  const problem = trainStateProblem(state);
  if (problem) throw new CheckpointError(`${statePath}: ${problem}`);
  const index = (await readCheckpointJson(path.join(found, OPTIMIZER_JSON))) as NamedArrayIndex;
  if (!index || !Array.isArray(index.arrays) || index.arrays.some((e) => !Number.isSafeInteger(e?.offset) || !Number.isSafeInteger(e?.length) || e.offset < 0 || e.length < 0)) {
    throw new CheckpointError(`${path.join(found, OPTIMIZER_JSON)}: malformed optimizer index`);
  }
  const floats = index.arrays.reduce((n, e) => Math.max(n, e.offset + e.length), 0);
  const data = await readRegular(path.join(found, OPTIMIZER_BIN), path.join(found, OPTIMIZER_BIN), { exact: floats * 4 });
  const optimizerState = decodeNamedArrays(index, data);
  for (const a of optimizerState) assertFinite(a.values, `${path.join(found, OPTIMIZER_BIN)}: '${a.name}'`);
  return { dir: found, state, optimizerState };
}

/** The checkpoint directory of a run: `<runDir>/checkpoints/<which>`, after crash recovery. */
export async function checkpointDir(runDir: string, which: 'last' | 'best'): Promise<string | undefined> {
  return committedDir(path.join(runDir, 'checkpoints', which));
}
