/**
 * Every declared loss, optimizer, schedule, metric and transform kind, in a
 * loop: the schema has its branch, its schema defaults are its declared
 * defaults (and validate), normalisation fills them in and expands the
 * shorthand, and `dlc config`'s YAML compiles back to the same spec.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/compile.js';
import { documentToYaml, specToDocument } from '../../../src/compiler/front/denormalize.js';
import { buildSchema } from '../../../src/compiler/front/schema/build.js';
import { anyFamily, LOSSES, METRICS, normalizeKind, OPTIMIZERS, SCHEDULES, TRANSFORMS, type AnyFamily, type AnyKindDecl } from '../../../src/compiler/kinds/index.js';
import type { Spec } from '../../../src/compiler/spec.js';

type Obj = Record<string, unknown>;
type Schema = Record<string, unknown>;

interface FamilyCase {
  readonly family: AnyFamily;
  /** The schema of one item of the family. */
  readonly itemSchema: (root: Schema) => Schema;
  /** A spec document (YAML flow) holding `item` (a JSON value). */
  readonly yaml: (item: string) => string;
  /** The normalised item in a compiled spec. */
  readonly pick: (s: Spec) => Obj;
}

const HEAD = 'name: t\ndata: {dataset: mnist}\nmodel: {layers: [flatten, {dense: {units: 10}}]}\n';
const defs = (root: Schema) => root.definitions as Record<string, Schema>;
const props = (root: Schema) => root.properties as Record<string, Schema>;

const FAMILIES: Record<string, FamilyCase> = {
  loss: { family: anyFamily(LOSSES), itemSchema: (r) => props(r).loss, yaml: (i) => `${HEAD}loss: ${i}\n`, pick: (s) => s.loss as unknown as Obj },
  optimizer: { family: anyFamily(OPTIMIZERS), itemSchema: (r) => props(r).optimizer, yaml: (i) => `${HEAD}optimizer: ${i}\n`, pick: (s) => s.optimizer as unknown as Obj },
  schedule: { family: anyFamily(SCHEDULES), itemSchema: (r) => props(r).schedule, yaml: (i) => `${HEAD}schedule: ${i}\n`, pick: (s) => s.schedule as unknown as Obj },
  metric: { family: anyFamily(METRICS), itemSchema: (r) => defs(r).metric, yaml: (i) => `${HEAD}metrics: [${i}]\n`, pick: (s) => s.metrics[0] as unknown as Obj },
  transform: {
    family: anyFamily(TRANSFORMS),
    itemSchema: (r) => defs(r).transform,
    yaml: (i) => `name: t\ndata: {dataset: mnist, transforms: {train: [${i}], eval: [${i}]}}\nmodel: {layers: [flatten, {dense: {units: 10}}]}\n`,
    pick: (s) => {
      const { path, ...t } = s.data.transforms.train[0] as unknown as Obj;
      expect(path).toBe('/data/transforms/train/0');
      return t;
    },
  },
};

const compileOk = (yaml: string): Spec => {
  const r = compile(yaml, { file: 'spec.yaml', noLower: true });
  expect(r.diagnostics.map((d) => `${d.code} ${d.path}: ${d.message}`)).toEqual([]);
  return r.spec!;
};

/** The declaration's required attributes, each set to its first schema example. */
const requiredValues = (decl: AnyKindDecl): Obj =>
  Object.fromEntries(
    (decl.required ?? []).map((k) => {
      const ex = (decl.attrs[k].examples as unknown[] | undefined)?.[0];
      expect(ex, `${decl.kind}.${k} has an example`).toBeDefined();
      return [k, ex];
    }),
  );

/** The branch of a one-key union that holds `kind`. */
const branchOf = (union: Schema, kind: string): Schema | undefined =>
  (union.anyOf as Schema[]).find((b) => (b.properties as Record<string, Schema> | undefined)?.[kind] !== undefined);

/** The attribute mapping schema inside a kind's branch (past the shorthand anyOf, if any). */
const attrsSchemaOf = (branch: Schema, kind: string): Schema => {
  const v = (branch.properties as Record<string, Schema>)[kind];
  const forms = (v.anyOf as Schema[] | undefined) ?? [v];
  const mapping = forms.find((f) => f.properties !== undefined);
  expect(mapping, `${kind} has an attribute mapping`).toBeDefined();
  return mapping!;
};

