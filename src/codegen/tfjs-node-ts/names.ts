/**
 * TypeScript identifiers for the tfjs-node-ts target: the rules (pattern and
 * reserved words) handed to the target-neutral identifier scope of
 * ../common/identifiers.ts.
 */
import { checkIdentifierIn, sanitizeIdentifierIn, ScopeOf, type IdentifierRules } from '../common/identifiers.js';

/** What every emitted identifier must match. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reserved words of JS/TS (strict mode) plus globals an emitted file must not shadow. */
const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null',
  'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'as',
  'implements', 'interface', 'let', 'package', 'private', 'protected', 'public', 'static', 'yield', 'await',
  'any', 'boolean', 'number', 'string', 'symbol', 'type', 'from', 'of', 'async', 'declare', 'module', 'namespace',
  'require', 'undefined', 'NaN', 'Infinity', 'arguments', 'eval', 'globalThis', 'process', 'console', 'tf',
]);

/** TypeScript's identifier rules. */
export const TS_IDENTIFIERS: IdentifierRules = { pattern: IDENTIFIER, reserved: RESERVED };

/** Asserts `name` is a valid identifier; returns it. */
export function checkIdentifier(name: string): string {
  return checkIdentifierIn(TS_IDENTIFIERS, name);
}

/** Best-effort identifier from arbitrary text: invalid characters become '_', a leading digit gets '_'. */
export function sanitizeIdentifier(text: string): string {
  return sanitizeIdentifierIn(TS_IDENTIFIERS, text);
}

/** Unique TypeScript identifiers in one scope (see ScopeOf). */
export class IdentifierScope extends ScopeOf {
  constructor(reserved: readonly string[] = []) {
    super(TS_IDENTIFIERS, reserved);
  }
}
