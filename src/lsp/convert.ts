/**
 * dlc diagnostics → LSP diagnostics. dlc positions are 1-based with an
 * exclusive end column; LSP positions are 0-based with an exclusive end
 * character, so both ends shift by one.
 */
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type Range } from 'vscode-languageserver/node';
import type { Diagnostic, DiagnosticFix, Severity } from '../compiler/diagnostics/diagnostics.js';
import { nodeAt, rangeOf, type ParsedYaml } from './yaml-ast.js';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** The editor range of a diagnostic that has a position in this document. */
export function rangeOfDiagnostic(d: Diagnostic, parsed?: ParsedYaml): Range {
  const start = { line: Math.max(0, d.line - 1), character: Math.max(0, d.col - 1) };
  if (d.endLine !== undefined && d.endCol !== undefined) {
    return { start, end: { line: Math.max(0, d.endLine - 1), character: Math.max(0, d.endCol - 1) } };
  }
  // No end given: use the extent of the YAML node at the diagnostic's path
  // when it starts where the diagnostic does; else the rest of the word.
  const node = parsed ? nodeAt(parsed, d.path) : undefined;
  if (parsed && node) {
    const r = rangeOf(parsed, node);
    if (r.start.line === start.line && r.start.character === start.character) return r;
  }
  return { start, end: { line: start.line, character: start.character + 1 } };
}

/** What a dlc diagnostic carries to the editor in LSP `data` (clients send it back with code-action requests). */
export interface DiagnosticData {
  readonly fix?: { readonly title: string; readonly newText: string; readonly expected: string; readonly range: Range };
}

/** A fix's range in LSP positions: its own, or else the diagnostic's. */
function fixData(fix: DiagnosticFix, diagnosticRange: Range): DiagnosticData {
  const r = fix.range;
  const range = r ? { start: { line: r.line - 1, character: r.col - 1 }, end: { line: r.endLine - 1, character: r.endCol - 1 } } : diagnosticRange;
  return { fix: { title: fix.title, newText: fix.replacement, expected: fix.expected, range } };
}

/** True when a diagnostic's file names the document at `docPath`. */
export function isSameFile(file: string, docPath: string, cwd: string): boolean {
  return file === docPath || resolve(cwd, file) === resolve(docPath);
}

/**
 * Converts one diagnostic. A diagnostic in another file (an `extends` base)
 * is shown at the `extends` key of this document, with the real place as
 * related information, so the user sees why this file does not compile.
 */
export function toLspDiagnostic(d: Diagnostic, docPath: string, cwd: string, parsed?: ParsedYaml): LspDiagnostic {
  const message = d.hint ? `${d.message}\nhint: ${d.hint}` : d.message;
  const base = { severity: SEVERITY[d.severity], code: d.code, source: 'dlc' };
  if (isSameFile(d.file, docPath, cwd)) {
    const range = rangeOfDiagnostic(d, parsed);
    // A fix edits this document only: one in an `extends` base is not offered here.
    return { ...base, message, range, ...(d.fix ? { data: fixData(d.fix, range) } : {}) };
  }
  const ext = parsed ? nodeAt(parsed, '/extends') : undefined;
  const range: Range = parsed && ext ? rangeOf(parsed, ext) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return {
    ...base,
    message: `${d.file}:${d.line}:${d.col}: ${message}`,
    range,
    relatedInformation: [
      {
        location: { uri: pathToFileURL(resolve(cwd, d.file)).href, range: rangeOfDiagnostic(d) },
        message: d.message,
      },
    ],
  };
}
