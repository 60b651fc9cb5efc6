/**
 * dlc's JSON Schema for completion: the very object the compiler validates
 * against (schema/dlc.schema.json is this object, checked in), so completion
 * can never drift from what `dlc check` accepts.
 */
import { buildSchema } from '../compiler/compile.js';
import type { Schema } from './schema-walk.js';

let cached: Schema | undefined;

/** The schema, built once per process. */
export function loadSchema(): Schema {
  cached ??= buildSchema() as Schema;
  return cached;
}
