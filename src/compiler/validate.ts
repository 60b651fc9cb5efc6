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
import type { Diagnostic } from './diagnostics.js';
import { didYouMean, suggestion } from './did-you-mean.js';
import { diag } from './report.js';
import { buildSchema, SCHEMA_ID } from './schema/build.js';
import { PARAM_REF_PATTERN, type Schema } from './schema/helpers.js';
import { LAYER_NAME_PATTERN } from './schema/layers.js';
import { childPointer, splitPointer, type NodePart, type SourceMap } from './source-map.js';
import type { DiagnosticCode } from './diagnostic-codes.js';

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

/** Human wording for the schema's patterns (never show a regex to a user). */
const PATTERN_WORDS: Record<string, string> = {
  '^[a-z0-9][a-z0-9_-]*$': "lowercase letters, digits, '-' and '_', starting with a letter or digit",
  [LAYER_NAME_PATTERN]: "letters, digits, '_' and '.', starting with a letter or '_'",
  '^[A-Za-z_][A-Za-z0-9_]*$': "letters, digits and '_', starting with a letter or '_'",
  [PARAM_REF_PATTERN]: "a block parameter reference: '$' then a name, e.g. $filters",
};

/**
 * Unions whose branch names are kinds: layer kinds (unknown → DLC015) or
 * other kinds (→ DLC013). Found by identity of the union's schema object:
 * with inlineRefs off, ajv's schemaPath restarts at every definition.
 */
function unionNoun(root: Schema, unionSchema: unknown): { noun: string; code: DiagnosticCode } | undefined {
  const defs = root.definitions as Record<string, Schema>;
  const props = root.properties as Record<string, Schema>;
  if (unionSchema === defs.layer || unionSchema === defs.block_layer) return { noun: 'layer kind', code: 'DLC015' };
  for (const [name, s] of [['transform', defs.transform], ['metric', defs.metric], ['loss', props.loss], ['optimizer', props.optimizer], ['schedule', props.schedule]] as const) {
    if (unionSchema === s) return { noun: name, code: 'DLC013' };
  }
  return undefined;
}

/** Marks a union whose value names several kinds at once. */
const MANY_KINDS = -2;

type JsType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';
function jsType(v: unknown): JsType {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v as JsType;
}

const TYPE_WORDS: Record<string, string> = {
  null: 'nothing (null)',
  boolean: 'true or false',
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  array: 'a list',
  object: 'a mapping',
};

