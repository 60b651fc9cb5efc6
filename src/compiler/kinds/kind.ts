/**
 * One declaration per loss, optimizer, schedule, metric and transform kind:
 * its attributes' schemas (types, ranges, descriptions, examples), its
 * defaults, its shorthand and its description. The JSON Schema
 * (front/schema/sections.ts), normalisation (front/normalize.ts) and
 * `dlc config` (front/denormalize.ts) all read these, so a new kind is one
 * file plus one line in its family's index.
 *
 * The spec's TypeScript unions (spec.ts) stay the types the runtime sees;
 * each family's index is checked against them (`satisfies Family<…>`): a
 * declaration must list exactly the attributes of its spec type, defaults
 * must have their types, and every kind of the union must be declared. The
 * runtime keys its implementations by the same union (an exhaustive
 * `Record`), so a declared kind without an implementation does not compile.
 */
import { anyOf, enumOf, kindExamples, object, shorthandOr, type Schema } from '../front/schema/helpers.js';

/** A kind's attributes: its spec type without `kind` (and a transform's `path`). */
export type Attrs<S> = Omit<S, 'kind' | 'path'>;

/** The member of the union U whose `kind` includes K (`adam` and `adamw` share one member). */
export type Of<U extends { readonly kind: string }, K extends U['kind']> = U extends unknown ? (K extends U['kind'] ? U : never) : never;

export interface KindDecl<S extends { readonly kind: string }> {
  readonly kind: S['kind'];
  /** One sentence, shown in editors and the docs. */
  readonly description: string;
  /** Every attribute of the spec type, in the order the schema and `dlc config` list them. */
  readonly attrs: { readonly [A in keyof Attrs<S>]-?: Schema };
  readonly required?: readonly (keyof Attrs<S> & string)[];
  /** The scalar (or list) form `kind: value` and the attribute it stands for. */
  readonly shorthand?: { readonly schema: Schema; readonly key: keyof Attrs<S> & string };
  /** What normalisation fills in, in the key order of the normalised spec. The schema's `default`s are these. */
  readonly defaults: Partial<Attrs<S>>;
}

/** A family's declarations by kind: exactly the kinds of the spec union U. */
export type Family<U extends { readonly kind: string }> = { readonly [K in U['kind']]: KindDecl<Of<U, K>> };

/** Any declaration, as the generic code (schema builder, normalisation, tests) reads it. */
export interface AnyKindDecl {
  readonly kind: string;
  readonly description: string;
  readonly attrs: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly shorthand?: { readonly schema: Schema; readonly key: string };
  readonly defaults: Readonly<Record<string, unknown>>;
}

export type AnyFamily = Readonly<Record<string, AnyKindDecl>>;

/** Views a typed family (checked where it is defined) as the generic one. */
export const anyFamily = (f: { readonly [kind: string]: { readonly kind: string } }): AnyFamily => f as unknown as AnyFamily;

type Obj = Record<string, unknown>;

const present = (v: unknown): boolean => v !== undefined && v !== null;
const copy = (v: unknown): unknown => (Array.isArray(v) ? [...v] : v);

/**
 * A schema-valid item value of this kind (null for a bare name, the
 * shorthand scalar, or the attribute mapping) → `{kind, ...attrs}` with the
 * defaults filled in: the declaration's defaults first, in their order, then
 * the required attributes in their order, then the other given attributes in
 * the order given (the key order dlc has always produced; emitted projects
 * print these objects).
 */
export function normalizeKind(decl: AnyKindDecl, value: unknown): Obj {
  let given: Obj;
  if (!present(value)) given = {};
  else if (typeof value !== 'object' || Array.isArray(value)) given = decl.shorthand ? { [decl.shorthand.key]: value } : {};
  else given = value as Obj;
  const out: Obj = { kind: decl.kind };
  for (const [k, d] of Object.entries(decl.defaults)) out[k] = copy(present(given[k]) ? given[k] : d);
  for (const k of [...(decl.required ?? []), ...Object.keys(given)]) if (!(k in out) && k in decl.attrs && present(given[k])) out[k] = copy(given[k]);
  return out;
}

/**
 * The JSON Schema of one item of a family: `- kind: {attrs}` / `kind:
 * shorthand` / bare `kind` (when nothing is required). Attribute `default`s
 * must equal the declaration's defaults (a test checks).
 */
export function kindUnion(family: AnyFamily, description: string, o: { default?: unknown; examples?: unknown[] } = {}): Schema {
  const decls = Object.entries(family);
  const bare = decls.filter(([, k]) => !k.required?.length).map(([n]) => n);
  const branches: Schema[] = [];
  if (bare.length) branches.push(enumOf(bare, 'A kind that needs no attributes, written as a bare name.'));
  for (const [name, def] of decls) {
    const attrs = object({ ...def.attrs }, def.description, { required: def.required, nullable: !def.required?.length });
    const value = shorthandOr(def.shorthand?.schema, attrs, def.description, kindExamples({ ...def.attrs }, def.required, def.shorthand?.schema));
    branches.push({ type: 'object', description: def.description, markdownDescription: def.description, properties: { [name]: value }, required: [name], additionalProperties: false });
  }
  return anyOf(branches, description, o);
}
