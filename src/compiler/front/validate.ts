/**
 * Validates a spec document against the JSON Schema (ajv, draft-07) and
 * turns ajv's errors into one precise diagnostic per real problem.
 *
 * The schema's unions are `anyOf`s. ajv reports every failed branch of a
 * union; a user wants the one branch they meant. For each failed union we
 * pick that branch from the value itself — its one key (`conv2d: …`), its
 * type, or its enum — keep only that branch's errors, and when no branch
 * fits, report the value once ("unknown layer kind 'conv2'; did you mean
 * 'conv2d'?"). So a typo inside a conv2d gets exactly one error.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Diagnostic } from '../diagnostics/diagnostics.js';
import { diag } from '../diagnostics/report.js';
import { buildSchema, SCHEMA_ID } from './schema/build.js';
import type { Schema } from './schema/helpers.js';
import { manyKindsProblem, toProblem, unionProblem, within, type Problem } from './schema-messages.js';
import { branchFits, jsType, resolveRef, unionNames, unionNoun } from './schema-unions.js';
import { childPointer, type SourceMap } from './source-map.js';

interface Compiled {
  readonly schema: Schema;
  /** The whole document, except the layer list items (validated one by one, see validateLayerItem). */
  readonly validate: ValidateFunction;
  /** The validator of one branch of the layer union, compiled on first use. */
  branch(inBlock: boolean, index: number): ValidateFunction;
}

let compiled: Compiled | undefined;

/** A copy of `s` with the object at `path` replaced (the rest shared, so schema identities hold). */
function replaceAt(s: Schema, path: readonly string[], value: Schema): Schema {
  if (path.length === 0) return value;
  return { ...s, [path[0]]: replaceAt(s[path[0]] as Schema, path.slice(1), value) };
}

/**
 * The schema and its validators, built once. Layer items are validated per
 * item against the one branch of their kind: compiling the ~60-branch layer
 * unions takes ajv seconds, and a spec uses a handful of kinds.
 */
export function specValidator(): Compiled {
  if (!compiled) {
    const schema = buildSchema();
    // inlineRefs: false compiles each shared definition once, and skipping ajv's code optimiser halves the compile time of this large schema.
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictTypes: false, allowUnionTypes: true, inlineRefs: false, code: { optimize: false } });
    ajv.addVocabulary(['markdownDescription']);
    let root = replaceAt(schema, ['properties', 'model', 'properties', 'layers', 'items'], {});
    root = replaceAt(root, ['properties', 'model', 'properties', 'blocks', 'additionalProperties', 'properties', 'layers', 'items'], {});
    const validate = ajv.compile(root);
    const cache = new Map<string, ValidateFunction>();
    const branch = (inBlock: boolean, index: number): ValidateFunction => {
      const ref = `${SCHEMA_ID}#/definitions/${inBlock ? 'block_layer' : 'layer'}/anyOf/${index}`;
      let v = cache.get(ref);
      if (!v) {
        v = ajv.getSchema(ref)!;
        cache.set(ref, v);
      }
      return v;
    };
    compiled = { schema, validate, branch };
  }
  return compiled;
}

/** Marks a union whose value names several kinds at once. */
const MANY_KINDS = -2;

