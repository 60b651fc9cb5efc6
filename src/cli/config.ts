/**
 * `dlc config SPEC [--set path=value]…`: prints the fully resolved spec as
 * YAML — extends merged, overrides applied, defaults filled in, shorthands
 * and blocks expanded — a spec that compiles to the same thing.
 */
import { compileFile } from '../compiler/compile.js';
import { initialWeightsText } from '../compiler/front/conventions.js';
import { documentToYaml, specToDocument } from '../compiler/front/denormalize.js';
import { formatDiagnostics } from '../compiler/diagnostics/format.js';
import { parseArgs, SET_FLAG, UsageError } from './args.js';
import { specUnreadable, type CliIO, type Command } from './io.js';

const USAGE = 'Usage: dlc config SPEC [--set path=value]...';

const HELP = `${USAGE}

Prints the fully resolved spec as YAML: the extends chain merged, --set
overrides applied, every default filled in, shorthands and reusable blocks
expanded. The output is itself a valid spec. Problems in the document are
printed to stderr (exit 1); model checks are left to 'dlc check'.

Options:
  --set path=value   Override a value (repeatable), e.g. --set optimizer.sgd.learning_rate=0.1
  -h, --help         Show this help

Exit status: 0 printed, 1 the spec has errors, 2 usage error or unreadable file.
`;

const DEFAULT_MODELINE = '# yaml-language-server: $schema=../schema/dlc.schema.json';

export const command: Command = {
  name: 'config',
  summary: 'print the fully resolved spec (extends, --set, defaults) as YAML',
  help: HELP,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs(args, [SET_FLAG]);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      io.stderr.write(`dlc config: ${err.message}\n${USAGE}\n`);
      return 2;
    }
    if (parsed.positional.length !== 1) {
      io.stderr.write(`dlc config: give exactly one spec\n${USAGE}\n`);
      return 2;
    }
    const file = parsed.positional[0];
    const result = compileFile(file, { cwd: io.cwd, overrides: parsed.sets, noLower: true });
    if (result.diagnostics.length) io.stderr.write(formatDiagnostics(result.diagnostics, { color: io.stderr.isTTY === true, sources: result.sources, cwd: io.cwd }));
    if (specUnreadable(result.diagnostics, file)) return 2;
    if (!result.spec || result.diagnostics.some((d) => d.severity === 'error')) return 1;
    const source = result.sources.get(file) ?? '';
    const modeline = source.split('\n').find((l) => l.startsWith('# yaml-language-server:')) ?? DEFAULT_MODELINE;
    const header = [
      modeline,
      `# Resolved by 'dlc config' from ${file}${parsed.sets.length ? ` with --set ${parsed.sets.join(' --set ')}` : ''}: extends merged, defaults filled in, blocks expanded.`,
      `# ${initialWeightsText(result.spec.conventions)}`,
    ];
    io.stdout.write(documentToYaml(specToDocument(result.spec), header));
    return 0;
  },
};
