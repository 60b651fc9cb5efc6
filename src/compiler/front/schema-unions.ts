/**
 * Reading the schema's unions: which branch a value was meant for (by its
 * one key, type, enum or `$`), the names and types a union accepts, and
 * which unions are "kind" unions. Used by validate.ts to collapse ajv's
 * per-branch errors into the one the user needs.
 */
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { PARAM_REF_PATTERN, type Schema } from './schema/helpers.js';
import { resolveLocalRef } from '../shared/json-pointer.js';

/**
 * Unions whose branch names are kinds: layer kinds (unknown → DLC015) or
 * other kinds (→ DLC013). Found by identity of the union's schema object:
 * with inlineRefs off, ajv's schemaPath restarts at every definition.
 */
export function unionNoun(root: Schema, unionSchema: unknown): { noun: string; code: DiagnosticCode } | undefined {
  const defs = root.definitions as Record<string, Schema>;
  const props = root.properties as Record<string, Schema>;
  if (unionSchema === defs.layer || unionSchema === defs.block_layer) return { noun: 'layer kind', code: 'DLC015' };
  for (const [name, s] of [['transform', defs.transform], ['metric', defs.metric], ['loss', props.loss], ['optimizer', props.optimizer], ['schedule', props.schedule]] as const) {
    if (unionSchema === s) return { noun: name, code: 'DLC013' };
  }
  return undefined;
}

export type JsType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';
export function jsType(v: unknown): JsType {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v as JsType;
}

export function resolveRef(root: Schema, s: Schema): Schema {
  const ref = s.$ref;
  if (typeof ref !== 'string') return s;
  return resolveLocalRef(root, ref) as Schema;
}

/** The one key of a "kind" branch (`{properties: {conv2d: …}, required: [conv2d]}`), if it is one. */
export function kindKey(s: Schema): string | undefined {
  const req = s.required as string[] | undefined;
  const props = s.properties as Record<string, unknown> | undefined;
  return s.type === 'object' && req?.length === 1 && props && Object.keys(props).length === 1 ? req[0] : undefined;
}

/** Could the user have meant branch `s` for value `v`? Decided by shape, not by validity. */
export function branchFits(root: Schema, s0: Schema, v: unknown): boolean {
  const s = resolveRef(root, s0);
  if (Array.isArray(s.anyOf)) return (s.anyOf as Schema[]).some((b) => branchFits(root, b, v));
  const t = jsType(v);
  const key = kindKey(s);
  if (key !== undefined) return t === 'object' && Object.prototype.hasOwnProperty.call(v, key);
  if (t === 'string' && Array.isArray(s.enum)) return (s.enum as unknown[]).includes(v);
  if (t === 'string' && s.pattern === PARAM_REF_PATTERN) return (v as string).startsWith('$');
  const types = s.type === undefined ? undefined : Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
  if (!types) return Array.isArray(s.enum) ? (s.enum as unknown[]).some((e) => jsType(e) === t) : true;
  if (t === 'integer' || t === 'number') return types.includes('integer') || types.includes('number');
  return types.includes(t);
}

/** Every bare name and kind key a union accepts (for did-you-mean). */
export function unionNames(root: Schema, s0: Schema, out: Set<string> = new Set()): Set<string> {
  const s = resolveRef(root, s0);
  if (Array.isArray(s.anyOf)) for (const b of s.anyOf as Schema[]) unionNames(root, b, out);
  if (Array.isArray(s.enum)) for (const e of s.enum as unknown[]) if (typeof e === 'string') out.add(e);
  const key = kindKey(s);
  if (key) out.add(key);
  return out;
}

export function unionTypes(root: Schema, s0: Schema, out: Set<string> = new Set()): Set<string> {
  const s = resolveRef(root, s0);
  if (Array.isArray(s.anyOf)) for (const b of s.anyOf as Schema[]) unionTypes(root, b, out);
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
  for (const t of types) out.add(t);
  return out;
}

