/**
 * `train(ir, options)`: the training loop behind `dlc run`.
 *
 * Per epoch: seeded shuffled batches → custom step (variableGrads + our
 * optimizer, learning rate from the schedule per step, dropout masks from
 * (seed, layer, step)) → validation metrics → schedule/early-stopping
 * bookkeeping → best checkpoint (if improved) → last checkpoint →
 * metrics.jsonl/csv → onEpoch. After the loop: test-split evaluation,
 * report.json, confusion matrix, tables on stdout.
 *
 * Everything random is a function of (seed, epoch, step), and the
 * checkpoint holds weights, optimizer slots, schedule and monitor state, so
 * a resumed run continues exactly where the last checkpoint left off.
 */
import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import type { IR } from '../../compiler/ir.js';
import { initBackend, type BackendInfo } from '../backend/select.js';
import { saveCheckpoint, type MonitorState, type TrainState } from '../checkpoint/checkpoint.js';
import { dropoutLayers, setDropoutStep } from '../model/dropout.js';
import { createProgress, formatDuration, type Progress } from '../progress/progress.js';
import { FILES, writeEpochRecords, writeReport, type EpochRecord } from '../run-dir/run-dir.js';
import { evaluateSet } from './evaluate-set.js';
import { feed } from './feed.js';
import { observeMonitor } from './monitor.js';
import type { StopReason, TestEvaluation, TrainOptions, TrainResult } from './options.js';
import { formatReport, reportJson } from './report.js';
import { setupSession, type Session } from './setup.js';
import { envReplicas, planReplicas, ReplicaGroup, replicaWorkerScript } from './replicas.js';
import { trainStep, trainableVariables } from './step.js';

export type { TrainOptions, TrainResult, StopReason } from './options.js';

/** Current backend as BackendInfo, when the caller chose it (backend: null). */
function currentBackend(): BackendInfo {
  return { name: tf.getBackend() as BackendInfo['name'], reason: 'set by the caller' };
}

function pct(x: number | undefined): string {
  return x === undefined ? '-' : `${(x * 100).toFixed(2)}%`;
}

function summaryLine(r: EpochRecord, epochs: number, best: boolean): string {
  const val = r.val_loss !== undefined ? `  val_loss ${r.val_loss.toFixed(4)} val_acc ${pct(r.val_accuracy)}` : '';
  return `epoch ${r.epoch}/${epochs}  loss ${r.loss.toFixed(4)} acc ${pct(r.accuracy)}${val}  lr ${r.lr.toPrecision(3)}  ${formatDuration(r.seconds)} ${r.samples_per_second.toFixed(0)} samples/s${best ? '  *best' : ''}`;
}

