/**
 * The diagnostic record every stage reports. Tests assert `code` and the
 * position, never the wording. The catalogue of codes lives in `codes.ts`;
 * diagnostics are made with `diag` (report.ts), which takes the severity
 * from the catalogue.
 */
export type Severity = 'error' | 'warning' | 'info';

/**
 * A fix as data, made where the diagnostic is made (never parsed back out
 * of the message): replace `expected` at the range with `replacement`.
 * Editors offer it as a quick fix (src/lsp/quick-fix.ts).
 */
export interface DiagnosticFix {
  /** What an editor shows, e.g. "Change 'filtres' to 'filters'". */
  readonly title: string;
  /** The text that replaces the range. */
  readonly replacement: string;
  /**
   * The text the range holds now. A tool applies the fix only when the range
   * still holds exactly this (the document may have changed since, or the
   * range may be wider than the mistake, e.g. a quoted or flow-mapping node).
   */
  readonly expected: string;
  /** 1-based range to replace (end column exclusive), in the diagnostic's file; absent: the diagnostic's own range. */
  readonly range?: { readonly line: number; readonly col: number; readonly endLine: number; readonly endCol: number };
}

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
  /** A machine-applicable fix, when the diagnostic knows the right text. */
  readonly fix?: DiagnosticFix;
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
