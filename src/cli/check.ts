/**
 * `dlc check SPEC… [--set path=value]… [--format text|json]`: compiles each
 * spec (document and model checks) and prints every diagnostic.
 * Exit 0 clean (warnings allowed), 1 errors, 2 usage or unreadable file.
 */
import { compileFile } from '../compiler/compile.js';
import type { Diagnostic } from '../compiler/diagnostics/diagnostics.js';
import { diagnosticsToJson, formatDiagnostics, summarize } from '../compiler/diagnostics/format.js';
import { OVERRIDES_FILE } from '../compiler/front/overrides.js';
import { FORMAT_FLAG, parseArgs, SET_FLAG, UsageError } from './args.js';
import { specUnreadable, type CliIO, type Command } from './io.js';

const USAGE = 'Usage: dlc check SPEC... [--set path=value]... [--format text|json]';

const HELP = `${USAGE}

Checks experiment specs without loading any data: YAML syntax, the schema
(unknown keys, types, ranges, with "did you mean"), extends and --set, and the
model (shapes, channel and feature counts, class count, activations on logits).
Every problem is printed as file:line:col with the source line and a caret.

Options:
  --set path=value   Override a value before checking (repeatable), e.g.
                     --set optimizer.sgd.learning_rate=0.1 --set model.layers.0.conv2d.filters=64
  --format text|json Output format (default text; json for tools and editors)
  -h, --help         Show this help

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error or unreadable file.
`;

export const command: Command = {
  name: 'check',
  summary: 'check specs and print diagnostics with file:line:col',
  help: HELP,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs(args, [SET_FLAG, FORMAT_FLAG]);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      io.stderr.write(`dlc check: ${err.message}\n${USAGE}\n`);
      return 2;
    }
    if (parsed.positional.length === 0) {
      io.stderr.write(`dlc check: no spec given\n${USAGE}\n`);
      return 2;
    }
    const all: Diagnostic[] = [];
    let ioError = false;
    let text = '';
    // A problem in a --set value itself is the same for every spec checked: report it once.
    const seenOverride = new Set<string>();
    const firstTime = (d: Diagnostic): boolean => {
      if (d.file !== OVERRIDES_FILE) return true;
      const key = `${d.code}:${d.line}:${d.col}:${d.message}`;
      if (seenOverride.has(key)) return false;
      seenOverride.add(key);
      return true;
    };
    for (const spec of parsed.positional) {
      const compiled = compileFile(spec, { cwd: io.cwd, overrides: parsed.sets });
      const result = { ...compiled, diagnostics: compiled.diagnostics.filter(firstTime) };
      all.push(...result.diagnostics);
      if (specUnreadable(result.diagnostics, spec)) ioError = true;
      if (parsed.format === 'text' && result.diagnostics.length) {
        text += formatDiagnostics(result.diagnostics, { color: io.stdout.isTTY === true, sources: result.sources, cwd: io.cwd }) + '\n';
      }
    }
    if (parsed.format === 'json') io.stdout.write(diagnosticsToJson(all));
    else {
      const n = parsed.positional.length;
      const what = n === 1 ? parsed.positional[0] : `${n} specs`;
      io.stdout.write(text + (all.length ? `${what}: ${summarize(all) || 'no errors'}\n` : `${what}: ok\n`));
    }
    if (ioError) return 2;
    return all.some((d) => d.severity === 'error') ? 1 : 0;
  },
};
