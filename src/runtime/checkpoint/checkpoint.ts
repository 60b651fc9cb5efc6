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
  const state = JSON.parse(await fs.readFile(path.join(found, STATE_JSON), 'utf8')) as TrainState;
  if (state.format !== 'dlc-checkpoint/1') throw new Error(`${found}: unknown checkpoint format '${String(state.format)}'`);
  const index = JSON.parse(await fs.readFile(path.join(found, OPTIMIZER_JSON), 'utf8')) as NamedArrayIndex;
  const data = await fs.readFile(path.join(found, OPTIMIZER_BIN));
  return { dir: found, state, optimizerState: decodeNamedArrays(index, data) };
}

/** The checkpoint directory of a run: `<runDir>/checkpoints/<which>`, after crash recovery. */
export async function checkpointDir(runDir: string, which: 'last' | 'best'): Promise<string | undefined> {
  return committedDir(path.join(runDir, 'checkpoints', which));
}
