/**
 * ReduceLROnPlateau with PyTorch's defaults for what the spec does not state
 * (threshold 1e-4 relative, cooldown 0): after each epoch the monitored
 * metric is compared with the best so far; when it has not improved for more
 * than `patience` epochs in a row, lr ← max(lr·factor, min_lr) and the count
 * restarts. Mode is "min" for losses and "max" for accuracy and F1.
 */
import type { MonitorName } from '../../compiler/spec.js';

const THRESHOLD = 1e-4;
// PyTorch ignores reductions smaller than this (its `eps`).
const MIN_CHANGE = 1e-8;

export interface PlateauOptions {
  readonly monitor: MonitorName;
  readonly factor: number;
  readonly patience: number;
  readonly minLr: number;
}

/** Serialisable state (best is null while no value was seen: JSON has no Infinity). */
export interface PlateauState {
  readonly lr: number;
  readonly best: number | null;
  readonly badEpochs: number;
}

/** "min" for losses, "max" for accuracy and F1. */
export function monitorMode(monitor: MonitorName): 'min' | 'max' {
  return monitor === 'loss' || monitor === 'val_loss' ? 'min' : 'max';
}

export class PlateauTracker {
  lr: number;
  private best: number;
  private badEpochs = 0;
  readonly mode: 'min' | 'max';

  constructor(
    baseLr: number,
    private readonly opts: PlateauOptions,
  ) {
    if (!(opts.factor > 0 && opts.factor < 1)) throw new RangeError(`reduce_on_plateau: factor must be in (0, 1), got ${opts.factor}`);
    if (!(opts.patience >= 0)) throw new RangeError(`reduce_on_plateau: patience must be >= 0, got ${opts.patience}`);
    this.lr = baseLr;
    this.mode = monitorMode(opts.monitor);
    this.best = this.worst();
  }

  /**
   * Feeds one epoch's metrics. A missing monitored metric (no validation
   * split, say) is skipped without counting; NaN counts as no improvement.
   */
  observe(metrics: Readonly<Record<string, number>>): void {
    const value = metrics[this.opts.monitor];
    if (value === undefined) return;
    if (this.isBetter(value)) {
      this.best = value;
      this.badEpochs = 0;
    } else {
      this.badEpochs += 1;
    }
    if (this.badEpochs > this.opts.patience) {
      const next = Math.max(this.lr * this.opts.factor, this.opts.minLr);
      if (this.lr - next > MIN_CHANGE) this.lr = next;
      this.badEpochs = 0;
    }
  }

  getState(): PlateauState {
    return { lr: this.lr, best: Number.isFinite(this.best) ? this.best : null, badEpochs: this.badEpochs };
  }

  setState(s: PlateauState): void {
    if (typeof s.lr !== 'number' || typeof s.badEpochs !== 'number') throw new Error('reduce_on_plateau state: expected {lr, best, badEpochs}');
    this.lr = s.lr;
    this.best = s.best === null ? this.worst() : s.best;
    this.badEpochs = s.badEpochs;
  }

  private worst(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }

  private isBetter(value: number): boolean {
    // PyTorch's relative threshold; `best` ±Infinity makes the first finite value an improvement.
    if (this.mode === 'min') return value < (Number.isFinite(this.best) ? this.best - Math.abs(this.best) * THRESHOLD : this.best);
    return value > (Number.isFinite(this.best) ? this.best + Math.abs(this.best) * THRESHOLD : this.best);
  }
}
