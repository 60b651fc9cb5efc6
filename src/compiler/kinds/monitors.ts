/** The values early stopping, checkpointing and reduce_on_plateau can watch (spec.ts MonitorName). */
import type { MonitorName } from '../spec.js';

export const MONITORS = ['val_loss', 'val_accuracy', 'val_f1', 'loss', 'accuracy'] as const satisfies readonly MonitorName[];

// Every MonitorName is listed (the `satisfies` above checks the other way).
const _everyMonitor: Exclude<MonitorName, (typeof MONITORS)[number]> extends never ? true : never = true;
void _everyMonitor;
