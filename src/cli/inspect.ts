/**
 * `dlc inspect SPEC`: the Keras-style layer table of a spec — output shapes,
 * parameters and multiply-adds per sample, with totals. Thin: compiles
 * with the library's `compileFile`, prints diagnostics (exit 1 on errors),
 * else the summary from compiler/summary.ts.
 */
import { compileFile } from '../compiler/compile.js';
import { hasErrors } from '../compiler/diagnostics.js';
import { formatDiagnostics } from '../compiler/format.js';
import { formatSummary, summarize } from '../compiler/summary.js';
import type { CliIO, Command } from './io.js';

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

/** Parses the arguments; returns an error message on misuse. */
export function parseInspectArgs(args: readonly string[]): InspectArgs | string {
  let spec: string | undefined;
  let format = 'text';
  const sets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : args[++i]);
    if (flag === '--set') {
      const v = value();
      if (v === undefined) return '--set needs key=value';
      sets.push(v);
    } else if (flag === '--format') {
      const v = value();
      if (v !== 'text' && v !== 'json') return `--format must be text or json${v === undefined ? '' : `, not '${v}'`}`;
      format = v;
    } else if (a.startsWith('-') && a !== '-') {
      return `unknown option ${a}`;
    } else if (spec === undefined) {
      spec = a;
    } else {
      return `unexpected argument ${a} (inspect takes one SPEC)`;
    }
  }
  if (spec === undefined) return 'missing SPEC';
  return { spec, sets, format: format as 'text' | 'json' };
}

/** Diagnostics meaning the spec could not be read at all (exit 2, like a usage error). */
const IO_CODES = new Set(['DLC007']);

export const command: Command = {
  name: 'inspect',
  summary: 'print the layer table: output shapes, params, multiply-adds',
  help: HELP,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseInspectArgs(args);
    if (typeof parsed === 'string') {
      io.stderr.write(`dlc inspect: ${parsed}\n\n${HELP}`);
      return 2;
    }
    const result = compileFile(parsed.spec, { set: parsed.sets, displayPath: parsed.spec, cwd: io.cwd });
    const failed = hasErrors(result.diagnostics) || !result.ir;
    const status = result.diagnostics.some((d) => IO_CODES.has(d.code)) ? 2 : failed ? 1 : 0;
    const summary = !failed && result.ir ? summarize(result.ir) : undefined;
    if (parsed.format === 'json') {
      io.stdout.write(JSON.stringify({ summary: summary ?? null, diagnostics: result.diagnostics }, null, 2) + '\n');
      return status;
    }
    if (result.diagnostics.length > 0) io.stderr.write(formatDiagnostics(result.diagnostics, { color: io.stderr.isTTY === true }));
    if (summary) io.stdout.write(formatSummary(summary));
    return status;
  },
};
