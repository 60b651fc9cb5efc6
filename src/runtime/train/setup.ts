/**
 * Everything a run needs before its first step: the run directory (new or
 * resumed), the data splits, the model, optimizer, schedule and loss, and —
 * when resuming — the state restored from `checkpoints/last`.
 */
import type * as tf from '@tensorflow/tfjs';
import type { IR } from '../../compiler/ir.js';
import type { BackendInfo } from '../backend/select.js';
import { loadCheckpoint, type MonitorState, type TrainState } from '../checkpoint/checkpoint.js';
import { restoreWeights } from '../checkpoint/model-files.js';
import type { ImageSet, LoadedDataset, LossFn, LrSchedule, TrainableOptimizer } from '../contracts.js';
import { splitValidation } from '../data/split.js';
import { ClassWeightError, evaluationLoss, makeLoss, resolveClassWeights, withClassWeights } from '../losses/index.js';
import { makeOptimizer } from '../optimizers/index.js';
import { claimRunDir, createRunDir, readEpochRecords, readRun, writeEpochRecords, writeRunStart, type EpochRecord } from '../run-dir/run-dir.js';
import { makeSchedule } from '../schedules/index.js';
import { batchesPerEpoch } from './feed.js';
import { initialMonitor } from './monitor.js';
import { otherPreprocessingWarning, readGivenPreprocessing, runPreprocessing, type GivenPreprocessing } from './preprocessing-file.js';
import { canonicalJson } from './canonical-json.js';
import { PreprocessingMismatch } from '../data/errors.js';
import { applyInitialWeights } from './initial-weights.js';
import type { TrainingParts, TrainOptions } from './options.js';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { RunError } from './errors.js';
import { dataMismatch } from './data-fits.js';
import { lockRunDir, recoverCheckpoints } from '../run-dir/lock.js';

/** The schema's maximum for train.epochs (front/schema/sections.ts), also enforced on --epochs. */
export const MAX_EPOCHS = 100_000;

export interface Session {
  readonly runDir: string;
  /** Releases the run directory's lock (run-dir/lock.ts); the run calls it when it ends. */
  readonly unlock?: () => Promise<void>;
  readonly epochs: number;
  readonly dataset: LoadedDataset;
  readonly train: ImageSet;
  readonly val: ImageSet;
  readonly stepsPerEpoch: number;
  readonly model: tf.LayersModel;
  readonly optimizer: TrainableOptimizer;
  readonly schedule: LrSchedule;
  /** The training loss (class weights applied when the spec has them). */
  readonly lossFn: LossFn;
  /** The loss validation and test report (never class-weighted). */
  readonly evalLossFn: LossFn;
  /** loss.cross_entropy.class_weight resolved to one weight per class (undefined: none). */
  readonly classWeights?: readonly number[];
  readonly seed: number;
  /** Epoch of the newest `checkpoints/last` (undefined: none yet). */
  lastCheckpointEpoch?: number;
  /** Epochs already done (0 for a fresh run). */
  startEpoch: number;
  globalStep: number;
  earlyStopping?: MonitorState;
  bestCheckpoint?: MonitorState;
  history: EpochRecord[];
}

function withoutEpochs(ir: IR): unknown {
  return { ...ir.spec, train: { ...ir.spec.train, epochs: 0 } };
}