function resolveRef(root: Schema, s: Schema): Schema {
  const ref = s.$ref;
  if (typeof ref !== 'string') return s;
  let cur: unknown = root;
  for (const seg of splitPointer(ref.replace(/^#/, ''))) cur = (cur as Record<string, unknown>)[seg];
  return cur as Schema;
}

/** The one key of a "kind" branch (`{properties: {conv2d: …}, required: [conv2d]}`), if it is one. */
function kindKey(s: Schema): string | undefined {
  const req = s.required as string[] | undefined;
  const props = s.properties as Record<string, unknown> | undefined;
  return s.type === 'object' && req?.length === 1 && props && Object.keys(props).length === 1 ? req[0] : undefined;
}

/** Could the user have meant branch `s` for value `v`? Decided by shape, not by validity. */
function branchFits(root: Schema, s0: Schema, v: unknown): boolean {
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
function unionNames(root: Schema, s0: Schema, out: Set<string> = new Set()): Set<string> {
  const s = resolveRef(root, s0);
  if (Array.isArray(s.anyOf)) for (const b of s.anyOf as Schema[]) unionNames(root, b, out);
  if (Array.isArray(s.enum)) for (const e of s.enum as unknown[]) if (typeof e === 'string') out.add(e);
  const key = kindKey(s);
  if (key) out.add(key);
  return out;
}

function unionTypes(root: Schema, s0: Schema, out: Set<string> = new Set()): Set<string> {
  const s = resolveRef(root, s0);
  if (Array.isArray(s.anyOf)) for (const b of s.anyOf as Schema[]) unionTypes(root, b, out);
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
  for (const t of types) out.add(t);
  return out;
}

const within = (ip: string, parent: string) => ip === parent || ip.startsWith(parent + '/');

function lastName(pointer: string): string {
  const segs = splitPointer(pointer);
  for (let i = segs.length - 1; i >= 0; i--) if (!/^\d+$/.test(segs[i])) return segs[i];
  return 'the spec';
}

function fmt(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : JSON.stringify(v);
}

interface Problem {
  readonly code: DiagnosticCode;
  readonly pointer: string;
  readonly part: NodePart;
  readonly message: string;
  readonly hint?: string;
  /** For an unknown key: the known key it is a typo of. */
  readonly meant?: string;
  /** For a missing required key: its name. */
  readonly missing?: string;
}

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
    out.push(diag(p.code, p.message, sourceMap.locate(p.pointer, p.part), p.pointer, p.hint));
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

function manyKindsProblem(schema: Schema, e: ErrorObject): Problem {
  const kinds = Object.keys(e.data as object).filter((k) => unionNames(schema, e.parentSchema as Schema).has(k));
  const noun = unionNoun(schema, e.parentSchema)!.noun.replace(' kind', '');
  return {
    code: 'DLC017',
    pointer: childPointer(e.instancePath, kinds[1]),
    part: 'key',
    message: `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun} has exactly one kind, but ${lastName(e.instancePath) === 'the spec' ? 'this' : lastName(e.instancePath)} has ${kinds.map((k) => `'${k}'`).join(' and ')}`,
    hint: e.instancePath.startsWith('/model') || e.instancePath.startsWith('/data') || e.instancePath.startsWith('/metrics') ? 'split them into separate list items' : `replace the whole value, e.g. --set ${splitPointer(e.instancePath).join('.')}={${kinds[1]}: {…}}`,
  };
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

/** No branch of a union fits the value: report the value once. */
function unionProblem(root: Schema, e: ErrorObject): Problem {
  const v = e.data;
  const ptr = e.instancePath;
  const what = unionNoun(root, e.parentSchema);
  const names = unionNames(root, e.parentSchema as Schema);
  const t = jsType(v);
  if (what && t === 'object') {
    const keys = Object.keys(v as object);
    if (keys.length === 0) return { code: what.code, pointer: ptr, part: 'value', message: `empty ${what.noun === 'layer kind' ? 'layer' : what.noun}: write one key, the ${what.noun}` };
    const bad = keys.find((k) => !names.has(k)) ?? keys[0];
    const noun = what.noun === 'layer kind' ? 'layer kind' : what.noun;
    return {
      code: what.code,
      pointer: childPointer(ptr, bad),
      part: 'key',
      message: `unknown ${noun} '${bad}'${suggestion(bad, names)}`,
      hint: suggestion(bad, names) ? undefined : `known: ${[...names].join(', ')}`,
    };
  }
  if (what && t === 'string') {
    const s = v as string;
    // A kind that needs attributes written bare (`- conv2d`).
    const attrsBranch = ((e.parentSchema as Schema).anyOf as Schema[]).map((b) => resolveRef(root, b)).find((b) => kindKey(b) === s);
    if (attrsBranch) {
      const value = (attrsBranch.properties as Record<string, Schema>)[s];
      const req = findRequired(value);
      return { code: 'DLC014', pointer: ptr, part: 'value', message: `${s} needs ${req.map((r) => `'${r}'`).join(' and ')}`, hint: `write it as a mapping: ${s}: {${req.map((r) => `${r}: …`).join(', ')}}` };
    }
    const sugg = suggestion(s, names);
    return { code: what.code, pointer: ptr, part: 'value', message: `unknown ${what.noun} '${s}'${sugg}`, hint: sugg ? undefined : `known: ${[...names].join(', ')}` };
  }
  if (t === 'string' && names.size > 0) {
    const sugg = suggestion(v as string, names);
    return { code: 'DLC013', pointer: ptr, part: 'value', message: `${fmt(v)} is not allowed for ${lastName(ptr)}${sugg}`, hint: `allowed: ${[...names].join(', ')}` };
  }
  const types = [...unionTypes(root, e.parentSchema as Schema)].filter((x) => !(x === 'null'));
  const expected = types.map((x) => TYPE_WORDS[x] ?? x);
  const uniq = [...new Set(expected)];
  const list = uniq.length <= 1 ? uniq.join('') : `${uniq.slice(0, -1).join(', ')} or ${uniq[uniq.length - 1]}`;
  const subject = what ? (what.noun === 'layer kind' ? 'a layer' : `a ${what.noun}`) : lastName(ptr);
  return { code: 'DLC011', pointer: ptr, part: 'value', message: `${subject} must be ${list}, not ${TYPE_WORDS[t]}`, hint: what ? `write the ${what.noun} name, or a mapping with one key: the ${what.noun} name` : undefined };
}

function findRequired(s: Schema): string[] {
  if (Array.isArray(s.anyOf)) for (const b of s.anyOf as Schema[]) { const r = findRequired(b); if (r.length) return r; }
  return (s.required as string[] | undefined) ?? [];
}

/** One ajv error (of the intended branch) → one problem. */
function toProblem(e: ErrorObject): Problem | undefined {
  const ptr = e.instancePath;
  const name = lastName(ptr);
  const ps = e.parentSchema as Schema | undefined;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const allowed = Object.keys((ps?.properties as object) ?? {});
      const sugg = suggestion(key, allowed);
      const where = ptr === '' ? 'at the top level' : `in ${name}`;
      const meant = didYouMean(key, allowed);
      return { code: 'DLC010', pointer: childPointer(ptr, key), part: 'key', meant, message: `unknown key '${key}' ${where}${sugg}`, hint: sugg ? undefined : allowed.length ? `allowed keys: ${allowed.join(', ')}` : `${name} takes no keys` };
    }
    case 'required': {
      const missing = String(p.missingProperty);
      const desc = (ps?.properties as Record<string, Schema> | undefined)?.[missing]?.description;
      const owner = ptr === '' ? 'the spec' : name;
      return { code: 'DLC014', pointer: ptr, part: 'key', missing, message: `${owner} is missing required key '${missing}'`, hint: typeof desc === 'string' ? `${missing}: ${desc}` : undefined };
    }
    case 'type': {
      const types = String(p.type).split(',').filter((x) => x !== 'null');
      const expected = types.map((x) => TYPE_WORDS[x] ?? x).join(' or ');
      const param = typeof e.data === 'string' && e.data.startsWith('$');
      return { code: 'DLC011', pointer: ptr, part: 'value', message: `${name} must be ${expected}, not ${TYPE_WORDS[jsType(e.data)]} (${fmt(e.data)})`, hint: param ? 'block parameters ($name) work only in the layers of model.blocks' : undefined };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const cmp = { minimum: '≥', maximum: '≤', exclusiveMinimum: '>', exclusiveMaximum: '<' }[e.keyword];
      const range = ps && (ps.minimum !== undefined || ps.exclusiveMinimum !== undefined) && (ps.maximum !== undefined || ps.exclusiveMaximum !== undefined)
        ? `range: ${ps.minimum ?? ps.exclusiveMinimum} to ${ps.maximum ?? ps.exclusiveMaximum}`
        : undefined;
      return { code: 'DLC012', pointer: ptr, part: 'value', message: `${name} must be ${cmp} ${p.limit}, got ${fmt(e.data)}`, hint: range };
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      const sugg = typeof e.data === 'string' ? suggestion(e.data, allowed) : '';
      return { code: 'DLC013', pointer: ptr, part: 'value', message: `${fmt(e.data)} is not allowed for ${name}${sugg}`, hint: `allowed: ${allowed.join(', ')}` };
    }
    case 'pattern': {
      if (e.schemaPath.includes('/propertyNames/')) return undefined;
      const words = PATTERN_WORDS[String(p.pattern)] ?? `the pattern ${p.pattern}`;
      return { code: 'DLC016', pointer: ptr, part: 'value', message: `${name} ${fmt(e.data)} is malformed: use ${words}` };
    }
    case 'propertyNames': {
      const key = String(p.propertyName);
      return { code: 'DLC016', pointer: childPointer(ptr, key), part: 'key', message: `'${key}' is not a valid name in ${name}: use ${PATTERN_WORDS['^[A-Za-z_][A-Za-z0-9_]*$']}` };
    }
    case 'minItems':
    case 'maxItems': {
      const min = ps?.minItems as number | undefined;
      const max = ps?.maxItems as number | undefined;
      const n = Array.isArray(e.data) ? e.data.length : 0;
      const need = min !== undefined && min === max ? `exactly ${min}` : e.keyword === 'minItems' ? `at least ${min}` : `at most ${max}`;
      return { code: 'DLC017', pointer: ptr, part: 'value', message: `${name} needs ${need} item${need.endsWith(' 1') ? '' : 's'}, got ${n}` };
    }
    default:
      if (e.schemaPath.includes('/propertyNames/')) return undefined;
      return { code: 'DLC016', pointer: ptr, part: 'value', message: `${name} is malformed (${e.keyword})` };
  }
}
