/**
 * `dlc run SPEC --backend torch`: the spec emitted as a PyTorch project (cached per IR under
 * $DLC_CACHE/torch-projects) and trained by Python (src/codegen/pytorch/run.ts), its JSON events
 * shown by dlc's own progress display (bars on a terminal, plain lines otherwise), the final tables
 * printed from the run directory's report.json, and report.html kept current like a tfjs run.
 * The run directory is the usual one (runs/<name>/<timestamp>/, checkpoints with a tfjs model.json),
 * so `dlc eval`, `dlc predict`, `dlc report` and `dlc run --resume` open it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IR } from '../compiler/ir.js';
import { runTorch, TorchRunFailed, TorchUnavailable, type TorchDevice, type TorchEvent } from '../codegen/pytorch/run.js';
import type { SpecOrigin } from '../codegen/common/origin.js';
import { EmitError } from '../codegen/common/write-project.js';
import type { MetricsReport } from '../runtime/contracts.js';
import { defaultCacheDir } from '../runtime/data/download.js';
import { createProgress } from '../runtime/progress/progress.js';
import { otherPreprocessingWarning, runPreprocessing } from '../runtime/train/preprocessing-file.js';
import { formatReport } from '../runtime/train/report.js';
import { failExpected, type CliIO } from './io.js';

export interface TorchCliOptions {
  readonly origin: SpecOrigin;
  readonly python?: string;
  readonly device?: TorchDevice;
  readonly nproc?: number;
  readonly runsDir: string;
  readonly resume?: string;
  readonly epochs?: number;
  /** --initial-weights DIR: a tfjs model directory train.py starts from (its --initial-weights). */
  readonly initialWeights?: string;
  /** --preprocessing FILE: a saved preprocessing.json train.py encodes the data with (its --preprocessing). */
  readonly preprocessing?: string;
  /** report.html after every epoch and at the end (src/report/run-hook.ts), when not --no-report. */
  readonly reporter?: {
    readonly onEpoch: (record: unknown, ctx: { readonly runDir: string }) => Promise<void>;
    readonly finish: (runDir: string) => Promise<string | undefined>;
  };
}

/** The MetricsReport of a report.json the Python runtime wrote (the same fields reportJson writes). */
function reportFromJson(r: Record<string, unknown>): { loss: number; report: MetricsReport; classNames: string[] } | undefined {
  if (typeof r.samples !== 'number' || typeof r.loss !== 'number' || !Array.isArray(r.per_class)) return undefined;
  const perClass = r.per_class as { class: string; precision: number; recall: number; f1: number; support: number }[];
  return {
    loss: r.loss,
    classNames: perClass.map((c) => String(c.class)),
    report: {
      samples: r.samples,
      accuracy: typeof r.accuracy === 'number' ? r.accuracy : NaN,
      topK: (r.top_k_accuracy ?? {}) as Record<number, number>,
      perClass: perClass.map(({ precision, recall, f1, support }) => ({ precision, recall, f1, support })),
      macro: r.macro as MetricsReport['macro'],
      confusion: (r.confusion ?? []) as number[][],
      ...taskMetricsFromJson(r),
    },
  };
}

/** report.json's task metrics back in MetricsReport form (JSON null = NaN, as targetMetricsJson wrote it). */
function taskMetricsFromJson(r: Record<string, unknown>): Pick<MetricsReport, 'regression' | 'multiLabel' | 'rocAuc'> {
  const nan = (v: unknown): number => (typeof v === 'number' ? v : NaN);
  const ml = r.multi_label as (Omit<NonNullable<MetricsReport['multiLabel']>, 'rocAuc'> & { rocAuc: { perLabel: (number | null)[]; macro: number | null } }) | undefined;
  return {
    ...(r.regression ? { regression: r.regression as MetricsReport['regression'] } : {}),
    ...(ml ? { multiLabel: { ...ml, rocAuc: { perLabel: ml.rocAuc.perLabel.map(nan), macro: nan(ml.rocAuc.macro) } } } : {}),
    ...('roc_auc' in r ? { rocAuc: nan(r.roc_auc) } : {}),
  };
}

const SUMMARY = /^epoch \d+\/\d+ {2}/;

