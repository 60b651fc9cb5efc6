/**
 * Training settings against the target and the optimizer:
 *
 *  - DLC145 (error): a monitor (train.checkpoint, train.early_stopping, the
 *    reduce_on_plateau schedule) that runs of this target kind never report:
 *    accuracy and F1 of real-valued targets (kinds/target.ts). The best
 *    checkpoint would never be written, early stopping never fire.
 *  - DLC146 (error): one_cycle's cycle_momentum with adagrad, which has no
 *    momentum to cycle (PyTorch's OneCycleLR raises "optimizer must support
 *    momentum with `cycle_momentum` option enabled"; dlc's runtime would
 *    silently not cycle).
 *  - DLC147 (error): one_cycle's base/max momentum ≥ 1 with adam/adamw, where
 *    it replaces beta1: PyTorch's Adam requires 0 ≤ beta1 < 1, and 1 divides
 *    by zero in the bias correction (1 − beta1^t). SGD and RMSprop accept a
 *    momentum of 1 (PyTorch and Keras alike), so it is left to them.
 */
import { diag } from '../../diagnostics/report.js';
import type { Diagnostic } from '../../diagnostics/diagnostics.js';
import type { IR } from '../../ir.js';
import type { JsonPointer, MonitorName } from '../../spec.js';
import { defaultMonitor, producedMonitors } from '../../kinds/target.js';
import { targetOf } from './target-fit.js';
import type { Pass } from './context.js';

export const checkTrainingSettings: Pass = (ir: IR, ctx) => {
  const diags: Diagnostic[] = [];
  const target = targetOf(ir).kind;
  const produced = producedMonitors(target);
  const spec = ir.spec;
  const monitors: [MonitorName, JsonPointer, string][] = [[spec.train.checkpoint.monitor, '/train/checkpoint/monitor', 'the best checkpoint']];
  if (spec.train.early_stopping) monitors.push([spec.train.early_stopping.monitor, '/train/early_stopping/monitor', 'early stopping']);
  if (spec.schedule.kind === 'reduce_on_plateau') monitors.push([spec.schedule.monitor, '/schedule/reduce_on_plateau/monitor', 'reduce_on_plateau']);
  for (const [monitor, at, what] of monitors) {
    if (produced.includes(monitor)) continue;
    const use = defaultMonitor(target);
    diags.push(
      diag('DLC145', `${what} watches ${monitor}, but a run on the ${spec.data.dataset} data set's ${target === 'real' ? 'real-valued' : target} targets reports only ${produced.join(', ')}`, ctx, at, {
        hint: `monitor ${use} (${use.endsWith('loss') ? 'lower' : 'higher'} is better)`,
        fix: { title: `Monitor ${use}`, replacement: use, expected: monitor },
      }),
    );
  }

  const sched = spec.schedule;
  if (sched.kind === 'one_cycle' && sched.cycle_momentum === true) {
    const opt = spec.optimizer.kind;
    if (opt === 'adagrad') {
      diags.push(
        diag('DLC146', 'one_cycle cycles the momentum (cycle_momentum: true), but adagrad has no momentum (PyTorch: "optimizer must support momentum with `cycle_momentum` option enabled")', ctx, '/schedule/one_cycle/cycle_momentum', {
          hint: 'set cycle_momentum: false, or use sgd with momentum, rmsprop or adam',
          fix: { title: 'Do not cycle the momentum', replacement: 'false', expected: 'true' },
        }),
      );
    } else if (opt === 'adam' || opt === 'adamw') {
      for (const key of ['max_momentum', 'base_momentum'] as const) {
        const v = sched[key];
        if (v !== undefined && v >= 1) {
          diags.push(diag('DLC147', `one_cycle's ${key} ${v} becomes ${opt}'s beta1, which must be below 1 (PyTorch's Adam requires 0 ≤ beta1 < 1; at 1 the bias correction divides by zero)`, ctx, `/schedule/one_cycle/${key}`, `use a value below 1, e.g. ${key === 'max_momentum' ? 0.95 : 0.85}`));
        }
      }
    }
  }
  return diags;
};
