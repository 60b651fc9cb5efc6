/**
 * The runtime's library API: train a lowered IR, evaluate or predict with a
 * saved run. The `dlc run/eval/predict` commands are thin shells over these.
 */
export { train, type TrainOptions, type TrainResult, type StopReason } from './train.js';
export { runTraining, persistEpoch, type TrainingParts } from './run.js';
export { runEpochs, type EpochLoopHooks, type EpochEnd, type LoopOutcome } from './loop.js';
export { serveReplica } from './replica-serve.js';
export { evaluate, type EvaluateOptions, type EvaluateResult } from './evaluate.js';
export { predict, type PredictOptions, type PredictResult, type Prediction } from './predict.js';
export { evaluateSet, evalOptions, type EvaluateSetOptions, type SetEvaluation } from './evaluate-set.js';
export { openRun, type CheckpointChoice, type OpenedRun } from './run-model.js';
export { buildModel } from '../model/build-model.js';
export { saveCheckpoint, loadCheckpoint, checkpointDir, type TrainState } from '../checkpoint/checkpoint.js';
export { loadModelFiles, fileLoadHandler } from '../checkpoint/model-files.js';
