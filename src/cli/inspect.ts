/**
 * `dlc inspect SPEC`: the Keras-style layer table of a spec — output shapes,
 * parameters and multiply-adds per sample, with totals. Thin: compiles
 * with the library's `compileFile`, prints diagnostics (exit 1 on errors),
 * else the summary from compiler/lower/summary.ts.
 */
import { compileFile } from '../compiler/compile.js';
import { hasErrors } from '../compiler/diagnostics/diagnostics.js';
import { formatDiagnostics } from '../compiler/diagnostics/format.js';
import { formatSummary, summarize } from '../compiler/lower/summary.js';
import { FORMAT_FLAG, parseOneSpec, SET_FLAG } from './args.js';
import { usageFailure, type CliIO, type Command } from './io.js';

const HELP = `Usage: dlc inspect SPEC [--set key=value]… [--format text|json]

Compiles SPEC and prints the model as a table: each layer with its output
shape (batch axis as None), parameter count and multiply-adds per sample,
then total / trainable / non-trainable parameters, model size (float32) and
total multiply-adds. Problems are printed like 'dlc check' does.

Options:
  --set key=value    override a spec value (repeatable), e.g. --set model.layers.0.conv2d.filters=32
  --format FORMAT    text (default) or json ({summary, diagnostics})

Exit status: 0 ok, 1 the spec has errors, 2 usage or I/O error.
`;

interface InspectArgs {
  readonly spec: string;
  readonly sets: string[];
  readonly format: 'text' | 'json';
}

/** Parses the arguments (with the shared parser of args.ts); returns an error message on misuse. */
export function parseInspectArgs(args: readonly string[]): InspectArgs | string {
  const one = parseOneSpec(args, [SET_FLAG, FORMAT_FLAG], 'inspect');
  if (typeof one === 'string') return one;
  return { spec: one.spec, sets: one.parsed.sets, format: one.parsed.format };
}

/** True when the spec file itself could not be read (exit 2, as for a usage error). */
function unreadable(result: ReturnType<typeof compileFile>): boolean {
  return result.diagnostics.some((d) => d.code === 'DLC007' && d.path === '');
}

export const command: Command = {
  name: 'inspect',
  summary: 'print the layer table: output shapes, params, multiply-adds',
  help: HELP,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseInspectArgs(args);
    if (typeof parsed === 'string') return usageFailure('inspect', parsed, io, HELP);
    const result = compileFile(parsed.spec, { overrides: parsed.sets, cwd: io.cwd });
    const failed = hasErrors(result.diagnostics) || !result.ir;
    const status = unreadable(result) ? 2 : failed ? 1 : 0;
    const summary = !failed && result.ir ? summarize(result.ir) : undefined;
    if (parsed.format === 'json') {
      io.stdout.write(JSON.stringify({ summary: summary ?? null, diagnostics: result.diagnostics }, null, 2) + '\n');
      return status;
    }
    if (result.diagnostics.length > 0) io.stderr.write(formatDiagnostics(result.diagnostics, { color: io.stderr.isTTY === true, sources: result.sources, cwd: io.cwd }) + '\n');
    if (summary) io.stdout.write(formatSummary(summary));
    return status;
  },
};
