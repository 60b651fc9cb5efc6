/**
 * STUB — replaced by the lowering work (issue 2). Lowers a normalised Spec to
 * the IR graph and runs every pass on it.
 */
import type { Diagnostic } from './diagnostics.js';
import type { IR } from './ir.js';
import type { JsonPointer, Spec } from './spec.js';

/** How lowering finds spec positions for the diagnostics it reports. */
export interface LowerContext {
  readonly file: string;
  /** Position of the YAML node at `path` (nearest existing ancestor if absent). */
  locate(path: JsonPointer): { line: number; col: number; endLine?: number; endCol?: number };
  /** Reads a directory listing (image_folder class names); absent → not scanned. */
  listDir?(path: string): string[] | undefined;
}

export interface LowerResult {
  readonly ir?: IR;
  readonly diagnostics: Diagnostic[];
}

/** Lowers `spec` to IR and runs the shape inference and static checks. */
export function lower(spec: Spec, ctx: LowerContext): LowerResult {
  void spec;
  void ctx;
  return { diagnostics: [] };
}
