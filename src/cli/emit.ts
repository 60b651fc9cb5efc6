/**
 * `dlc emit SPEC -o DIR [--set key=value]… [--force] [--target tfjs-node-ts]`:
 * compiles the spec and writes a standalone TypeScript training project.
 * Thin: argument parsing here, the work in compiler/ and codegen/.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { compileFile } from '../compiler/compile.js';
import { hasErrors, type Diagnostic } from '../compiler/diagnostics.js';
import { emit, EmitError, TARGETS, type Target } from '../codegen/index.js';
import type { CliIO, Command } from './io.js';

const HELP = `Usage: dlc emit SPEC -o DIR [--set key=value]... [--force] [--target tfjs-node-ts]

Compiles SPEC and writes a standalone TypeScript project into DIR that trains
the model exactly as 'dlc run' does, with nothing of dlc installed:

  cd DIR && npm install && npm start

Options:
  -o, --out DIR      where to write the project (must be empty or absent)
  --set key=value    override a spec value (repeatable), as in 'dlc run'
  --force            replace the contents of a non-empty DIR
  --target NAME      what to emit (default tfjs-node-ts; the only one so far)
`;

interface EmitArgs {
  readonly spec: string;
  readonly out: string;
  readonly sets: string[];
  readonly force: boolean;
  readonly target: Target;
}

/** Parses the arguments; returns an error message on misuse. */
export function parseEmitArgs(args: readonly string[]): EmitArgs | string {
  let spec: string | undefined;
  let out: string | undefined;
  let target: string = 'tfjs-node-ts';
  let force = false;
  const sets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string | undefined => {
      const eq = a.indexOf('=');
      if (a.startsWith('--') && eq > 0) return a.slice(eq + 1);
      return args[++i];
    };
    const flag = a.startsWith('--') && a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (flag === '-o' || flag === '--out') {
      const v = value();
      if (v === undefined) return `${a} needs a directory`;
      out = v;
    } else if (flag === '--set') {
      const v = value();
      if (v === undefined) return '--set needs key=value';
      sets.push(v);
    } else if (flag === '--target') {
      const v = value();
      if (v === undefined) return '--target needs a name';
      target = v;
    } else if (a === '--force' || a === '-f') {
      force = true;
    } else if (a.startsWith('-') && a !== '-') {
      return `unknown option ${a}`;
    } else if (spec === undefined) {
      spec = a;
    } else {
      return `unexpected argument ${a}`;
    }
  }
  if (spec === undefined) return 'missing SPEC';
  if (out === undefined) return 'missing -o DIR';
  if (!(TARGETS as readonly string[]).includes(target)) return `unknown target ${target} (known: ${TARGETS.join(', ')})`;
  return { spec, out, sets, force, target: target as Target };
}

/** `file:line:col: severity CODE: message` lines (hint indented below). */
function formatDiagnostics(diags: readonly Diagnostic[]): string {
  return diags.map((d) => `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code}: ${d.message}\n${d.hint ? `  hint: ${d.hint}\n` : ''}`).join('');
}

export const command: Command = {
  name: 'emit',
  summary: 'write a standalone TypeScript training project',
  help: HELP,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseEmitArgs(args);
    if (typeof parsed === 'string') {
      io.stderr.write(`dlc emit: ${parsed}\n\n${HELP}`);
      return 2;
    }
    const specPath = resolve(io.cwd, parsed.spec);
    const result = compileFile(specPath, { set: parsed.sets, displayPath: parsed.spec });
    if (result.diagnostics.length > 0) io.stderr.write(formatDiagnostics(result.diagnostics));
    if (hasErrors(result.diagnostics) || !result.ir) return 1;
    let source: string | undefined;
    try {
      source = readFileSync(specPath, 'utf8');
    } catch {
      source = undefined;
    }
    try {
      const out = resolve(io.cwd, parsed.out);
      const { files } = emit(result.ir, parsed.target, out, { force: parsed.force, specFile: parsed.spec, specSource: source, overrides: parsed.sets });
      const shown = relative(io.cwd, out) || '.';
      io.stdout.write(`wrote ${files.length} files to ${shown}\n\nnext:\n  cd ${shown}\n  npm install\n  npm start\n`);
      return 0;
    } catch (err) {
      if (err instanceof EmitError) {
        io.stderr.write(`dlc emit: ${err.message}\n`);
        return 2;
      }
      throw err;
    }
  },
};