/** Validates `data`; every diagnostic points into the document through `sourceMap`. */
export function validateSpec(data: unknown, sourceMap: SourceMap): Diagnostic[] {
  const v = specValidator();
  const problems: Problem[] = v.validate(data) ? [] : collectProblems(v.schema, (v.validate.errors ?? []) as ErrorObject[]);
  // The layer items the root validator skipped.
  const model = (data as { model?: { layers?: unknown; blocks?: unknown } } | null)?.model;
  if (model && typeof model === 'object') {
    if (Array.isArray(model.layers)) model.layers.forEach((item, i) => problems.push(...validateLayerItem(v, item, `/model/layers/${i}`, false)));
    if (model.blocks && typeof model.blocks === 'object' && !Array.isArray(model.blocks)) {
      for (const [name, block] of Object.entries(model.blocks as Record<string, { layers?: unknown }>)) {
        const layers = block && typeof block === 'object' ? block.layers : undefined;
        if (Array.isArray(layers)) layers.forEach((item, j) => problems.push(...validateLayerItem(v, item, `${childPointer('/model/blocks', name)}/layers/${j}`, true)));
      }
    }
  }

  // A misspelt required key is one problem, not two: drop "missing 'filters'" when 'filtres' is there.
  const typos = new Set(problems.filter((p) => p.meant).map((p) => `${p.pointer.slice(0, p.pointer.lastIndexOf('/'))}|${p.meant}`));
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const p of problems) {
    if (p.code === 'DLC014' && typos.has(`${p.pointer}|${p.missing}`)) continue;
    const k = `${p.code}|${p.pointer}|${p.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(diag(p.code, p.message, sourceMap.locate(p.pointer, p.part), p.pointer, { hint: p.hint, fix: p.fix }));
  }
  return out;
}

/** One layer list item: pick its kind's branch from the item, then validate against that branch only. */
function validateLayerItem(v: Compiled, item: unknown, ptr: string, inBlock: boolean): Problem[] {
  const union = (v.schema.definitions as Record<string, Schema>)[inBlock ? 'block_layer' : 'layer'];
  const branches = union.anyOf as Schema[];
  // The anyOf failure ajv would have reported, had it validated the union itself.
  const asUnion = { keyword: 'anyOf', instancePath: ptr, schemaPath: '#/anyOf', params: {}, data: item, parentSchema: union, schema: branches } as unknown as ErrorObject;
  const names = unionNames(v.schema, union);
  if (jsType(item) === 'object' && Object.keys(item as object).filter((k) => names.has(k)).length > 1) return [manyKindsProblem(v.schema, asUnion)];
  const fits = branches.map((b, i) => (branchFits(v.schema, b, item) ? i : -1)).filter((i) => i >= 0);
  if (fits.length === 0) return [unionProblem(v.schema, asUnion)];
  let best: ErrorObject[] | undefined;
  for (const i of fits) {
    const validate = v.branch(inBlock, i);
    if (validate(item)) return [];
    const errs = ((validate.errors ?? []) as ErrorObject[]).map((e) => ({ ...e, instancePath: ptr + e.instancePath }));
    if (!best || errs.length < best.length) best = errs;
  }
  return collectProblems(v.schema, best!);
}

/** ajv errors → one problem per real problem (see the file comment). */
function collectProblems(schema: Schema, errors: ErrorObject[]): Problem[] {
  const problems: Problem[] = [];
  // 1. Decide the intended branch of every failed union.
  interface Union {
    readonly err: ErrorObject;
    selected: number;
  }
  const unions: Union[] = [];
  for (const err of errors) if (err.keyword === 'anyOf') unions.push({ err, selected: -1 });
  const branchOf = (e: ErrorObject, u: Union): number | undefined => {
    const sp = u.err.schemaPath;
    if (!within(e.instancePath, u.err.instancePath)) return undefined;
    if (e.schemaPath.startsWith(sp + '/')) return Number(e.schemaPath.slice(sp.length + 1).split('/')[0]);
    // ajv restarts schemaPath at a $ref target: match a branch that is that $ref.
    const branches = (u.err.parentSchema as Schema).anyOf as Schema[];
    const i = branches.findIndex((b) => typeof b.$ref === 'string' && e.instancePath === u.err.instancePath && resolveRef(schema, b) === e.parentSchema);
    return i >= 0 ? i : undefined;
  };
  for (const u of unions) {
    const branches = (u.err.parentSchema as Schema).anyOf as Schema[];
    // `{adam: …, sgd: …}`: two kinds in a one-kind union is one problem, not one per branch.
    if (unionNoun(schema, u.err.parentSchema) && jsType(u.err.data) === 'object') {
      const names = unionNames(schema, u.err.parentSchema as Schema);
      if (Object.keys(u.err.data as object).filter((k) => names.has(k)).length > 1) {
        u.selected = MANY_KINDS;
        continue;
      }
    }
    const fits = branches.map((b, i) => (branchFits(schema, b, u.err.data) ? i : -1)).filter((i) => i >= 0);
    if (fits.length === 1) u.selected = fits[0];
    else if (fits.length > 1) {
      const count = (i: number) => errors.filter((e) => e !== u.err && branchOf(e, u) === i).length;
      u.selected = fits.reduce((best, i) => (count(i) < count(best) ? i : best), fits[0]);
    }
  }
  // The innermost union covering an error at each schema location decides (same schema, nested instances).
  const keep = (e: ErrorObject): boolean => {
    for (const u of unions) {
      if (u.err === e) continue;
      const b = branchOf(e, u);
      if (b === undefined) continue;
      const closer = unions.some((o) => o !== u && o.err.schemaPath === u.err.schemaPath && branchOf(e, o) !== undefined && o.err.instancePath.length > u.err.instancePath.length);
      if (!closer && b !== u.selected) return false;
    }
    return true;
  };

  for (const e of errors) {
    if (!keep(e)) continue;
    if (e.keyword === 'anyOf') {
      const u = unions.find((x) => x.err === e)!;
      if (u.selected >= 0) continue;
      if (u.selected === MANY_KINDS) {
        problems.push(manyKindsProblem(schema, e));
        continue;
      }
      problems.push(unionProblem(schema, e));
      continue;
    }
    const p = toProblem(e);
    if (p) problems.push(p);
  }

  return problems;
}

