/**
 * The one diagnostic constructor: severity comes from the catalogue, the
 * position from a source location or from a locator that finds the YAML node
 * at a spec path (lowering and the IR passes only know paths).
 */
import { CODES, type DiagnosticCode } from './codes.js';
import type { Diagnostic, DiagnosticFix } from './diagnostics.js';
import type { Location } from '../front/source-map.js';
import type { JsonPointer } from '../spec.js';

/** What a diagnostic needs to find its position from a spec path. */
export interface Locator {
  readonly file: string;
  locate(path: JsonPointer): { line: number; col: number; endLine?: number; endCol?: number };
}

/** A fix as its producer states it; `diag` fills in the range from the diagnostic's position. */
export type FixProposal = Omit<DiagnosticFix, 'range'>;

/** The optional parts of a diagnostic. */
export interface DiagExtras {
  readonly hint?: string;
  readonly fix?: FixProposal;
}

/**
 * One diagnostic of catalogue `code` about the node at `path`, positioned at
 * `where`: a location, or a locator asked for `path`'s position. The last
 * argument is a hint, or the hint and a fix.
 */
export function diag(code: DiagnosticCode, message: string, where: Location | Locator, path: JsonPointer, extras?: string | DiagExtras): Diagnostic {
  const pos = 'locate' in where ? where.locate(path) : where;
  const { hint, fix } = typeof extras === 'string' ? { hint: extras, fix: undefined } : (extras ?? {});
  const hasEnd = pos.endLine !== undefined && pos.endCol !== undefined;
  return {
    code,
    severity: CODES[code].severity,
    message,
    file: where.file,
    line: pos.line,
    col: pos.col,
    ...(pos.endLine !== undefined ? { endLine: pos.endLine } : {}),
    ...(pos.endCol !== undefined ? { endCol: pos.endCol } : {}),
    path,
    ...(hint ? { hint } : {}),
    ...(fix ? { fix: hasEnd ? { ...fix, range: { line: pos.line, col: pos.col, endLine: pos.endLine!, endCol: pos.endCol! } } : fix } : {}),
  };
}

/** A location at the very start of a file (whole-file problems). */
export function fileStart(file: string): Location {
  return { file, line: 1, col: 1, endLine: 1, endCol: 1 };
}

/** DLC000: a crash inside dlc, reported against the spec instead of taking a long-lived caller (the language server) down. */
export function internalError(err: unknown, file: string): Diagnostic {
  const what = err instanceof Error ? err.message : String(err);
  return diag('DLC000', `internal compiler error: ${what}`, fileStart(file), '', 'this is a bug in dlc, not in the spec; please report it with the spec');
}
