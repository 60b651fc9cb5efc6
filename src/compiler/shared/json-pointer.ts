/**
 * JSON pointers (RFC 6901), the one way dlc names a node of a spec document
 * ("/model/layers/3/conv2d/filters"): the compiler's source map and the
 * language server's YAML tree both speak them.
 *
 * Pure and dependency-free: every layer may import it.
 */

/** Escapes one segment: "~" → "~0", "/" → "~1". */
export function escapePointer(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Splits a pointer into unescaped segments ("" and "/" → []). */
export function splitPointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Joins unescaped segments into a pointer ("" for the root). */
export function joinPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + escapePointer(s)).join('');
}
