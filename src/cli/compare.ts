/** `dlc compare RUN… [-o FILE]`: final metrics and differing spec keys of runs side by side; -o writes an HTML page with the curves overlaid. */
import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { failExpected, usageFailure, type CliIO, type Command } from './io.js';
import { parseArgs, UsageError, type ParsedArgs } from './args.js';

const HELP = `Usage: dlc compare RUN_DIR RUN_DIR… [-o FILE]

Prints the runs' final metrics side by side (test accuracy and loss, last
epoch's training and validation values, best epoch, time) and every spec key
whose value differs between them (from each run's resolved spec.yaml).

Options:
  -o, --out FILE   also write a self-contained HTML page with the learning
                   curves of all runs overlaid

Exit status: 0 done, 2 usage error or not a run directory.
`;

async function run(args: readonly string[], io: CliIO): Promise<number> {
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(args, [{ name: 'out', short: 'o', value: true }]);
  } catch (e) {
    if (e instanceof UsageError) return usageFailure('compare', e.message, io, HELP);
    throw e;
  }
  if (parsed.positional.length < 1) {
    return usageFailure('compare', 'expected at least one RUN_DIR', io, HELP);
  }
  const { compareRuns, compareHtml, formatComparison } = await import('../report/compare.js');
  const { ReportError } = await import('../report/run-data.js');
  try {
    const c = await compareRuns(parsed.positional.map((p) => resolve(io.cwd, p)));
    io.stdout.write(formatComparison(c));
    if (typeof parsed.flags.out === 'string') {
      const file = resolve(io.cwd, parsed.flags.out);
      await fs.writeFile(file, await compareHtml(c));
      io.stdout.write(`\n${file}\n`);
    }
    return 0;
  } catch (e) {
    return failExpected('compare', e, io, [ReportError]);
  }
}

export const command: Command = { name: 'compare', summary: 'put runs side by side: final metrics, differing spec keys, overlaid curves', help: HELP, run };
