/**
 * One compile of one editor document: the compiler's result plus the YAML
 * tree the editor features navigate. The only place the language server
 * calls the compiler, so the server sees exactly what `dlc check` sees.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { compile } from '../compiler/compile.js';
import { inferGraph } from '../compiler/lower/lower.js';
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
}

/** How a compile reads files: unsaved open documents win over the disk. */
export type OpenText = (absPath: string) => string | undefined;

/**
 * Compiles `text` as the spec at `file` (an absolute path). `extends` bases
 * are read from `openText` first so an unsaved edit to a base shows at once.
 */
export function analyze(text: string, file: string, version: number, openText: OpenText): Analysis {
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
    const result = compile(text, { file, readFile, cwd });
    diagnostics = result.diagnostics;
    ir = result.ir;
    if (!ir && result.spec && result.sourceMap) {
      const sourceMap = result.sourceMap;
      const listDir = (dir: string): string[] | undefined => {
        try {
          return readdirSync(resolve(cwd, dir));
        } catch {
          return undefined;
        }
      };
      ir = inferGraph(result.spec, { file, locate: (p) => sourceMap.locate(p), listDir }).ir;
      partial = ir !== undefined;
    }
  } catch (err) {
    // A compiler crash must not take the editor session down with it.
    diagnostics = [{ code: 'DLC000', severity: 'error', message: `internal compiler error: ${(err as Error)?.message ?? err}`, file, line: 1, col: 1, path: '' }];
  }
  return { version, parsed: parseYaml(text), diagnostics, ir, partial, ms: performance.now() - t0 };
}
