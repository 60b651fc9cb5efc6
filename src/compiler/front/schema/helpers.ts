/**
 * Small builders for JSON Schema (draft-07) fragments. The schema is written
 * in TypeScript with these so every property gets the same treatment —
 * description, markdownDescription, type, range, default, examples — and so
 * normalize can read the very same defaults (see defaults.ts).
 */
export type Schema = { [key: string]: unknown };

export interface PropOptions {
  readonly default?: unknown;
  readonly examples?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  /** Extra markdown appended to the description in editors. */
  readonly markdown?: string;
}

/** Adds description + markdownDescription (+ default/examples) to a schema. */
export function describe(schema: Schema, description: string, o: PropOptions = {}): Schema {
  const out: Schema = { ...schema, description };
  if (o.minimum !== undefined) out.minimum = o.minimum;
  if (o.maximum !== undefined) out.maximum = o.maximum;
  if (o.exclusiveMinimum !== undefined) out.exclusiveMinimum = o.exclusiveMinimum;
  if (o.default !== undefined) out.default = o.default;
  if (o.examples !== undefined) out.examples = [...o.examples];
  const md = [description];
  if (o.markdown) md.push(o.markdown);
  if (o.default !== undefined) md.push(`Default: \`${JSON.stringify(o.default)}\``);
  out.markdownDescription = md.join('\n\n');
  return out;
}

export const integer = (description: string, o: PropOptions = {}): Schema => describe({ type: 'integer' }, description, o);
export const number = (description: string, o: PropOptions = {}): Schema => describe({ type: 'number' }, description, o);
export const boolean = (description: string, o: PropOptions = {}): Schema => describe({ type: 'boolean' }, description, o);
export const string = (description: string, o: PropOptions & { pattern?: string } = {}): Schema =>
  describe(o.pattern ? { type: 'string', pattern: o.pattern } : { type: 'string' }, description, o);

/** A closed set of strings. */
export function enumOf(values: readonly string[], description: string, o: PropOptions = {}): Schema {
  return describe({ type: 'string', enum: [...values] }, description, o);
}

/** An array of fixed or bounded length. */
export function array(items: Schema, description: string, o: PropOptions & { minItems?: number; maxItems?: number } = {}): Schema {
  const s: Schema = { type: 'array', items };
  if (o.minItems !== undefined) s.minItems = o.minItems;
  if (o.maxItems !== undefined) s.maxItems = o.maxItems;
  return describe(s, description, o);
}

/** A closed mapping (additionalProperties: false). */
export function object(properties: Record<string, Schema>, description: string, o: PropOptions & { required?: readonly string[]; nullable?: boolean } = {}): Schema {
  const s: Schema = { type: o.nullable ? ['object', 'null'] : 'object', properties, additionalProperties: false };
  if (o.required && o.required.length) s.required = [...o.required];
  return describe(s, description, o);
}

/** One of several forms (shorthand scalar or full mapping). Always anyOf: oneOf error lists are useless to users. */
export function anyOf(branches: readonly Schema[], description: string, o: PropOptions = {}): Schema {
  return describe({ anyOf: [...branches] }, description, o);
}

/** `int | [h, w]`: a square or rectangular 2-D size. */
export function pair(description: string, o: PropOptions & { min?: number } = {}): Schema {
  const min = o.min ?? 1;
  return anyOf(
    [
      { type: 'integer', minimum: min, description: 'The same value for height and width.' },
      { type: 'array', items: { type: 'integer', minimum: min }, minItems: 2, maxItems: 2, description: '[height, width]' },
    ],
    description,
    o,
  );
}

/** Pattern of a block parameter reference, `$filters`. */
export const PARAM_REF_PATTERN = '^\\$[A-Za-z_][A-Za-z0-9_]*$';

const PARAM_REF: Schema = {
  type: 'string',
  pattern: PARAM_REF_PATTERN,
  description: 'A block parameter, e.g. `$filters`, replaced by the value given in `with` (or the parameter default).',
};

/**
 * The same schema, but every scalar (and every array) may also be a block
 * parameter reference `$name`: the form layers take inside `model.blocks`.
 */
export function paramable(schema: Schema): Schema {
  if (typeof schema.$ref === 'string') {
    const d = 'See the definition; inside a block this may also be a block parameter (`$name`).';
    return /layer_(name|inputs)$/.test(schema.$ref) ? schema : { anyOf: [schema, PARAM_REF], description: d, markdownDescription: d, examples: ['$' + schema.$ref.split('/').pop()] };
  }
  if (Array.isArray(schema.anyOf)) {
    return { ...schema, anyOf: [...(schema.anyOf as Schema[]).map(paramable), PARAM_REF] };
  }
  const type = schema.type;
  if (type === 'object' || (Array.isArray(type) && type.includes('object'))) {
    const props = schema.properties as Record<string, Schema> | undefined;
    if (!props) return schema;
    const out: Record<string, Schema> = {};
    for (const [k, v] of Object.entries(props)) out[k] = k === 'name' || k === 'inputs' ? v : paramable(v);
    return { ...schema, properties: out };
  }
  if (type === 'array') {
    const { description, markdownDescription, default: def, examples, ...rest } = schema;
    const items = rest.items as Schema;
    const arr: Schema = { ...rest, items: paramable(items) };
    const meta: Schema = { description, markdownDescription };
    if (def !== undefined) meta.default = def;
    if (examples !== undefined) meta.examples = examples;
    return { ...meta, anyOf: [arr, PARAM_REF] };
  }
  if (type === 'integer' || type === 'number' || type === 'string' || type === 'boolean') {
    const { description, markdownDescription, default: def, examples, ...rest } = schema;
    const meta: Schema = { description, markdownDescription };
    if (def !== undefined) meta.default = def;
    if (examples !== undefined) meta.examples = examples;
    return { ...meta, anyOf: [rest, PARAM_REF] };
  }
  return schema;
}

/**
 * Examples of a kind's value for editors: its shorthand (if any), then a
 * mapping of its required attributes (each attribute's first example).
 */
export function kindExamples(attrs: Record<string, Schema>, required: readonly string[] | undefined, shorthand: Schema | undefined): unknown[] {
  const out: unknown[] = [];
  const short = (shorthand?.examples as unknown[] | undefined)?.[0];
  if (short !== undefined) out.push(short);
  const mapping: Record<string, unknown> = {};
  for (const r of required ?? []) {
    const ex = (attrs[r]?.examples as unknown[] | undefined)?.[0];
    if (ex !== undefined) mapping[r] = ex;
  }
  if (Object.keys(mapping).length) out.push(mapping);
  return out;
}

/** A union of a shorthand and the full mapping, described and exemplified. */
export function shorthandOr(shorthand: Schema | undefined, attrs: Schema, description: string, examples: unknown[]): Schema {
  const base: Schema = shorthand ? { anyOf: [shorthand, attrs], description, markdownDescription: description } : attrs;
  return examples.length ? { ...base, examples } : base;
}
