/**
 * Turning values into TypeScript/JSON source text. Every value from a spec
 * that reaches emitted code goes through one of these, so a spec string can
 * only ever become a quoted string literal, never code.
 */

/**
 * A string as a JS/TS/JSON string literal. JSON.stringify escapes quotes,
 * backslashes and control characters; U+2028/U+2029 are escaped as well
 * because they end a `//` comment line in JS (they are legal inside JSON
 * strings, so JSON.stringify leaves them alone).
 */
export function jsString(value: string): string {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A finite number as a literal; throws on NaN/Infinity (never valid in a spec that compiled). */
export function jsNumber(value: number): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`codegen: expected a finite number, got ${String(value)}`);
  return JSON.stringify(value);
}

/** An integer literal; throws on anything else. */
export function jsInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`codegen: expected an integer, got ${String(value)}`);
  return String(value);
}

/** `[1, 2, 3]` from finite numbers. */
export function jsNumberArray(values: readonly number[]): string {
  return `[${values.map(jsNumber).join(', ')}]`;
}

/** A string that must be one of `allowed` (an enum from the Spec types), as a literal. */
export function jsEnum<T extends string>(value: T, allowed: readonly T[]): string {
  if (!allowed.includes(value)) throw new Error(`codegen: unexpected value ${jsString(String(value))}`);
  return jsString(value);
}

/**
 * Any JSON-able value (plain objects, arrays, strings, finite numbers,
 * booleans, null) as a literal in TS source, pretty-printed and indented so it
 * can sit at `indent` inside code. Strings go through `jsString`.
 */
export function jsValue(value: unknown, indent = ''): string {
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`codegen: non-finite number in literal`);
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype) {
      throw new Error('codegen: only plain objects can become literals');
    }
    return v;
  }, 2);
  if (text === undefined) throw new Error('codegen: value has no literal form');
  return text.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029').split('\n').join('\n' + indent);
}

/**
 * Text for a `//` line comment. Control characters (newlines above all) and
 * U+2028/9 would end the comment, so the text is shown JSON-quoted when it
 * contains anything but plain printable characters.
 */
export function commentText(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : jsString(value);
}

/** Markdown code blocks are target-neutral (../common/markdown.ts); re-exported for the views. */
export { markdownCodeBlock } from '../common/markdown.js';

/** Object keys that need no quotes in TS source. */
const BARE_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Any JSON-able value as a TypeScript literal laid out like hand-written
 * code: bare keys where possible, short objects and arrays on one line,
 * longer ones one entry per line with trailing commas. Strings go through
 * `jsString`, numbers through `jsNumber`; `indent` is the indentation of the
 * line the literal starts on.
 */
export function tsLiteral(value: unknown, indent = '', width = 100): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return jsString(value);
  if (typeof value === 'number') return jsNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    const items = value.map((v) => tsLiteral(v, inner, width));
    const flat = `[${items.join(', ')}]`;
    if (items.length === 0 || (!flat.includes('\n') && indent.length + flat.length <= width)) return flat;
    return `[\n${items.map((i) => `${inner}${i},`).join('\n')}\n${indent}]`;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]): [string, unknown] => {
        // `__proto__: x` in an object literal sets the prototype instead of a key.
        if (k === '__proto__') throw new Error('codegen: refusing a __proto__ key in a literal');
        return [k, v];
      })
      .map(([k, v]) => `${BARE_KEY.test(k) ? k : jsString(k)}: ${tsLiteral(v, inner, width)}`);
    const flat = entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
    if (!flat.includes('\n') && indent.length + flat.length <= width) return flat;
    return `{\n${entries.map((e) => `${inner}${e},`).join('\n')}\n${indent}}`;
  }
  throw new Error(`codegen: a ${typeof value} has no literal form`);
}
