/**
 * Which value ranks a sweep's trials, and in which direction. Without a
 * `monitor` of its own a sweep ranks by what the spec's best checkpoint
 * monitors (train.checkpoint.monitor, whose default follows the target:
 * val_loss for regression, val_accuracy otherwise — compiler/kinds/target.ts),
 * so a regression sweep is not ranked by an accuracy it never reports.
 */
export interface SweepRanking {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
}

/** The sweep's monitor and mode: given ones first, then the spec's checkpoint monitor; losses are minimised. */
export function sweepRanking(given: { readonly monitor?: string; readonly mode?: 'min' | 'max' }, specMonitor?: string): SweepRanking {
  const monitor = given.monitor ?? specMonitor ?? 'val_accuracy';
  return { monitor, mode: given.mode ?? (monitor.endsWith('loss') ? 'min' : 'max') };
}