/** Prepares a run (fresh or resumed) with `parts`' model builder and data loader; `log` gets the user-facing info lines. */
export async function setupSession(ir: IR, parts: Pick<TrainingParts, 'buildModel' | 'loadData'>, options: TrainOptions, backend: BackendInfo, log: (line: string) => void): Promise<Session> {
  const spec = ir.spec;
  const epochs = options.epochs ?? spec.train.epochs;
  if (!(Number.isInteger(epochs) && epochs >= 1)) throw new RunError(`epochs must be a positive integer, got ${epochs}`);
  // --epochs bypasses the schema: hold it to the schema's maximum for train.epochs.
  if (epochs > MAX_EPOCHS) throw new RunError(`epochs ${epochs} is more than the maximum of ${MAX_EPOCHS}`);

  let runDir = '';
  let unlock: (() => Promise<void>) | undefined;
  try {
    return await prepare();
  } catch (e) {
    await unlock?.();
    throw e;
  }

  async function prepare(): Promise<Session> {
    if (options.preprocessingFile !== undefined && (options.resume || options.preprocessing)) {
      throw new RunError(`--preprocessing ${options.preprocessingFile} and ${options.resume ? 'resume' : 'a given preprocessing'} exclude each other (a resumed run keeps its own preprocessing.json)`);
    }
    // Before anything is written: a file that is missing, malformed or of another kind fails here, named.
    const given = options.preprocessingFile !== undefined ? await readGivenPreprocessing(options.preprocessingFile, spec.data) : undefined;
    let resumed: Awaited<ReturnType<typeof loadCheckpoint>> | undefined;
    let history: EpochRecord[] = [];
    if (options.resume) {
      runDir = path.resolve(options.resume);
      // One writer at a time, then the leftovers of a kill mid-checkpoint.
      unlock = await lockRunDir(runDir);
      for (const done of await recoverCheckpoints(runDir)) log(`resume: ${done}`);
      const saved = await readRun(runDir);
      // Same spec (epochs may grow): otherwise "resume" would silently train something else.
      if (canonicalJson(withoutEpochs(saved.ir)) !== canonicalJson(withoutEpochs(ir))) {
        throw new RunError(`cannot resume ${runDir}: its spec differs from this one (only train.epochs may change on resume)`);
      }
      resumed = await loadCheckpoint(path.join(runDir, 'checkpoints', 'last')).catch((e: Error) => {
        throw new RunError(`cannot resume ${runDir}: ${e.message}`);
      });
      history = (await readEpochRecords(runDir)).filter((r) => r.epoch <= resumed!.state.epoch);
      const last = resumed.state.metrics as unknown as EpochRecord;
      if (resumed.state.epoch > 0 && !history.some((r) => r.epoch === resumed!.state.epoch) && last.epoch === resumed.state.epoch) {
        // A kill between the checkpoint and the metrics write lost this epoch's record: write it back now (it is in state.json).
        history.push(last);
        await writeEpochRecords(runDir, history);
        log(`resume: restored the metrics record of epoch ${last.epoch} from the checkpoint`);
      }
      log(`resuming ${runDir} after epoch ${resumed.state.epoch} (step ${resumed.state.globalStep})`);
    }

    // Data first, checked against the IR: data that cannot feed this model must not leave a run directory behind.
    // A given preprocessing (dlc run's or an emitted project's --preprocessing), else on resume the run's own: the data is encoded as the model learnt it.
    const saved = given?.saved ?? options.preprocessing ?? (options.resume ? await runPreprocessing(runDir) : undefined);
    const dataset = await loadData(parts, log, saved, given);
    const misfit = dataMismatch(ir, dataset);
    if (misfit) throw new RunError(`cannot train: ${misfit}`);
    if (options.initialWeights !== undefined && options.resume) throw new RunError('initial weights and resume exclude each other (a resumed run continues from its own checkpoint)');
    // The model before the run directory: given initial weights that do not fit it must not leave one behind either.
    const model = parts.buildModel(ir);
    if (options.initialWeights !== undefined && saved === undefined && dataset.preprocessing) {
      const warning = await otherPreprocessingWarning(options.initialWeights, dataset.preprocessing);
      if (warning) log(warning);
    }
    if (options.initialWeights !== undefined) {
      try {
        const { set, unused } = await applyInitialWeights(model, path.resolve(options.initialWeights));
        log(`initial weights: ${set} tensors from ${options.initialWeights}${unused.length ? ` (${unused.length} there the model does not use, e.g. '${unused[0]}')` : ''}`);
      } catch (e) {
        model.dispose();
        throw e;
      }
    }
    if (!options.resume) {
      runDir = options.runDir !== undefined ? await claimRunDir(options.runDir) : await createRunDir(options.runsDir ?? 'runs', spec.name, options.now?.() ?? new Date());
      unlock = await lockRunDir(runDir);
    }
    const { train, val } = splitValidation(dataset.train, spec.data.validation_split, spec.seed);
    if (train.count === 0) throw new RunError('the training split is empty');
    if (!options.resume) {
      await writeRunStart(runDir, ir, options.specYaml, { name: spec.name, started: new Date().toISOString(), backend: backend.name, backendReason: backend.reason, classNames: dataset.classNames });
      // csv data: the fitted preprocessing (train-split means/stds, categories, classes) travels with the run.
      // A given file is saved as it is, so the run's preprocessing.json is byte for byte the one it was trained with.
      if (dataset.preprocessing) await writeFile(path.join(runDir, 'preprocessing.json'), given?.text ?? `${JSON.stringify(dataset.preprocessing, null, 2)}\n`);
    }
    const classWeights = spec.loss.kind === 'cross_entropy' && spec.loss.class_weight !== undefined ? classWeightsOf(spec.loss.class_weight, dataset.classNames, train.labels, ir.numClasses) : undefined;
    if (classWeights) log(`class weights: ${classWeights.map((w, i) => `${dataset.classNames[i] ?? i} ${w.toPrecision(3)}`).join(', ')}`);
    const stepsPerEpoch = batchesPerEpoch(train.count, spec.data.batch_size);
    const optimizer = makeOptimizer(spec.optimizer);
    const schedule = makeSchedule(spec.schedule, spec.optimizer.learning_rate, { stepsPerEpoch, epochs });
    // A momentum-cycling schedule (one_cycle) owns the optimizer's momentum from the first step (its slots too).
    if (schedule.momentumAt) optimizer.setMomentum?.(schedule.momentumAt(0));
    const session: Session = {
      runDir, unlock, epochs, dataset, train, val, stepsPerEpoch, model, optimizer, schedule, lossFn: makeLoss(withClassWeights(spec.loss, classWeights)), evalLossFn: evaluationLoss(spec.loss), classWeights, seed: spec.seed,
      startEpoch: 0, globalStep: 0, history,
      earlyStopping: spec.train.early_stopping ? initialMonitor(spec.train.early_stopping.monitor) : undefined,
      bestCheckpoint: spec.train.checkpoint.keep_best ? initialMonitor(spec.train.checkpoint.monitor) : undefined,
    };
    if (resumed) restore(session, resumed.state, resumed.optimizerState);
    if (resumed) await restoreWeights(model, resumed.dir);
    return session;
  }
}

