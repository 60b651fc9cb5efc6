/**
 * `dlc sweep SPEC`: a hyperparameter sweep over the spec's `sweep:` section
 * or --grid / --random flags; one `dlc run` child process per trial. The work
 * is in src/sweep (trials, runner, summary) and src/report (the page).
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { compileFile } from '../compiler/compile.js';
import { hasErrors } from '../compiler/diagnostics/diagnostics.js';
import { formatDiagnostics } from '../compiler/diagnostics/format.js';
import { failExpected, usageFailure, type CliIO, type Command } from './io.js';
import { parseArgs, SET_FLAG, UsageError, type ParsedArgs } from './args.js';

const HELP = `Usage: dlc sweep SPEC [--grid key=v1,v2]… [--random key=DIST --trials N] [options]

Trains one run per trial of a hyperparameter sweep, each in its own child
process and run directory under one sweep directory, then prints a summary
table sorted by the monitored value, writes the best trial's resolved spec to
best.yaml and a sweep report page (report.html). The space comes from the
spec's \`sweep:\` section, or from the flags (which replace it):

  --grid key=v1,v2,…       every combination of the listed values
  --random key=DIST        DIST: loguniform(a,b) | uniform(a,b) | int_uniform(a,b) | choice(v1,v2,…)
  --trials N               random search: number of trials (default 10)

Keys are --set paths, e.g. optimizer.adam.learning_rate or data.batch_size.

Options:
  --parallel P       trials at once (default: the number of cores)
  --monitor KEY      the value that ranks trials: a metrics.jsonl key (best over the
                     epochs, default the spec's checkpoint monitor:
                     val_accuracy, or val_loss for a real target) or test_accuracy / test_loss
  --mode min|max     default: min for *loss, else max
  --halving MIN,ETA  successive halving: train every trial MIN epochs, keep the best
                     1/ETA, train those ETA times longer, … up to train.epochs
  --out DIR          the sweep directory (default sweeps/<spec name>)
  --set key=value    override a spec value in every trial (repeatable)
  --epochs N         train.epochs of every trial
  --backend NAME     backend of every trial (default auto)
  --no-report        no report.html per trial (the sweep page is still written)

Re-running the same command resumes: finished trials are skipped, interrupted
ones start again. A failing trial is recorded (its log is trials/<id>/log.txt)
and the sweep goes on.

Exit status: 0 every trial finished, 1 some trial failed, 2 usage or spec error.
`;

function list(v: string | string[] | true | undefined): string[] {
  return v === undefined || v === true ? [] : Array.isArray(v) ? v : [v];
}

async function run(args: readonly string[], io: CliIO): Promise<number> {
  const usage = (msg: string): number => usageFailure('sweep', msg, io, HELP);
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(args, [
      SET_FLAG,
      { name: 'grid', value: true, repeat: true },
      { name: 'random', value: true, repeat: true },
      { name: 'trials', value: true },
      { name: 'parallel', value: true },
      { name: 'monitor', value: true },
      { name: 'mode', value: true, choices: ['min', 'max'] },
      { name: 'halving', value: true },
      { name: 'out', value: true },
      { name: 'epochs', value: true },
      { name: 'backend', value: true, choices: ['auto', 'tensorflow', 'wasm', 'cpu'] },
      { name: 'no-report' },
      // For tests: the module the trial processes run (exports main or command).
      { name: 'entry', value: true },
    ]);
  } catch (e) {
    if (e instanceof UsageError) return usage(e.message);
    throw e;
  }
  if (parsed.positional.length !== 1) return usage('expected one SPEC');
  const posInt = (name: string): number | undefined => {
    const v = parsed.flags[name];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} needs a whole number >= 1, got '${String(v)}'`);
    return n;
  };
  const { sweepRanking } = await import('../sweep/monitor.js');
  const { SweepError, configFromSection, expandTrials, parseGridFlag, parseRandomFlag } = await import('../sweep/space.js');
  try {
    const specPath = path.resolve(io.cwd, parsed.positional[0]);
    const epochsFlag = posInt('epochs');
    const sets = [...parsed.sets, ...(epochsFlag ? [`train.epochs=${epochsFlag}`] : [])];
    const compiled = compileFile(specPath, { set: sets, displayPath: parsed.positional[0] });
    if (compiled.diagnostics.length > 0) io.stderr.write(formatDiagnostics(compiled.diagnostics, { color: io.stderr.isTTY === true }));
    if (hasErrors(compiled.diagnostics) || !compiled.ir) return 2;
    const spec = compiled.ir.spec;

    const flagsGiven = parsed.flags.grid !== undefined || parsed.flags.random !== undefined;
    let config;
    if (flagsGiven) {
      const params = Object.fromEntries([...list(parsed.flags.grid).map(parseGridFlag), ...list(parsed.flags.random).map(parseRandomFlag)]);
      // With --random, a --grid key is drawn from its values like choice(…).
      config = { method: parsed.flags.random !== undefined ? ('random' as const) : ('grid' as const), parameters: params, trials: posInt('trials') };
    } else {
      const doc = parseYaml(await fs.readFile(specPath, 'utf8')) as { sweep?: Record<string, unknown> } | null;
      if (!doc?.sweep) return usage(`${parsed.positional[0]} has no sweep: section; give --grid or --random`);
      config = configFromSection(doc.sweep);
      if (posInt('trials')) config = { ...config, trials: posInt('trials') };
    }
    const halving = typeof parsed.flags.halving === 'string' ? parsed.flags.halving.split(',').map(Number) : undefined;
    if (halving && !(halving.length === 2 && Number.isInteger(halving[0]) && halving[0] >= 1 && halving[1] >= 2)) return usage('--halving needs MIN_EPOCHS,ETA (e.g. 1,3; ETA >= 2)');
    config = {
      ...config,
      ...sweepRanking({ monitor: (parsed.flags.monitor as string | undefined) ?? config.monitor, mode: (parsed.flags.mode as 'min' | 'max' | undefined) ?? config.mode }, spec.train.checkpoint.monitor),
      ...(halving ? { halving: { min_epochs: halving[0], eta: halving[1] } } : {}),
    };
    const { monitor, mode } = config;
    const trials = expandTrials(config, spec.seed);
    const parallel = posInt('parallel') ?? config.parallel ?? Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
    const sweepDir = path.resolve(io.cwd, (parsed.flags.out as string | undefined) ?? path.join('sweeps', spec.name));
    const runArgs = [
      ...parsed.sets.flatMap((s) => ['--set', s]),
      ...(parsed.flags.backend ? ['--backend', parsed.flags.backend as string] : []),
      ...(parsed.flags['no-report'] ? ['--no-report'] : []),
    ];
    // Trials already run side by side: one replica each unless the user says otherwise. Not part of the sweep's identity, so a re-run may use another --parallel (replicas change only the order of float sums).
    const processArgs = parallel > 1 && !io.env.DLC_REPLICAS ? ['--replicas', '1'] : [];
    const { runSweep } = await import('../sweep/runner.js');
    const { formatSummary, summarize, writeSummary } = await import('../sweep/summary.js');
    const { buildSweepReport } = await import('../report/sweep-report.js');
    const { writeFileAtomic } = await import('../runtime/run-dir/write-atomic.js');
    io.stderr.write(`sweep: ${trials.length} trials, ${parallel} at a time, in ${sweepDir}\n`);
    const states = await runSweep({
      specPath,
      sweepDir,
      config,
      trials,
      parallel,
      runArgs,
      processArgs,
      epochs: spec.train.epochs,
      entry: typeof parsed.flags.entry === 'string' ? path.resolve(io.cwd, parsed.flags.entry) : undefined,
      log: (l) => io.stderr.write(`sweep: ${l}\n`),
      env: { ...process.env, ...io.env },
    });
    const summary = await summarize(sweepDir, states, monitor, mode);
    await writeSummary(sweepDir, summary);
    await writeFileAtomic(path.join(sweepDir, 'report.html'), await buildSweepReport(sweepDir, summary, spec.name));
    io.stdout.write(formatSummary(summary));
    io.stdout.write(`\nsweep directory: ${sweepDir}\n${summary.best ? `best trial's spec: ${path.join(sweepDir, 'best.yaml')}\n` : ''}report: ${path.join(sweepDir, 'report.html')}\n`);
    return summary.rows.some((r) => r.status === 'failed') ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError) return usage(e.message);
    return failExpected('sweep', e, io, [SweepError]);
  }
}

export const command: Command = { name: 'sweep', summary: 'hyperparameter sweep: one run per trial, in parallel, resumable', help: HELP, run };
