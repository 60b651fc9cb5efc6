/** `dlc report RUN_DIR [-o FILE]`: writes a run's self-contained HTML report (default RUN_DIR/report.html). */
import { resolve } from 'node:path';
import { failExpected, usageFailure, type CliIO, type Command } from './io.js';
import { parseArgs, UsageError, type ParsedArgs } from './args.js';

const HELP = `Usage: dlc report RUN_DIR [-o FILE] [--images N] [--backend NAME]

Writes one self-contained HTML page (no scripts, no network: it opens from
file://) for a run directory: learning curves with the best epoch marked, the
learning-rate schedule, the confusion matrix, per-class precision/recall/F1,
a grid of misclassified test images (regression runs: a predicted-vs-actual
scatter, a residual histogram, MAE/RMSE/R²), the layer graph with shapes and
parameter counts, and the resolved spec, backend, versions and timings.

Options:
  -o, --out FILE   where to write (default RUN_DIR/report.html)
  --images N       at most N misclassified test images (default 32; 0: none).
                   Needs the run's data set and a checkpoint; computed once and
                   kept in RUN_DIR/misclassified.json
  --backend NAME   backend for that inference (default cpu)

dlc run keeps RUN_DIR/report.html up to date after every epoch (--no-report
turns that off).

Exit status: 0 written, 2 usage error or not a run directory.
`;

async function run(args: readonly string[], io: CliIO): Promise<number> {
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(args, [{ name: 'out', short: 'o', value: true }, { name: 'images', value: true }, { name: 'backend', value: true, choices: ['auto', 'tensorflow', 'wasm', 'cpu'] }]);
  } catch (e) {
    if (e instanceof UsageError) return usageFailure('report', e.message, io, HELP);
    throw e;
  }
  if (parsed.positional.length !== 1) {
    return usageFailure('report', 'expected one RUN_DIR', io, HELP);
  }
  const images = parsed.flags.images === undefined ? 32 : Number(parsed.flags.images);
  if (!Number.isInteger(images) || images < 0) {
    io.stderr.write(`dlc report: --images needs a whole number >= 0, got '${String(parsed.flags.images)}'\n`);
    return 2;
  }
  const dir = resolve(io.cwd, parsed.positional[0]);
  const out = typeof parsed.flags.out === 'string' ? resolve(io.cwd, parsed.flags.out) : undefined;
  const { writeRunReport } = await import('../report/run-report.js');
  const { ReportError } = await import('../report/run-data.js');
  try {
    if (images > 0) {
      const { recordMistakes } = await import('../report/misclassified.js');
      await recordMistakes(dir, { limit: images, backend: (parsed.flags.backend as string | undefined) ?? 'cpu', cacheDir: io.env.DLC_CACHE, log: (l) => io.stderr.write(`dlc report: ${l}\n`) });
    }
    // Regression runs: predicted-vs-actual pairs and the test metrics (nothing for other runs).
    const { recordPredictions } = await import('../report/regression.js');
    try {
      await recordPredictions(dir, { backend: (parsed.flags.backend as string | undefined) ?? 'cpu', cacheDir: io.env.DLC_CACHE, log: (l) => io.stderr.write(`dlc report: ${l}\n`) });
    } catch (e) {
      // No checkpoint yet, or the data set is gone: the page is still written, without the regression views.
      io.stderr.write(`dlc report: no test predictions: ${(e as Error).message}\n`);
    }
    const file = await writeRunReport(dir, out);
    io.stdout.write(`${file}\n`);
    return 0;
  } catch (e) {
    return failExpected('report', e, io, [ReportError]);
  }
}

export const command: Command = { name: 'report', summary: 'write a self-contained HTML report of a run', help: HELP, run };
