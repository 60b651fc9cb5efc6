/** `evaluate(runDir, options)`: metrics of a saved run's checkpoint on its test or validation split (`dlc eval`). */
import * as path from 'node:path';
import { readFile } from 'node:fs/promises';
import { RunError } from './errors.js';
import { initBackend, type BackendChoice, type BackendInfo } from '../backend/select.js';
import { defaultCacheDir } from '../data/download.js';
import { loadDataset } from '../data/load.js';
import { splitValidation } from '../data/split.js';
import type { LoadedDataset } from '../contracts.js';
import { evaluationLoss } from '../losses/index.js';
import { writeReport } from '../run-dir/run-dir.js';
import { evalOptions, evaluateSet } from './evaluate-set.js';
import { reportJson } from './report.js';
import { loadRunModel, locateRun, type CheckpointChoice } from './run-model.js';
import type { TestEvaluation } from './options.js';

export interface EvaluateOptions {
  readonly split?: 'test' | 'val';
  /** Default: best, or last when the run kept no best. */
  readonly checkpoint?: CheckpointChoice;
  /** Default 'auto'; null keeps the current backend. */
  readonly backend?: BackendChoice | null;
  readonly cacheDir?: string;
  readonly log?: (line: string) => void;
  /** Use this data set instead of loading the run's spec.data (tests). */
  readonly dataset?: LoadedDataset;
}

export interface EvaluateResult extends TestEvaluation {
  readonly split: 'test' | 'val';
  readonly checkpoint: CheckpointChoice;
  readonly classNames: readonly string[];
  /** Where the metrics were saved. */
  readonly reportFile: string;
  readonly backend?: BackendInfo;
  readonly metrics: import('../../compiler/spec.js').MetricSpec[];
}

/** Evaluates a run's checkpoint and saves `eval_<checkpoint>_<split>_report.json` (+ confusion matrix) in the run dir. */
export async function evaluate(runDir: string, options: EvaluateOptions = {}): Promise<EvaluateResult> {
  const split = options.split ?? 'test';
  // The run directory first: a wrong path is reported before any backend is loaded.
  const located = await locateRun(runDir, options.checkpoint);
  const backend = options.backend === null ? undefined : await initBackend(options.backend ?? 'auto');
  if (backend) options.log?.(`backend: ${backend.name} (${backend.reason})`);
  const run = await loadRunModel(located);
  try {
    const spec = run.ir.spec;
    // A run's saved preprocessing (text: the vocabulary) encodes the data as training did.
    const saved = await readFile(path.join(runDir, 'preprocessing.json'), 'utf8').then((t) => JSON.parse(t) as { kind: string }, () => undefined);
    const ds = options.dataset ?? (await loadDataset(spec.data, { cacheDir: options.cacheDir ?? defaultCacheDir(), log: options.log, seed: spec.seed, saved }));
    // The same seeded split as training, so 'val' is exactly the validation set the run saw.
    const set = split === 'test' ? ds.test : splitValidation(ds.train, spec.data.validation_split, spec.seed).val;
    if (set.count === 0) throw new RunError(`the ${split} split of ${runDir} is empty${split === 'val' && !(spec.data.validation_split > 0) ? ' (the run has no validation split: data.validation_split is 0)' : ''}`);
    const lossFn = evaluationLoss(spec.loss);
    const res = await evaluateSet(run.model, set, evalOptions(run.ir, lossFn));
    const classNames = run.info.classNames.length ? run.info.classNames : ds.classNames;
    const prefix = `eval_${run.checkpoint}_${split}_`;
    await writeReport(runDir, { name: spec.name, split, checkpoint: run.checkpoint, backend: backend?.name, ...reportJson(res.loss, res.report, classNames) }, res.report, classNames, prefix);
    return { ...res, split, checkpoint: run.checkpoint, classNames, reportFile: path.join(runDir, `${prefix}report.json`), backend, metrics: [...spec.metrics] };
  } finally {
    run.model.dispose();
  }
}
