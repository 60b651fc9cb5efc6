/**
 * `dlc eval RUN_DIR [--split test|val] [--checkpoint best|last] [--backend …]`:
 * metrics of a saved checkpoint, printed and saved in the run directory.
 */
import { resolve } from 'node:path';
import type { BackendChoice } from '../runtime/backend/select.js';
import { defaultCacheDir } from '../runtime/data/download.js';
import { evaluate } from '../runtime/train/evaluate.js';
import { formatReport } from '../runtime/train/report.js';
import { failExpected, usageFailure, type CliIO, type Command } from './io.js';
import { expectedFailure } from './run-errors.js';
import { parseArgs, UsageError, type ParsedArgs } from './args.js';
import { BACKEND_FLAG, CHECKPOINT_FLAG, flag } from './run-args.js';

const HELP = `Usage: dlc eval RUN_DIR [options]

Evaluates a checkpoint of a run made by 'dlc run' on its test (or validation)
split, prints the metrics tables and saves them in RUN_DIR as
eval_<checkpoint>_<split>_report.json and eval_<checkpoint>_<split>_confusion_matrix.csv.

Options:
  --split test|val         which split (default test; val is the run's own seeded validation split)
  --checkpoint best|last   which checkpoint (default best, or last when the run kept no best)
  --backend NAME           auto | tensorflow | wasm | cpu (default auto)

Exit status: 0 done, 2 usage or I/O error (not a run directory, no checkpoint, data missing).
`;

async function run(args: readonly string[], io: CliIO): Promise<number> {
  const usage = (msg: string): number => usageFailure('eval', msg, io, HELP);
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(args, [{ name: 'split', value: true, choices: ['test', 'val'] }, CHECKPOINT_FLAG, BACKEND_FLAG]);
  } catch (e) {
    if (e instanceof UsageError) return usage(e.message);
    throw e;
  }
  if (parsed.positional.length !== 1) return usage(parsed.positional.length === 0 ? 'missing RUN_DIR' : 'expected one RUN_DIR');
  const runDir = resolve(io.cwd, parsed.positional[0]);
  try {
    const res = await evaluate(runDir, {
      split: flag(parsed, 'split') as 'test' | 'val' | undefined,
      checkpoint: flag(parsed, 'checkpoint') as 'best' | 'last' | undefined,
      backend: (flag(parsed, 'backend') ?? 'auto') as BackendChoice,
      cacheDir: defaultCacheDir(io.env),
      log: (line) => io.stderr.write(line + '\n'),
    });
    const title = `${res.split === 'test' ? 'Test' : 'Validation'} (checkpoint ${res.checkpoint})`;
    io.stdout.write(formatReport(title, res.loss, res.report, res.classNames, res.metrics));
    io.stderr.write(`saved ${res.reportFile}\n`);
    return 0;
  } catch (e) {
    return failExpected('eval', e, io, expectedFailure);
  }
}

export const command: Command = {
  name: 'eval',
  summary: 'evaluate a run\'s checkpoint on the test or validation split',
  help: HELP,
  run,
};
