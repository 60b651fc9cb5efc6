/**
 * Tracking the best value of a monitored metric: early stopping (stop after
 * `patience` epochs without an improvement of at least `minDelta`) and the
 * "best" checkpoint use the same bookkeeping, saved in checkpoints.
 */
import type { MonitorName } from '../../compiler/spec.js';
import type { MonitorState } from '../checkpoint/checkpoint.js';

/** Whether lower or higher is better for a monitor. */
export function monitorMode(monitor: string): 'min' | 'max' {
  return monitor === 'loss' || monitor === 'val_loss' ? 'min' : 'max';
}

/** A fresh state for `monitor`. */
export function initialMonitor(monitor: MonitorName): MonitorState {
  return { monitor, best: null, bestEpoch: 0, wait: 0 };
}

/** The value to watch in an epoch's metrics (val_* falls back to the training metric when there is no validation set). */
export function monitorValue(monitor: string, metrics: Readonly<Record<string, number | undefined>>): number | undefined {
  const v = metrics[monitor];
  if (v !== undefined) return v;
  return monitor.startsWith('val_') ? metrics[monitor.slice(4)] : undefined;
}

/** Updates `state` with epoch `epoch`'s metrics; `improved` says whether this epoch is the new best. */
export function observeMonitor(
  state: MonitorState,
  epoch: number,
  metrics: Readonly<Record<string, number | undefined>>,
  minDelta = 0,
): { state: MonitorState; improved: boolean } {
  const v = monitorValue(state.monitor, metrics);
  if (v === undefined || !Number.isFinite(v)) return { state: { ...state, wait: state.wait + 1 }, improved: false };
  const better = state.best === null || (monitorMode(state.monitor) === 'min' ? v < state.best - minDelta : v > state.best + minDelta);
  if (better) return { state: { ...state, best: v, bestEpoch: epoch, wait: 0 }, improved: true };
  return { state: { ...state, wait: state.wait + 1 }, improved: false };
}
