/**
 * What the data set's target kind decides about training settings, in one
 * place: the default monitor of the best checkpoint (`train.checkpoint.monitor`)
 * and which monitors a run of that target produces at all. Normalisation
 * (front/normalize.ts) fills the default in, so the resolved spec that the
 * runtime, `dlc config` and both emitted projects read carries it; the
 * training-settings pass (lower/passes/training-settings.ts) reports a
 * monitor the target does not produce.
 *
 * Class and multi-label targets: val_accuracy (higher is better), as Keras's
 * ModelCheckpoint users name it. Real targets (regression, forecasting):
 * val_loss (lower is better) — accuracy and F1 are not computed for them.
 */
import type { MonitorName } from '../spec.js';
import type { TargetKind } from '../datasets/dataset-def.js';
import { MONITORS } from './monitors.js';

/** The best-checkpoint monitor when the spec names none. */
export function defaultMonitor(target: TargetKind): MonitorName {
  return target === 'real' ? 'val_loss' : 'val_accuracy';
}

/** The monitors an epoch of a run with this target reports (val_* fall back to the training value without a validation split). */
export function producedMonitors(target: TargetKind): readonly MonitorName[] {
  return target === 'real' ? ['val_loss', 'loss'] : MONITORS;
}

/** Whether lower or higher is better for a monitor. */
export function monitorMode(monitor: MonitorName): 'min' | 'max' {
  return monitor === 'loss' || monitor === 'val_loss' ? 'min' : 'max';
}
