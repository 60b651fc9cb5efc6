/**
 * Walks dlc's JSON Schema (draft-07) along a JSON pointer and lists what may
 * be written there: keys of object branches and enum/const values. Only the
 * subset the schema uses is understood ($ref to local definitions,
 * properties, patternProperties, items, oneOf/anyOf/allOf, if/then/else,
 * enum, const); anything else simply offers nothing.
 */

import { resolveLocalRef } from '../compiler/shared/json-pointer.js';

/** A JSON Schema node (loosely typed: we only read it). */
export type Schema = { readonly [key: string]: unknown } | boolean;

type Obj = { readonly [key: string]: unknown };

function isObj(s: unknown): s is Obj {
  return typeof s === 'object' && s !== null && !Array.isArray(s);
}

/** Resolves a local "#/definitions/x" reference against the root. */
function deref(root: Schema, s: Obj, seen: Set<unknown>): Obj | undefined {
  let cur: Obj | undefined = s;
  while (cur && typeof cur.$ref === 'string') {
    if (seen.has(cur)) return undefined;
    seen.add(cur);
    const target = resolveLocalRef(root, cur.$ref);
    cur = isObj(target) ? target : undefined;
  }
  return cur;
}

/**
 * Flattens a schema into its alternative branches: $ref resolved, and
 * oneOf/anyOf/allOf/if-then-else expanded (allOf parts are offered as
 * alternatives too, which is right for completion: every part's keys apply).
 */
export function branches(root: Schema, s: unknown, seen = new Set<unknown>()): Obj[] {
  if (!isObj(s)) return [];
  const node = deref(root, s, seen);
  if (!node || seen.has(node)) return [];
  seen.add(node);
  const out: Obj[] = [node];
  for (const k of ['oneOf', 'anyOf', 'allOf'] as const) {
    const list = node[k];
    if (Array.isArray(list)) for (const sub of list) out.push(...branches(root, sub, seen));
  }
  for (const k of ['then', 'else'] as const) out.push(...branches(root, node[k], seen));
  return out;
}

/** The schemas that apply to a child `seg` of a node described by `s`. */
function child(root: Schema, s: Obj, seg: string): unknown[] {
  const out: unknown[] = [];
  const props = s.properties;
  if (isObj(props) && seg in props) out.push(props[seg]);
  const patterns = s.patternProperties;
  if (isObj(patterns)) {
    for (const [re, sub] of Object.entries(patterns)) {
      try {
        if (new RegExp(re, 'u').test(seg)) out.push(sub);
      } catch {
        /* an unsupported pattern offers nothing */
      }
    }
  }
  if (/^\d+$/.test(seg)) {
    const items = s.items;
    if (Array.isArray(items)) out.push(items[Number(seg)] ?? s.additionalItems);
    else if (items !== undefined) out.push(items);
  }
  if (out.length === 0 && isObj(s.additionalProperties)) out.push(s.additionalProperties);
  void root;
  return out;
}

/** Every schema branch that describes the value at `segments`. */
export function schemasAt(root: Schema, segments: readonly string[]): Obj[] {
  let current = branches(root, root);
  for (const seg of segments) {
    const next: Obj[] = [];
    for (const b of current) for (const c of child(root, b, seg)) next.push(...branches(root, c));
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

/** One thing that may be written at a place. */
export interface Suggestion {
  readonly label: string;
  /** 'key' for a mapping key, 'value' for an enum/const value. */
  readonly kind: 'key' | 'value';
  readonly description?: string;
  /** True when the key's value is an object or array (a block follows). */
  readonly block?: boolean;
}

function describe(s: unknown, root: Schema): string | undefined {
  for (const b of branches(root, s)) {
    const d = b.markdownDescription ?? b.description;
    if (typeof d === 'string') return d;
  }
  return undefined;
}

function takesBlock(s: unknown, root: Schema): boolean {
  const bs = branches(root, s);
  const scalar = bs.some((b) => b.enum !== undefined || b.const !== undefined || ['string', 'number', 'integer', 'boolean'].includes(String(b.type)));
  return !scalar && bs.some((b) => b.type === 'object' || b.type === 'array' || isObj(b.properties));
}

/** Keys an object at `segments` may have, each once, in schema order. */
export function keysAt(root: Schema, segments: readonly string[]): Suggestion[] {
  const seen = new Map<string, Suggestion>();
  for (const b of schemasAt(root, segments)) {
    const props = b.properties;
    if (!isObj(props)) continue;
    for (const [key, sub] of Object.entries(props)) {
      if (!seen.has(key)) seen.set(key, { label: key, kind: 'key', description: describe(sub, root), block: takesBlock(sub, root) });
    }
  }
  return [...seen.values()];
}

/** Enum and const values allowed at `segments` (strings, numbers, booleans). */
export function valuesAt(root: Schema, segments: readonly string[]): Suggestion[] {
  const seen = new Map<string, Suggestion>();
  for (const b of schemasAt(root, segments)) {
    const vals = Array.isArray(b.enum) ? b.enum : b.const !== undefined ? [b.const] : [];
    for (const v of vals) {
      if (v === null || typeof v === 'object') continue;
      const label = String(v);
      if (!seen.has(label)) seen.set(label, { label, kind: 'value', description: typeof b.description === 'string' ? b.description : undefined });
    }
    if (b.type === 'boolean') for (const label of ['true', 'false']) if (!seen.has(label)) seen.set(label, { label, kind: 'value' });
  }
  return [...seen.values()];
}
