/**
 * One compile of one editor document: the compiler's result plus the YAML
 * tree the editor features navigate. The only place the language server
 * calls the compiler, so the server sees exactly what `dlc check` sees.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { compile, internalError } from '../compiler/compile.js';
import type { Diagnostic } from '../compiler/diagnostics/diagnostics.js';
import type { IR } from '../compiler/ir.js';
import { parseYaml, type ParsedYaml } from './yaml-ast.js';

/** What the server keeps per document version. */
export interface Analysis {
  readonly version: number;
  readonly parsed: ParsedYaml;
  readonly diagnostics: readonly Diagnostic[];
  readonly ir?: IR;
  /**
   * True when `ir` is the graph as far as inference got (the spec has model
   * errors): hovers still show the shapes around a mistake, which is when a
   * user needs them most. Nodes that could not be inferred have shape [].
   */
  readonly partial: boolean;
  /** Milliseconds the compile took (for logs and the benchmark). */
  readonly ms: number;
  /**
   * True when `ir` is the last graph of an earlier version (this text gave
   * none: a YAML syntax error half-way through typing): hovers and symbols
   * of the layers that did not move stay.
   */
  readonly stale?: boolean;
}

/** How a compile reads files: unsaved open documents win over the disk. */
export type OpenText = (absPath: string) => string | undefined;

/**
 * Compiles `text` as the spec at `file` (an absolute path). `extends` bases
 * are read from `openText` first so an unsaved edit to a base shows at once.
 */
export function analyze(text: string, file: string, version: number, openText: OpenText, previous?: Analysis): Analysis {
  const t0 = performance.now();
  const cwd = dirname(file);
  const readFile = (p: string): string => {
    const abs = resolve(cwd, p);
    return openText(abs) ?? readFileSync(abs, 'utf8');
  };
  let diagnostics: readonly Diagnostic[];
  let ir: IR | undefined;
  let partial = false;
  try {
    // Best effort: a spec with errors still gets the graph as far as inference
    // got, read through the same data facts (class folders, …) as `dlc check`.
    const result = compile(text, { file, readFile, cwd, partial: true });
    diagnostics = result.diagnostics;
    ir = result.ir ?? result.partialIr;
    partial = !result.ir && result.partialIr !== undefined;
  } catch (err) {
    // A compiler crash must not take the editor session down with it.
    diagnostics = [internalError(err, file)];
  }
  // Keep the last good analysis through a syntax error (or any text that gives no graph):
  // the earlier layers' pointers are unchanged while the user types the next one.
  if (!ir && previous?.ir) return { version, parsed: parseYaml(text), diagnostics, ir: previous.ir, partial: true, stale: true, ms: performance.now() - t0 };
  return { version, parsed: parseYaml(text), diagnostics, ir, partial, ms: performance.now() - t0 };
}
