/**
 * dlc's JSON Schema, read once from schema/dlc.schema.json (two levels above
 * this module both in src/lsp and in dist/lsp).
 */
import { readFileSync } from 'node:fs';
import type { Schema } from './schema-walk.js';

/** Where the schema file is, as a file: URL. */
export const SCHEMA_URL = new URL('../../schema/dlc.schema.json', import.meta.url);

let cached: Schema | undefined;

/** The parsed schema (an empty schema if the file is missing, so completion offers nothing rather than failing). */
export function loadSchema(): Schema {
  if (cached === undefined) {
    try {
      cached = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as Schema;
    } catch {
      return {};
    }
  }
  return cached;
}
