/**
 * `runTraining(ir, parts, options)`: a whole training run, the same for
 * `dlc run` (./train.ts) and for an emitted project's src/train.ts, which
 * carries this file verbatim and passes its own generated model builder and
 * data loader as `parts`.
 *
 * Backend → replica plan → session (run directory, data, model, optimizer;
 * resumed from `checkpoints/last` with `resume`) → the epoch loop
 * (./loop.ts) with the hooks that persist each epoch (checkpoints,
 * metrics.jsonl/csv) → test-split evaluation, report.json (with
 * train_seconds), confusion matrix, tables on stdout.
 */
import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import type { IR } from '../../compiler/ir.js';
import { initBackend, type BackendInfo } from '../backend/select.js';
import { saveCheckpoint } from '../checkpoint/checkpoint.js';
import { withClassWeights } from '../losses/index.js';
import { dropoutLayers } from '../model/dropout.js';
import { createProgress } from '../progress/progress.js';
import { FILES, writeEpochRecords, writeReport } from '../run-dir/run-dir.js';
import { evalOptions, evaluateSet } from './evaluate-set.js';
import { runEpochs, trainState, type EpochEnd, type EpochLoopHooks } from './loop.js';
import type { TestEvaluation, TrainingParts, TrainOptions, TrainResult } from './options.js';
import { formatReport, reportJson } from './report.js';
import { envReplicas, planReplicas, ReplicaGroup } from './replicas.js';
import { setupSession, type Session } from './setup.js';
import { trainableVariables, trainStep } from './step.js';

/** Current backend as BackendInfo, when the caller chose it (backend: null). */
function currentBackend(): BackendInfo {
  return { name: tf.getBackend() as BackendInfo['name'], reason: 'set by the caller' };
}

/** Seconds spent in training steps (validation excluded), over the whole run including resumed parts. */
export function trainSeconds(history: readonly { readonly seconds: number }[]): number {
  return history.reduce((t, r) => t + r.seconds, 0);
}

/** The epochEnd hook of a run directory: best then last checkpoint, then metrics.jsonl and metrics.csv. */
export async function persistEpoch(ir: IR, { session: s, record, improved, stopping }: EpochEnd): Promise<void> {
  const ckpt = ir.spec.train.checkpoint;
  const state = trainState(s, record.epoch, record);
  const optimizerState = s.optimizer.getState();
  // Best first: if a kill lands between the two, the resumed run redoes this epoch and rewrites both.
  if (improved && ckpt.keep_best) await saveCheckpoint(path.join(s.runDir, FILES.checkpoints, 'best'), { model: s.model, optimizerState, state });
  if (record.epoch % Math.max(1, ckpt.every_epochs) === 0 || record.epoch === s.epochs || stopping) {
    await saveCheckpoint(path.join(s.runDir, FILES.checkpoints, 'last'), { model: s.model, optimizerState, state });
    s.lastCheckpointEpoch = record.epoch;
  }
  await writeEpochRecords(s.runDir, s.history);
}

export type { TrainingParts } from './options.js';

/** Trains the model of `ir` as its spec says, with `parts` building the model and loading the data; see the module comment. */
export async function runTraining(ir: IR, parts: TrainingParts, options: TrainOptions = {}): Promise<TrainResult> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const progress = createProgress(stderr, { mode: options.progress, logEvery: options.logEvery });
  const log = (line: string): void => progress.log(line);

  const requested = options.replicas ?? envReplicas();
  const script = parts.replicaWorker;
  const choice = options.backend === null ? null : (options.backend ?? 'auto');
  // Replicas are the parallelism: each computes on one thread, so wasm starts single-threaded when they will be used.
  const wasmPlan = choice === 'auto' || choice === 'wasm' ? planReplicas(ir, 'wasm', requested, script) : undefined;
  const backend = choice === null ? currentBackend() : await initBackend(choice, { threads: wasmPlan && wasmPlan.count > 1 ? 1 : undefined });
  const plan = choice === null && requested === undefined ? { count: 1, reason: '1 replica' } : planReplicas(ir, backend.name, requested, script);
  log(`backend: ${backend.name} (${backend.reason}); ${plan.reason}`);
  const s = await setupSession(ir, parts, options, backend, log);
  log(`run directory: ${s.runDir}`);
  let replicas: ReplicaGroup | undefined;
  try {
    // Replicas build their loss from the IR they get: give them the class weights resolved from the data.
    const replicaIr: IR = s.classWeights ? { ...ir, spec: { ...ir.spec, loss: withClassWeights(ir.spec.loss, s.classWeights) } } : ir;
    if (plan.count > 1) replicas = await ReplicaGroup.start(replicaIr, plan.count, backend.name as 'wasm' | 'cpu', script!);
    const { stopReason, message } = await runEpochs(ir, s, epochHooks(ir, s, options, progress, replicas));
    if (message) log(message);
    let test: TestEvaluation | undefined;
    if (stopReason !== 'non_finite_loss') {
      log(`evaluating the final model on the test split (${s.dataset.test.count} samples)`);
      test = await evaluateSet(s.model, s.dataset.test, evalOptions(ir, s.evalLossFn));
      const classNames = s.dataset.classNames;
      await writeReport(
        s.runDir,
        { name: ir.spec.name, split: 'test', checkpoint: 'final', backend: backend.name, epochs: s.history.length, global_step: s.globalStep, stop_reason: stopReason, train_seconds: trainSeconds(s.history), ...reportJson(test.loss, test.report, classNames) },
        test.report,
        classNames,
      );
      stdout.write(formatReport('Test', test.loss, test.report, classNames, ir.spec.metrics));
    } else {
      await writeReport(s.runDir, { name: ir.spec.name, backend: backend.name, epochs: s.history.length, global_step: s.globalStep, stop_reason: stopReason, message }, undefined, []);
    }
    log(`run directory: ${s.runDir}`);
    return { runDir: s.runDir, backend, history: s.history, stopReason, message, globalStep: s.globalStep, test, classNames: s.dataset.classNames };
  } finally {
    await replicas?.close();
    s.model.dispose();
    s.optimizer.dispose();
    await s.unlock?.();
  }
}

/** The loop's hooks for a run directory: a step on this thread or on the replicas, persistEpoch, options.onEpoch. */
function epochHooks(ir: IR, s: Session, options: TrainOptions, progress: EpochLoopHooks['progress'], replicas: ReplicaGroup | undefined): EpochLoopHooks {
  const vars = trainableVariables(s.model);
  const drops = dropoutLayers(s.model);
  return {
    step: async (batch, globalStep) => {
      const r = await (replicas ? replicas.step(s.model, vars, drops, s.lossFn, s.optimizer, batch, globalStep) : trainStep(s.model, vars, s.lossFn, s.optimizer, batch));
      options.onStep?.({ step: globalStep + 1, loss: r.loss, lr: s.optimizer.learningRate });
      return r;
    },
    epochEnd: (end) => persistEpoch(ir, end),
    progress,
    afterEpoch: options.onEpoch ? (record) => options.onEpoch!(record, { model: s.model, runDir: s.runDir }) : undefined,
  };
}
