import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/compiler/front/schema/build.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../schema/dlc.schema.json', import.meta.url));

/** Every property schema reachable from the root (through properties, items, anyOf, definitions). */
function* properties(s: Record<string, unknown>, path = '#'): Generator<[string, Record<string, unknown>]> {
  const props = s.properties as Record<string, Record<string, unknown>> | undefined;
  if (props) for (const [k, v] of Object.entries(props)) {
    yield [`${path}/${k}`, v];
    yield* properties(v, `${path}/${k}`);
  }
  for (const key of ['items', 'additionalProperties'] as const) {
    const v = s[key];
    if (v && typeof v === 'object') yield* properties(v as Record<string, unknown>, `${path}/${key}`);
  }
  if (Array.isArray(s.anyOf)) for (const [i, b] of (s.anyOf as Record<string, unknown>[]).entries()) yield* properties(b, `${path}/anyOf/${i}`);
  const defs = s.definitions as Record<string, Record<string, unknown>> | undefined;
  if (defs) for (const [k, v] of Object.entries(defs)) yield* properties(v, `#/definitions/${k}`);
}

describe('schema/dlc.schema.json', () => {
  it('is the checked-in output of buildSchema() (DLC_UPDATE_SCHEMA=1 rewrites it)', () => {
    const want = JSON.stringify(buildSchema(), null, 2) + '\n';
    if (process.env.DLC_UPDATE_SCHEMA) writeFileSync(SCHEMA_FILE, want);
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(want);
  });

  it('is draft-07 and closed: additionalProperties false on every object with properties', () => {
    const schema = buildSchema();
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    for (const [path, p] of properties(schema)) {
      if (p.properties) expect(p.additionalProperties, path).toBe(false);
    }
  });

  it('describes every property (description and markdownDescription) so editors can explain it', () => {
    for (const [path, p] of properties(buildSchema())) {
      if (typeof p.$ref === 'string') continue; // described at its definition
      expect(typeof p.description, path).toBe('string');
      expect(typeof p.markdownDescription, path).toBe('string');
      // Something an editor can offer: a default, the allowed values, or examples.
      expect(p.default !== undefined || Array.isArray(p.enum) || Array.isArray(p.examples) || p.properties !== undefined, path).toBe(true);
    }
  });
});
