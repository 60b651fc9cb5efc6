/**
 * The epoch loop, once, for `dlc run` and for emitted projects (which
 * carry this file verbatim and reach it through ./run.ts).
 *
 * Per epoch: seeded shuffled batches → one optimizer step per batch through
 * the `step` hook (this thread, or data-parallel replicas), learning rate
 * from the schedule per step, dropout masks from (seed, layer, step) →
 * validation metrics → schedule / early-stopping / best-monitor bookkeeping
 * → the `epochEnd` hook (checkpoints, run-directory files) → progress line
 * → `afterEpoch`. A non-finite loss ends the loop before any bookkeeping, so
 * the last checkpoint stays the last good one.
 */
import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import type { IR } from '../../compiler/ir.js';
import type { MonitorState, TrainState } from '../checkpoint/checkpoint.js';
import type { Batch } from '../contracts.js';
import { dropoutLayers, setDropoutStep } from '../model/dropout.js';
import { formatDuration, type Progress } from '../progress/progress.js';
import { FILES, type EpochRecord } from '../run-dir/run-dir.js';
import { evalOptions, evaluateSet } from './evaluate-set.js';
import { feed } from './feed.js';
import { observeMonitor } from './monitor.js';
import type { StopReason } from './options.js';
import type { Session } from './setup.js';
import type { StepResult } from './step.js';

/** What the loop calls out to; ./run.ts supplies the ones `dlc run` and emitted projects use. */
export interface EpochLoopHooks {
  /** One optimizer step on `batch` (the learning rate and dropout step are already set). */
  readonly step: (batch: Batch, globalStep: number) => Promise<StepResult>;
  /** After an epoch's bookkeeping, before its progress line: checkpoints and run-directory files. */
  readonly epochEnd: (end: EpochEnd) => Promise<void>;
  /** Progress bar / lines and the log. */
  readonly progress: Progress;
  /** Last thing of an epoch (TrainOptions.onEpoch); throwing ends the run there. */
  readonly afterEpoch?: (record: EpochRecord) => void | Promise<void>;
}

/** One finished epoch, as the epochEnd hook sees it (the record is already in `session.history`). */
export interface EpochEnd {
  readonly session: Session;
  readonly record: EpochRecord;
  /** This epoch is the best so far by `train.checkpoint.monitor`. */
  readonly improved: boolean;
  /** The loop stops after this epoch (early stopping). */
  readonly stopping: boolean;
}

/** How the loop ended. */
export interface LoopOutcome {
  readonly stopReason: StopReason;
  /** A human-readable line for non-`completed` stops. */
  readonly message?: string;
}

function pct(x: number | undefined): string {
  return x === undefined ? '-' : `${(x * 100).toFixed(2)}%`;
}

/**
 * An epoch's progress line. Real-valued targets (`target` 'real') print the
 * validation MAE instead of accuracies, which an arg-max cannot give them.
 */
export function summaryLine(r: EpochRecord, epochs: number, best: boolean, target: TargetKind = 'class'): string {
  const real = target === 'real';
  const valMetric = real ? `val_mae ${r.val_mae === undefined ? '-' : r.val_mae.toFixed(4)}` : `val_acc ${pct(r.val_accuracy)}`;
  const val = r.val_loss !== undefined ? `  val_loss ${r.val_loss.toFixed(4)} ${valMetric}` : '';
  return `epoch ${r.epoch}/${epochs}  loss ${r.loss.toFixed(4)}${real ? '' : ` acc ${pct(r.accuracy)}`}${val}  lr ${r.lr.toPrecision(3)}  ${formatDuration(r.seconds)} ${r.samples_per_second.toFixed(0)} samples/s${best ? '  *best' : ''}`;
}

/** What a sample's target is (IR `target.kind`; absent in the IR means a class index). */
export type TargetKind = 'class' | 'multi_label' | 'real';

/** The checkpoint state after `epoch` (1-based) epochs. */
export function trainState(s: Session, epoch: number, record: EpochRecord): TrainState {
  const mon = (m: MonitorState | undefined): MonitorState | undefined => (m ? { ...m } : undefined);
  return {
    format: 'dlc-checkpoint/1', epoch, globalStep: s.globalStep, optimizerKind: s.optimizer.kind, schedule: s.schedule.getState(),
    earlyStopping: mon(s.earlyStopping), bestCheckpoint: mon(s.bestCheckpoint),
    rng: { seed: s.seed, epoch, step: s.globalStep },
    metrics: record as unknown as Record<string, number>,
  };
}

/** Trains `s` from `s.startEpoch` to `s.epochs` (see the module comment); mutates the session's counters and history. */
export async function runEpochs(ir: IR, s: Session, hooks: EpochLoopHooks): Promise<LoopOutcome> {
  const spec = ir.spec;
  const seed = spec.seed;
  const drops = dropoutLayers(s.model);
  const { progress } = hooks;
  const target: TargetKind = ir.target?.kind ?? 'class';
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
        if (s.schedule.momentumAt) s.optimizer.setMomentum?.(s.schedule.momentumAt(s.globalStep));
        setDropoutStep(drops, seed, s.globalStep);
        const r = await hooks.step(batch, s.globalStep);
        if (!Number.isFinite(r.loss)) {
          bad = r.loss;
          break;
        }
        s.globalStep++;
        lossSum += r.loss * batch.size;
        correct += r.correct;
        seen += batch.size;
        progress.update({ samples: seen, batches: batch.index + 1, loss: lossSum / seen, accuracy: target === 'real' ? undefined : correct / seen });
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
    const valEval = s.val.count > 0 ? await evaluateSet(s.model, s.val, evalOptions(ir, s.evalLossFn)) : undefined;
    const record: EpochRecord = {
      epoch: epoch + 1, step: s.globalStep, lr, loss: lossSum / seen, accuracy: correct / seen,
      ...(valEval ? { val_loss: valEval.loss, val_accuracy: valEval.report.accuracy, val_f1: valEval.report.macro.f1 } : {}),
      ...(valEval?.report.regression ? { val_mae: valEval.report.regression.mae } : {}),
      seconds, samples_per_second: seen / Math.max(seconds, 1e-9),
    };
    const metrics = record as unknown as Record<string, number>;
    s.schedule.endEpoch(epoch, metrics);

    let stop: LoopOutcome | undefined;
    if (s.earlyStopping && spec.train.early_stopping) {
      s.earlyStopping = observeMonitor(s.earlyStopping, epoch + 1, metrics, spec.train.early_stopping.min_delta).state;
      if (s.earlyStopping.wait >= spec.train.early_stopping.patience && epoch + 1 < s.epochs) {
        stop = { stopReason: 'early_stopping', message: `early stopping: ${s.earlyStopping.monitor} has not improved for ${s.earlyStopping.wait} epochs (best ${s.earlyStopping.best} at epoch ${s.earlyStopping.bestEpoch})` };
      }
    }
    let improved = false;
    if (s.bestCheckpoint) ({ state: s.bestCheckpoint, improved } = observeMonitor(s.bestCheckpoint, epoch + 1, metrics));
    s.history.push(record);
    await hooks.epochEnd({ session: s, record, improved, stopping: stop !== undefined });
    progress.endEpoch(summaryLine(record, s.epochs, improved, target));
    await hooks.afterEpoch?.(record);
    if (stop) return stop;
  }
  return { stopReason: 'completed' };
}
