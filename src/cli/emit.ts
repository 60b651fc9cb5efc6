/**
 * `dlc emit SPEC -o DIR [--set key=value]… [--force] [--target NAME]`:
 * compiles the spec and writes a standalone training project for one of the
 * targets in codegen's registry (--help lists them). Thin: argument parsing
 * here, the work in compiler/ and codegen/. Loads no TensorFlow.js.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { compileFile } from '../compiler/compile.js';
import { hasErrors } from '../compiler/diagnostics/diagnostics.js';
import { formatDiagnostics } from '../compiler/diagnostics/format.js';
import { DEFAULT_TARGET, emit, EmitError, targetDef, TARGETS, type Target } from '../codegen/index.js';
import { TARGET_DEFS } from '../codegen/targets.js';
import { parseOneSpec, SET_FLAG, type FlagSpec } from './args.js';
import { failExpected, usageFailure, type CliIO, type Command } from './io.js';

const targetLines = TARGET_DEFS.map((t) => `  ${t.name.padEnd(17)}${t.description}`).join('\n');

const HELP = `Usage: dlc emit SPEC -o DIR [--set key=value]... [--force] [--target NAME]

Compiles SPEC and writes a standalone project into DIR that trains the model
exactly as 'dlc run' does, with nothing of dlc installed. For the default
target:

  cd DIR && ${targetDef(DEFAULT_TARGET).nextSteps.join(' && ')}

Options:
  -o, --out DIR      where to write the project (must be empty or absent)
  --set key=value    override a spec value (repeatable), as in 'dlc run'
  --force            replace the contents of a non-empty DIR
  --target NAME      what to emit (default ${DEFAULT_TARGET})

Targets:
${targetLines}
`;

interface EmitArgs {
  readonly spec: string;
  readonly out: string;
  readonly sets: string[];
  readonly force: boolean;
  readonly target: Target;
}

const FLAGS: readonly FlagSpec[] = [
  SET_FLAG,
  { name: 'out', short: 'o', value: true },
  { name: 'force', short: 'f' },
  { name: 'target', value: true, choices: TARGETS },
];

/** Parses the arguments (with the shared parser); returns an error message on misuse. */
export function parseEmitArgs(args: readonly string[]): EmitArgs | string {
  const one = parseOneSpec(args, FLAGS, 'emit');
  if (typeof one === 'string') return one;
  const { parsed, spec } = one;
  const out = parsed.flags.out as string | undefined;
  if (out === undefined) return 'missing -o DIR';
  return { spec, out, sets: parsed.sets, force: parsed.flags.force === true, target: (parsed.flags.target as Target | undefined) ?? DEFAULT_TARGET };
}

export const command: Command = {
  name: 'emit',
  summary: 'write a standalone training project (targets: see --help)',
  help: HELP,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseEmitArgs(args);
    if (typeof parsed === 'string') return usageFailure('emit', parsed, io, HELP);
    const specPath = resolve(io.cwd, parsed.spec);
    const result = compileFile(specPath, { set: parsed.sets, displayPath: parsed.spec });
    if (result.diagnostics.length > 0) io.stderr.write(formatDiagnostics(result.diagnostics, { color: io.stderr.isTTY === true, sources: result.sources, cwd: io.cwd }));
    if (hasErrors(result.diagnostics) || !result.ir) return 1;
    let source: string | undefined;
    try {
      source = readFileSync(specPath, 'utf8');
    } catch {
      source = undefined;
    }
    try {
      const out = resolve(io.cwd, parsed.out);
      const { files } = emit(result.ir, parsed.target, out, { force: parsed.force, protect: [specPath], specFile: parsed.spec, specSource: source, overrides: parsed.sets });
      const shown = relative(io.cwd, out) || '.';
      const next = [`cd ${shown}`, ...targetDef(parsed.target).nextSteps].map((c) => `  ${c}\n`).join('');
      io.stdout.write(`wrote ${files.length} files to ${shown}\n\nnext:\n${next}`);
      return 0;
    } catch (err) {
      return failExpected('emit', err, io, [EmitError]);
    }
  },
};
