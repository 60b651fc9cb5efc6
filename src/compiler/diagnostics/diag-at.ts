/**
 * Lowering's old spelling of `diag` (report.ts), kept while the lowering
 * files move over; new code calls `diag(code, message, ctx, path, …)`.
 */
import type { DiagnosticCode } from './codes.js';
import type { Diagnostic } from './diagnostics.js';
import { diag, type Locator } from './report.js';
import type { JsonPointer } from '../spec.js';

export type { Locator } from './report.js';

/** @deprecated use `diag(code, message, ctx, path, hint)`. */
export function diagAt(ctx: Locator, code: DiagnosticCode, path: JsonPointer, message: string, hint?: string): Diagnostic {
  return diag(code, message, ctx, path, hint);
}