/** The data loaded with `saved`; when that came from a given file that cannot encode the data, the error names the file. */
async function loadData(parts: Pick<TrainingParts, 'loadData'>, log: (line: string) => void, saved: { readonly kind: string } | undefined, given: GivenPreprocessing | undefined): Promise<LoadedDataset> {
  try {
    return await parts.loadData(log, saved);
  } catch (e) {
    if (given && e instanceof PreprocessingMismatch) throw new RunError(`--preprocessing ${given.file}: ${e.message}`);
    throw e;
  }
}

function classWeightsOf(...args: Parameters<typeof resolveClassWeights>): number[] {
  try {
    return resolveClassWeights(...args);
  } catch (e) {
    if (e instanceof ClassWeightError) throw new RunError(e.message);
    throw e;
  }
}

function restore(s: Session, state: TrainState, optimizerState: Parameters<TrainableOptimizer['setState']>[0]): void {
  if (state.optimizerKind !== s.optimizer.kind) throw new Error(`checkpoint optimizer is ${state.optimizerKind}, the spec's is ${s.optimizer.kind}`);
  s.optimizer.setState(optimizerState);
  s.schedule.setState(state.schedule);
  s.startEpoch = state.epoch;
  s.globalStep = state.globalStep;
  s.lastCheckpointEpoch = state.epoch;
  if (state.earlyStopping) s.earlyStopping = state.earlyStopping;
  if (state.bestCheckpoint) s.bestCheckpoint = state.bestCheckpoint;
}
