/**
 * What `dlc run` calls to keep `report.html` current: after every epoch
 * (TrainOptions.onEpoch) the page is rewritten from the run directory, and
 * after the test evaluation once more with the misclassified images. A
 * failing report never ends the run: the error is logged once and the
 * training goes on.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promises as fs } from 'node:fs';
import { parseJsonl, REPORT_FILES, type MachineInfo, type StepRow } from './run-data.js';
import { writeFileAtomic } from '../runtime/run-dir/write-atomic.js';
import { writeRunReport } from './run-report.js';

function packageVersion(pkgJson: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Versions and the machine, for the report's details (kept in machine.json so a report made elsewhere shows the training machine). */
export function machineInfo(): MachineInfo {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const cpus = os.cpus();
  return {
    dlc: packageVersion(path.join(root, 'package.json')),
    tfjs: packageVersion(path.join(root, 'node_modules/@tensorflow/tfjs-core/package.json')),
    node: process.version,
    platform: `${os.type()} ${os.release()} (${process.platform}/${process.arch})`,
    cpus: cpus[0]?.model.trim(),
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    hostname: os.hostname(),
  };
}

export interface RunReporter {
  /** For TrainOptions.onStep: buffers the step's loss and learning rate until the epoch ends. */
  readonly onStep: (step: { readonly step: number; readonly loss: number; readonly lr: number }) => void;
  /** For TrainOptions.onEpoch. */
  readonly onEpoch: (record: unknown, ctx: { readonly runDir: string }) => Promise<void>;
  /** After train(): the misclassified images (current backend) and the final page; returns the page's path. */
  readonly finish: (runDir: string) => Promise<string | undefined>;
}

/**
 * Adds an epoch's steps to steps.jsonl, first dropping lines of this epoch or
 * later (a resumed run redoes the epoch a kill interrupted). No steps (a
 * `--backend torch` run: its train.py writes steps.jsonl itself, and dlc sees
 * no onStep) leaves the file as it is.
 */
export async function appendSteps(runDir: string, epoch: number, steps: readonly StepRow[]): Promise<void> {
  if (steps.length === 0) return;
  const file = path.join(runDir, REPORT_FILES.steps);
  const kept = parseJsonl<StepRow>(await fs.readFile(file, 'utf8').catch(() => '')).filter((s) => s.epoch < epoch);
  await writeFileAtomic(file, [...kept, ...steps].map((s) => JSON.stringify(s) + '\n').join(''));
}

/** A reporter for one `dlc run`; `log` gets a line when the report cannot be written. */
export function runReporter(log: (line: string) => void, opts: { images?: number } = {}): RunReporter {
  let failed = false;
  const guard = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (e) {
      if (!failed) log(`report: could not ${what}: ${(e as Error).message}`);
      failed = true;
      return undefined;
    }
  };
  let pending: { step: number; loss: number; lr: number }[] = [];
  return {
    onStep: (step) => {
      pending.push({ step: step.step, loss: step.loss, lr: step.lr });
    },
    onEpoch: async (record, { runDir }) => {
      const epoch = (record as { epoch: number }).epoch;
      const steps = pending.map((p): StepRow => ({ ...p, epoch }));
      pending = [];
      await guard('write report.html', async () => {
        await appendSteps(runDir, epoch, steps);
        if (!existsSync(path.join(runDir, REPORT_FILES.machine))) await writeFileAtomic(path.join(runDir, REPORT_FILES.machine), JSON.stringify(machineInfo(), null, 2));
        await writeRunReport(runDir);
      });
    },
    finish: async (runDir) => {
      if ((opts.images ?? 32) > 0) {
        await guard('find misclassified test images', async () => {
          const { recordMistakes } = await import('./misclassified.js');
          await recordMistakes(runDir, { limit: opts.images ?? 32, backend: null });
        });
      }
      await guard('record the test predictions', async () => {
        const { recordPredictions } = await import('./regression.js');
        await recordPredictions(runDir, { backend: null });
      });
      return guard('write report.html', () => writeRunReport(runDir));
    },
  };
}