/** Trains `ir` on PyTorch; returns dlc run's exit status (0 done, 1 non-finite loss, 2 Python/torch missing or failed). */
export async function runOnTorch(ir: IR, opts: TorchCliOptions, io: CliIO): Promise<number> {
  const progress = createProgress(io.stderr);
  const cache = defaultCacheDir(io.env);
  let runDir: string | undefined;
  let total = 0;
  let epochEvents = Promise.resolve();
  const onEvent = (e: TorchEvent): void => {
    if (e.event === 'batch') {
      // The bar's length: batches × batch size until one epoch has shown the exact count.
      if (e.batch === 1) progress.startEpoch(e.epoch, e.epochs, total || e.batches * ir.spec.data.batch_size, e.batches);
      // Real-valued targets: no running accuracy (an arg-max means nothing there), as a tfjs run's bar.
      progress.update({ samples: e.samples, batches: e.batch, loss: e.loss, accuracy: ir.target?.kind === 'real' ? undefined : e.accuracy });
      if (e.batch === e.batches) total = e.samples;
    } else if (e.event === 'log') {
      const dir = /^run directory: (.*)$/.exec(e.line);
      if (dir) runDir = dir[1];
      if (SUMMARY.test(e.line)) progress.endEpoch(e.line);
      // The test line is part of the tables printed on stdout at the end.
      else if (!e.line.startsWith('Test: ')) progress.log(e.line);
    } else if (e.event === 'epoch' && opts.reporter && runDir) {
      const dir = runDir;
      epochEvents = epochEvents.then(() => opts.reporter!.onEpoch(e.record, { runDir: dir }));
    }
  };
  let done: Extract<TorchEvent, { event: 'done' }>;
  try {
    done = await runTorch(ir, {
      origin: opts.origin,
      cacheDir: cache,
      dataCacheDir: cache,
      python: opts.python,
      device: opts.device,
      nproc: opts.nproc,
      runsDir: opts.runsDir,
      resume: opts.resume,
      epochs: opts.epochs,
      initialWeights: opts.initialWeights,
      preprocessing: opts.preprocessing,
      env: io.env,
      onEvent,
      onStderr: (line) => progress.log(line),
    });
  } catch (e) {
    // EmitError: a layer the PyTorch target cannot print yet (UnsupportedLayer), or an unwritable cache.
    return failExpected('run', e, io, [TorchUnavailable, TorchRunFailed, EmitError]);
  }
  await epochEvents;
  // As a tfjs run warns before training: train.py fits the preprocessing, so it is compared once the run has saved it.
  if (opts.initialWeights && !opts.preprocessing) {
    const fitted = await runPreprocessing(done.run_dir).catch(() => undefined);
    const warning = fitted && (await otherPreprocessingWarning(opts.initialWeights, fitted));
    if (warning) progress.log(warning);
  }
  if (done.stop_reason !== 'non_finite_loss') {
    let parsed: ReturnType<typeof reportFromJson>;
    try {
      parsed = reportFromJson(JSON.parse(readFileSync(join(done.run_dir, 'report.json'), 'utf8')) as Record<string, unknown>);
    } catch {
      parsed = undefined;
    }
    if (parsed) io.stdout.write(formatReport('Test', parsed.loss, parsed.report, parsed.classNames, ir.spec.metrics));
    else if (done.test_loss !== null && done.test_accuracy !== null) io.stdout.write(`Test: loss ${done.test_loss.toFixed(4)}, accuracy ${(done.test_accuracy * 100).toFixed(2)}%\n`);
  }
  let page: string | undefined;
  if (opts.reporter) {
    // The report's misclassified images come from the checkpoint's tfjs copy: a quiet tfjs backend first.
    const { initBackend } = await import('../runtime/backend/select.js');
    const ready = await initBackend('auto').then(
      () => true,
      (e: Error) => (progress.log(`report: no TensorFlow.js backend for the misclassified images (${e.message})`), false),
    );
    if (ready) page = await opts.reporter.finish(done.run_dir);
  }
  if (page) io.stderr.write(`report: ${page}\n`);
  return done.stop_reason === 'non_finite_loss' ? 1 : 0;
}
