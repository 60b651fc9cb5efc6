/**
 * Python source text for values: every spec value that reaches an emitted .py file goes
 * through one of these, so a spec string only ever becomes a quoted string literal or
 * comment text, never code.
 */

/**
 * A string as a Python string literal. JSON.stringify's escapes (\" \\ \b \f \n \r \t
 * \uXXXX) are all valid Python escapes with the same meaning, and it escapes every
 * control character; lone surrogates come out as \udXXX, which Python also accepts.
 */
export function pyString(value: string): string {
  if (typeof value !== 'string') throw new Error(`codegen: expected a string, got ${typeof value}`);
  return JSON.stringify(value);
}

/** A finite number as a Python literal (JavaScript's shortest round-trip form is valid Python). */
export function pyNumber(value: number): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`codegen: expected a finite number, got ${String(value)}`);
  return JSON.stringify(value);
}

/** An integer literal. */
export function pyInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`codegen: expected an integer, got ${String(value)}`);
  return String(value);
}

/** `(1, 2)` from integers (a one-element tuple keeps its comma). */
export function pyIntTuple(values: readonly number[]): string {
  const items = values.map(pyInteger);
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/** True / False. */
export function pyBool(value: boolean): string {
  if (typeof value !== 'boolean') throw new Error(`codegen: expected a boolean, got ${typeof value}`);
  return value ? 'True' : 'False';
}

/**
 * Text that is safe in a `#` comment: Python ends a comment at \n or \r (and the source
 * may not hold NUL), so those and every other control character become spaces; lone
 * surrogates (not encodable as UTF-8) become U+FFFD.
 */
export function pyCommentText(value: string): string {
  // eslint-disable-next-line no-control-regex
  return String(value)
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    // A lone surrogate cannot be written as UTF-8: U+FFFD instead.
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