/** Trains the model of `ir` as its spec says; see the module comment. */
export async function train(ir: IR, options: TrainOptions = {}): Promise<TrainResult> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const progress = createProgress(stderr, { mode: options.progress, logEvery: options.logEvery });
  const log = (line: string): void => progress.log(line);

  const requested = options.replicas ?? envReplicas();
  const script = options.replicaWorker ?? replicaWorkerScript();
  const choice = options.backend === null ? null : (options.backend ?? 'auto');
  // Replicas are the parallelism: each computes on one thread, so wasm starts single-threaded when they will be used.
  const wasmPlan = choice === 'auto' || choice === 'wasm' ? planReplicas(ir, 'wasm', requested, script) : undefined;
  const backend = choice === null ? currentBackend() : await initBackend(choice, { threads: wasmPlan && wasmPlan.count > 1 ? 1 : undefined });
  const plan = choice === null && requested === undefined ? { count: 1, reason: '1 replica' } : planReplicas(ir, backend.name, requested, script);
  log(`backend: ${backend.name} (${backend.reason}); ${plan.reason}`);
  const s = await setupSession(ir, options, backend, log);
  log(`run directory: ${s.runDir}`);
  let replicas: ReplicaGroup | undefined;
  try {
    if (plan.count > 1) replicas = await ReplicaGroup.start(ir, plan.count, backend.name as 'wasm' | 'cpu', script!);
    const { stopReason, message } = await runEpochs(ir, s, options, progress, replicas);
    if (message) log(message);
    let test: TestEvaluation | undefined;
    if (stopReason !== 'non_finite_loss') {
      log(`evaluating the final model on the test split (${s.dataset.test.count} samples)`);
      test = await evaluateSet(s.model, s.dataset.test, evalOptions(ir, s));
      const classNames = s.dataset.classNames;
      await writeReport(
        s.runDir,
        { name: ir.spec.name, split: 'test', checkpoint: 'final', backend: backend.name, epochs: s.history.length, global_step: s.globalStep, stop_reason: stopReason, train_seconds: trainSeconds(s), ...reportJson(test.loss, test.report, classNames) },
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
  }
}

/** Seconds spent in training steps (validation excluded), over the whole run including resumed parts. */
function trainSeconds(s: Session): number {
  return s.history.reduce((t, r) => t + r.seconds, 0);
}

function evalOptions(ir: IR, s: Session): Parameters<typeof evaluateSet>[2] {
  return { batchSize: ir.spec.data.batch_size, transforms: ir.spec.data.transforms.eval, numClasses: ir.numClasses, lossFn: s.lossFn, metrics: ir.spec.metrics, seed: ir.spec.seed };
}

async function runEpochs(ir: IR, s: Session, options: TrainOptions, progress: Progress, replicas: ReplicaGroup | undefined): Promise<{ stopReason: StopReason; message?: string }> {
  const spec = ir.spec;
  const seed = spec.seed;
  const vars = trainableVariables(s.model);
  const drops = dropoutLayers(s.model);
  const ckpt = spec.train.checkpoint;
  for (let epoch = s.startEpoch; epoch < s.epochs; epoch++) {
    progress.startEpoch(epoch + 1, s.epochs, s.train.count, s.stepsPerEpoch);
    const t0 = performance.now();
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    let lr = s.schedule.lrAt(s.globalStep);
    let bad: number | undefined;
    const batches = feed(s.train, { batchSize: spec.data.batch_size, shuffle: true, seed, epoch, transforms: spec.data.transforms.train, numClasses: ir.numClasses });
    for await (const batch of batches) {
      try {
        lr = s.schedule.lrAt(s.globalStep);
        s.optimizer.learningRate = lr;
        setDropoutStep(drops, seed, s.globalStep);
        const r = replicas ? await replicas.step(s.model, vars, drops, s.lossFn, s.optimizer, batch, s.globalStep) : trainStep(s.model, vars, s.lossFn, s.optimizer, batch);
        if (!Number.isFinite(r.loss)) {
          bad = r.loss;
          break;
        }
        s.globalStep++;
        lossSum += r.loss * batch.size;
        correct += r.correct;
        seen += batch.size;
        progress.update({ samples: seen, batches: batch.index + 1, loss: lossSum / seen, accuracy: correct / seen });
      } finally {
        tf.dispose([batch.xs, batch.ys]);
      }
    }
    if (bad !== undefined) {
      const kept = s.lastCheckpointEpoch !== undefined ? `the last good checkpoint (epoch ${s.lastCheckpointEpoch}) is in ${path.join(s.runDir, FILES.checkpoints, 'last')}` : 'no epoch finished, so there is no checkpoint';
      const message = `stopped: the training loss became ${bad} at epoch ${epoch + 1}, step ${s.globalStep + 1} (learning rate ${lr.toPrecision(3)}); ${kept}. Try a lower learning_rate or gradient clipping (clip_norm).`;
      progress.endEpoch(`epoch ${epoch + 1}/${s.epochs}  loss ${bad}`);
      return { stopReason: 'non_finite_loss', message };
    }
    const seconds = (performance.now() - t0) / 1000;
    const valEval = s.val.count > 0 ? await evaluateSet(s.model, s.val, { batchSize: spec.data.batch_size, transforms: spec.data.transforms.eval, numClasses: ir.numClasses, lossFn: s.lossFn, metrics: spec.metrics, seed }) : undefined;
    const record: EpochRecord = {
      epoch: epoch + 1, step: s.globalStep, lr, loss: lossSum / seen, accuracy: correct / seen,
      ...(valEval ? { val_loss: valEval.loss, val_accuracy: valEval.report.accuracy, val_f1: valEval.report.macro.f1 } : {}),
      seconds, samples_per_second: seen / Math.max(seconds, 1e-9),
    };
    const metrics = record as unknown as Record<string, number>;
    s.schedule.endEpoch(epoch, metrics);

    let stop: { stopReason: StopReason; message?: string } | undefined;
    if (s.earlyStopping && spec.train.early_stopping) {
      s.earlyStopping = observeMonitor(s.earlyStopping, epoch + 1, metrics, spec.train.early_stopping.min_delta).state;
      if (s.earlyStopping.wait >= spec.train.early_stopping.patience && epoch + 1 < s.epochs) {
        stop = { stopReason: 'early_stopping', message: `early stopping: ${s.earlyStopping.monitor} has not improved for ${s.earlyStopping.wait} epochs (best ${s.earlyStopping.best} at epoch ${s.earlyStopping.bestEpoch})` };
      }
    }
    let improved = false;
    if (s.bestCheckpoint) ({ state: s.bestCheckpoint, improved } = observeMonitor(s.bestCheckpoint, epoch + 1, metrics));
    const state = trainState(s, epoch + 1, record);
    const optimizerState = s.optimizer.getState();
    // Best first: if a kill lands between the two, the resumed run redoes this epoch and rewrites both.
    if (improved && ckpt.keep_best) await saveCheckpoint(path.join(s.runDir, FILES.checkpoints, 'best'), { model: s.model, optimizerState, state });
    if ((epoch + 1) % Math.max(1, ckpt.every_epochs) === 0 || epoch + 1 === s.epochs || stop) {
      await saveCheckpoint(path.join(s.runDir, FILES.checkpoints, 'last'), { model: s.model, optimizerState, state });
      s.lastCheckpointEpoch = epoch + 1;
    }
    s.history.push(record);
    await writeEpochRecords(s.runDir, s.history);
    progress.endEpoch(summaryLine(record, s.epochs, improved));
    await options.onEpoch?.(record, { model: s.model, runDir: s.runDir });
    if (stop) return stop;
  }
  return { stopReason: 'completed' };
}

function trainState(s: Session, epoch: number, record: EpochRecord): TrainState {
  const mon = (m: MonitorState | undefined): MonitorState | undefined => (m ? { ...m } : undefined);
  return {
    format: 'dlc-checkpoint/1', epoch, globalStep: s.globalStep, optimizerKind: s.optimizer.kind, schedule: s.schedule.getState(),
    earlyStopping: mon(s.earlyStopping), bestCheckpoint: mon(s.bestCheckpoint),
    rng: { seed: s.seed, epoch, step: s.globalStep },
    metrics: record as unknown as Record<string, number>,
  };
}
