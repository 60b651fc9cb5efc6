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

/**
 * The target of a local JSON-Schema `$ref` ("#/definitions/layer") inside
 * `root`; undefined for a reference to another document or to nothing.
 * Segments are percent-decoded, then unescaped (RFC 6901 §6); only own
 * properties are followed.
 */
export function resolveLocalRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let cur = root;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    cur = typeof cur === 'object' && cur !== null && Object.prototype.hasOwnProperty.call(cur, key) ? (cur as Record<string, unknown>)[key] : undefined;
  }
  return cur;
}
