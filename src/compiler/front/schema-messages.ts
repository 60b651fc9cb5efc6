/**
 * The words of schema diagnostics: one ajv error (of the branch the user
 * meant) or one union no branch fits → one Problem with a precise message,
 * a did-you-mean and a hint. Never a regex, a schema path or a branch list.
 */
import type { ErrorObject } from 'ajv';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { didYouMean, didYouMeanFix, misplacedHint, renameFix, suggestion } from '../diagnostics/did-you-mean.js';
import type { FixProposal } from '../diagnostics/report.js';
import { PARAM_REF_PATTERN, type Schema } from './schema/helpers.js';
import { LAYER_NAME_PATTERN } from './schema/layers.js';
import { jsType, kindKey, resolveRef, unionNames, unionNoun, unionTypes } from './schema-unions.js';
import { childPointer, splitPointer, type NodePart } from './source-map.js';

/** Human wording for the schema's patterns (never show a regex to a user). */
const PATTERN_WORDS: Record<string, string> = {
  '^[a-z0-9][a-z0-9_-]*$': "lowercase letters, digits, '-' and '_', starting with a letter or digit",
  [LAYER_NAME_PATTERN]: "letters, digits, '_' and '.', starting with a letter or '_'",
  '^[A-Za-z_][A-Za-z0-9_]*$': "letters, digits and '_', starting with a letter or '_'",
  [PARAM_REF_PATTERN]: "a block parameter reference: '$' then a name, e.g. $filters",
};

const TYPE_WORDS: Record<string, string> = {
  null: 'nothing (null)',
  boolean: 'true or false',
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  array: 'a list',
  object: 'a mapping',
};

export const within = (ip: string, parent: string) => ip === parent || ip.startsWith(parent + '/');

export function lastName(pointer: string): string {
  const segs = splitPointer(pointer);
  for (let i = segs.length - 1; i >= 0; i--) if (!/^\d+$/.test(segs[i])) return segs[i];
  return 'the spec';
}

function fmt(v: unknown): string {
  // JSON has no NaN or Infinity (JSON.stringify prints null): say what the YAML said.
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return typeof v === 'string' ? `'${v}'` : JSON.stringify(v);
}

export interface Problem {
  readonly code: DiagnosticCode;
  readonly pointer: string;
  readonly part: NodePart;
  readonly message: string;
  readonly hint?: string;
  /** For an unknown key: the known key it is a typo of. */
  readonly meant?: string;
  /** For a missing required key: its name. */
  readonly missing?: string;
  /** The did-you-mean as a fix of the node at `pointer`/`part`. */
  readonly fix?: FixProposal;
}

export function manyKindsProblem(schema: Schema, e: ErrorObject): Problem {
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

/** No branch of a union fits the value: report the value once. */
export function unionProblem(root: Schema, e: ErrorObject): Problem {
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
      fix: didYouMeanFix(bad, names),
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
    return { code: what.code, pointer: ptr, part: 'value', message: `unknown ${what.noun} '${s}'${sugg}`, hint: sugg ? undefined : `known: ${[...names].join(', ')}`, fix: didYouMeanFix(s, names) };
  }
  if (t === 'string' && names.size > 0) {
    const sugg = suggestion(v as string, names);
    return { code: 'DLC013', pointer: ptr, part: 'value', message: `${fmt(v)} is not allowed for ${lastName(ptr)}${sugg}`, hint: `allowed: ${[...names].join(', ')}`, fix: didYouMeanFix(v as string, names) };
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
export function toProblem(e: ErrorObject): Problem | undefined {
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
      return { code: 'DLC010', pointer: childPointer(ptr, key), part: 'key', meant, message: `unknown key '${key}' ${where}${sugg}`, hint: sugg ? undefined : (misplacedHint(key) ?? (allowed.length ? `allowed keys: ${allowed.join(', ')}` : `${name} takes no keys`)), fix: meant === undefined ? undefined : renameFix(key, meant) };
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
      const got = typeof e.data === 'number' && !Number.isFinite(e.data) ? fmt(e.data) : `${TYPE_WORDS[jsType(e.data)]} (${fmt(e.data)})`;
      return { code: 'DLC011', pointer: ptr, part: 'value', message: `${name} must be ${typeof e.data === 'number' && !Number.isFinite(e.data) ? `a finite ${expected.replace(/^an? /, '')}` : expected}, not ${got}`, hint: param ? 'block parameters ($name) work only in the layers of model.blocks' : undefined };
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
      return { code: 'DLC013', pointer: ptr, part: 'value', message: `${fmt(e.data)} is not allowed for ${name}${sugg}`, hint: `allowed: ${allowed.join(', ')}`, fix: typeof e.data === 'string' ? didYouMeanFix(e.data, allowed) : undefined };
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

