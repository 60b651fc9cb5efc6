/**
 * One layer list item (already schema-valid, `$params` substituted) → a
 * LayerSpec: the op's shorthand expanded (`max_pool2d: 2`, `dropout: 0.5`,
 * `add: [a, b]`), its defaults filled, 2-D sizes made pairs, then the op's
 * own normalisation (compiler/ops/<kind>.ts). No kind is special-cased here.
 */
import { opDef, type OpDef } from '../ops/index.js';
import type { Conventions, JsonPointer, LayerSpec } from '../spec.js';
import { DEFAULT_CONVENTIONS, layerDefaultsFor } from './conventions.js';

type Obj = Record<string, unknown>;

/** The kind and raw value of a one-key list item (`- flatten` / `- conv2d: {…}`). */
export function itemKind(item: unknown): { kind: string; value: unknown } {
  if (typeof item === 'string') return { kind: item, value: null };
  const [kind] = Object.keys(item as Obj);
  return { kind, value: (item as Obj)[kind] };
}

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [Number(v[0]), Number(v[1])] : [Number(v), Number(v)]);

/** Expands a scalar/list shorthand into the attribute mapping it stands for. */
function expandShorthand(def: OpDef | undefined, value: unknown): Obj {
  if (value === null || value === undefined) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Obj;
  return def?.shorthand ? { [def.shorthand.key]: value } : {};
}

/** The keys every layer may carry, copied when present. */
function common(a: Obj, path: JsonPointer): Obj {
  const c: Obj = {};
  if (a.name !== undefined) c.name = a.name;
  if (a.inputs !== undefined) c.inputs = [...(a.inputs as string[])];
  if (a.in_channels !== undefined) c.in_channels = a.in_channels;
  if (a.in_features !== undefined) c.in_features = a.in_features;
  if (a.expect_shape !== undefined) c.expect_shape = [...(a.expect_shape as number[])];
  if (a.init !== undefined) c.init = a.init;
  c.path = path;
  return c;
}

/** The op's attributes from `a`: schema order, defaults filled in (`conventions` over the op's), pairs made pairs, then the op's normalize. */
function ownAttrs(def: OpDef, a: Obj, conventions: Conventions): Obj {
  const raw: Obj = {};
  const over = layerDefaultsFor(conventions, def.kind);
  for (const key of Object.keys(def.attrs)) {
    const v = a[key] === undefined ? (Object.hasOwn(over, key) ? over[key] : def.defaults?.[key]) : a[key];
    if (v === undefined) continue;
    raw[key] = def.pairs?.includes(key) ? pair(v) : v;
  }
  return (def.normalize ? def.normalize(raw) : raw) as Obj;
}

/** Normalises one non-block layer item found at `path`, with the defaults of `conventions` (front/conventions.ts). */
export function normalizeLayer(item: unknown, path: JsonPointer, conventions: Conventions = DEFAULT_CONVENTIONS): LayerSpec {
  const { kind, value } = itemKind(item);
  const def = opDef(kind);
  const a = expandShorthand(def, value);
  // A kind the schema let through is always registered; anything else keeps no attributes.
  const attrs = def ? ownAttrs(def, a, conventions) : {};
  return { kind, ...attrs, ...common(a, path) } as unknown as LayerSpec;
}
