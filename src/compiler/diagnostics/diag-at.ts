/**
 * Builds a diagnostic for a code of the catalogue at a spec path, taking
 * its severity from the catalogue and its position from the lowering
 * context. Used by lowering, data-set checks and the IR passes.
 */
import { CODES, type DiagnosticCode } from './codes.js';
import type { Diagnostic } from './diagnostics.js';
import type { JsonPointer } from '../spec.js';

/** What a diagnostic needs to find its position. */
export interface Locator {
  readonly file: string;
  locate(path: JsonPointer): { line: number; col: number; endLine?: number; endCol?: number };
}

/** A diagnostic of `code` at the YAML node at `path`. */
export function diagAt(ctx: Locator, code: DiagnosticCode, path: JsonPointer, message: string, hint?: string): Diagnostic {
  const pos = ctx.locate(path);
  return {
    code,
    severity: CODES[code].severity,
    message,
    file: ctx.file,
    line: pos.line,
    col: pos.col,
    ...(pos.endLine !== undefined ? { endLine: pos.endLine } : {}),
    ...(pos.endCol !== undefined ? { endCol: pos.endCol } : {}),
    path,
    ...(hint ? { hint } : {}),
  };
}