describe.each(Object.entries(FAMILIES))('%s kinds', (name, fc) => {
  const root = buildSchema();
  const union = fc.itemSchema(root);
  const kinds = Object.entries(fc.family);

  it('are registered under their own kind and number more than one', () => {
    expect(kinds.length).toBeGreaterThan(1);
    for (const [key, decl] of kinds) expect(decl.kind, name).toBe(key);
  });

  it.each(kinds)('%s: has a schema branch whose attributes and defaults are the declaration’s', (kind, decl) => {
    const branch = branchOf(union, kind);
    expect(branch, `${name} ${kind} branch`).toBeDefined();
    const attrs = attrsSchemaOf(branch!, kind);
    expect(Object.keys(attrs.properties as Obj)).toEqual(Object.keys(decl.attrs));
    expect(attrs.required ?? []).toEqual(decl.required ?? []);
    const schemaDefaults = Object.fromEntries(Object.entries(attrs.properties as Record<string, Schema>).filter(([, s]) => s.default !== undefined).map(([k, s]) => [k, s.default]));
    expect(schemaDefaults).toEqual(decl.defaults);
    // A kind with nothing required may be written bare.
    const bare = (union.anyOf as Schema[]).find((b) => Array.isArray(b.enum));
    expect(((bare?.enum as string[] | undefined) ?? []).includes(kind)).toBe(!decl.required?.length);
  });

  it.each(kinds)('%s: normalises to its defaults plus what is given; the defaults validate', (kind, decl) => {
    const req = requiredValues(decl);
    const want = { kind, ...decl.defaults, ...req };
    expect(fc.pick(compileOk(fc.yaml(JSON.stringify({ [kind]: req }))))).toEqual(want);
    // Everything spelled out (the defaults as given values) is schema-valid and changes nothing.
    expect(fc.pick(compileOk(fc.yaml(JSON.stringify({ [kind]: { ...decl.defaults, ...req } }))))).toEqual(want);
    if (!decl.required?.length) {
      expect(fc.pick(compileOk(fc.yaml(kind)))).toEqual(want);
      expect(fc.pick(compileOk(fc.yaml(JSON.stringify({ [kind]: null }))))).toEqual(want);
    }
    if (decl.shorthand) {
      const ex = (decl.shorthand.schema.examples as unknown[])[0];
      expect(ex, `${kind} shorthand example`).toBeDefined();
      expect(fc.pick(compileOk(fc.yaml(JSON.stringify({ [kind]: ex }))))).toEqual({ ...want, [decl.shorthand.key]: ex });
      expect(normalizeKind(decl, ex)).toEqual(normalizeKind(decl, { ...req, [decl.shorthand.key]: ex }));
    }
  });

  it.each(kinds)('%s: round-trips through dlc config', (kind, decl) => {
    const spec = compileOk(fc.yaml(JSON.stringify({ [kind]: requiredValues(decl) })));
    const yaml = documentToYaml(specToDocument(spec));
    expect(compileOk(yaml)).toEqual(spec);
  });

  it.each(kinds)('%s: rejects an attribute it does not declare', (kind, decl) => {
    const r = compile(fc.yaml(JSON.stringify({ [kind]: { ...requiredValues(decl), not_an_attribute: 1 } })), { file: 'spec.yaml', noLower: true });
    expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });
});

describe('normalizeKind', () => {
  it('puts the defaults first in their order, then the required attributes, then the others in the given order, copying lists', () => {
    const sgd = anyFamily(OPTIMIZERS).sgd;
    const given = { clip_value: 0.5, momentum: 0.9, clip_norm: 1 };
    expect(Object.keys(normalizeKind(sgd, given))).toEqual(['kind', 'weight_decay', 'learning_rate', 'momentum', 'nesterov', 'clip_value', 'clip_norm']);
    const milestones = [3, 6];
    const out = normalizeKind(anyFamily(SCHEDULES).multi_step, { milestones });
    expect(out).toEqual({ kind: 'multi_step', gamma: 0.1, warmup_epochs: 0, milestones: [3, 6] });
    expect(out.milestones).not.toBe(milestones);
    expect(Object.keys(normalizeKind(anyFamily(TRANSFORMS).normalize, { std: [1], mean: [0] }))).toEqual(['kind', 'mean', 'std']);
  });

  it('treats null attributes as absent', () => {
    expect(normalizeKind(anyFamily(LOSSES).huber, { delta: null })).toEqual({ kind: 'huber', delta: 1 });
  });
});
