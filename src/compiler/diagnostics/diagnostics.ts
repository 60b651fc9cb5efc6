/**
 * The diagnostic record every stage reports. Tests assert `code` and the
 * position, never the wording. The catalogue of codes lives in
 * `diagnostic-codes.ts`.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** Spec file the problem is in (as given by the user; may be relative). */
  readonly file: string;
  /** 1-based line and column of the start of the offending YAML node. */
  readonly line: number;
  readonly col: number;
  /** 1-based end position (exclusive column) of the node, for editor ranges. */
  readonly endLine?: number;
  readonly endCol?: number;
  /** JSON pointer to the node in the (merged) spec document. */
  readonly path: string;
  readonly hint?: string;
}

/** True when any diagnostic is an error. */
export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** Sorts by file, then position, then code: the order users read them in. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.code.localeCompare(b.code),
  );
}
