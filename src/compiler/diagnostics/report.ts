/** Builds diagnostics from the catalogue: severity comes from the code. */
import { CODES, type DiagnosticCode } from './codes.js';
import type { Diagnostic } from './diagnostics.js';
import type { Location } from '../front/source-map.js';
import type { JsonPointer } from '../spec.js';

/** One diagnostic of catalogue `code` at `loc`. */
export function diag(code: DiagnosticCode, message: string, loc: Location, path: JsonPointer, hint?: string): Diagnostic {
  const d: Diagnostic = {
    code,
    severity: CODES[code].severity,
    message,
    file: loc.file,
    line: loc.line,
    col: loc.col,
    endLine: loc.endLine,
    endCol: loc.endCol,
    path,
    ...(hint ? { hint } : {}),
  };
  return d;
}

/** A location at the very start of a file (whole-file problems). */
export function fileStart(file: string): Location {
  return { file, line: 1, col: 1, endLine: 1, endCol: 1 };
}
