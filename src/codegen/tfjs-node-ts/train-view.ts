/**
 * The view of `src/train.ts`: the spec's training sections (loss, optimizer,
 * schedule, train, metrics) as typed literals, and the list of runtime files
 * the project's templates import (the entry points of the runtime closure).
 */
import type { IR } from '../../compiler/ir.js';
import { jsInteger, jsString, tsLiteral } from './literals.js';
import { LOADER_FILES } from './data-view.js';

export interface TrainView {
  readonly nameLit: string;
  readonly seedCode: string;
  readonly lossLit: string;
  readonly optimizerLit: string;
  readonly scheduleLit: string;
  readonly trainLit: string;
  readonly metricsLit: string;
}

/** Builds the train view for `ir`. */
export function buildTrainView(ir: IR): TrainView {
  const s = ir.spec;
  return {
    nameLit: jsString(s.name),
    seedCode: jsInteger(s.seed),
    lossLit: tsLiteral(s.loss),
    optimizerLit: tsLiteral(s.optimizer),
    scheduleLit: tsLiteral(s.schedule),
    trainLit: tsLiteral(s.train),
    metricsLit: tsLiteral(s.metrics),
  };
}

/**
 * The runtime files (relative to dlc's src/) that the templates import from
 * src/lib/; their own imports are followed by the closure. Keep in step with
 * the `import … from './lib/…'` lines of templates/tfjs-node-ts/src/*.hbs
 * (a test type-checks every emitted project, so a missing one fails there).
 */
export function runtimeEntries(ir: IR): string[] {
  return [
    'compiler/spec.ts',
    'runtime/contracts.ts',
    'runtime/data/image-set.ts',
    'runtime/data/split.ts',
    'runtime/data/download.ts',
    LOADER_FILES[ir.spec.data.dataset],
    'runtime/train/feed.ts',
    'runtime/train/step.ts',
    'runtime/train/evaluate-set.ts',
    'runtime/train/monitor.ts',
    'runtime/train/report.ts',
    'runtime/losses/index.ts',
    'runtime/optimizers/index.ts',
    'runtime/schedules/index.ts',
    'runtime/metrics/index.ts',
    'runtime/model/dropout.ts',
    'runtime/backend/select.ts',
    'runtime/checkpoint/checkpoint.ts',
    'runtime/progress/progress.ts',
  ];
}
