/**
 * Schema-driven completion. While a user types, the document is usually
 * incomplete YAML (a blank line in a mapping, `- ` with nothing after it), so
 * the place is found by writing a marker key at the cursor and parsing that:
 * where the marker lands in the tree is where the user is typing.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import { referencesAt } from './references.js';
import { keysAt, valuesAt, type Schema, type Suggestion } from './schema-walk.js';
import { locate, nodeAt, parseYaml } from './yaml-ast.js';
import { joinPointer } from '../compiler/shared/json-pointer.js';

const MARKER = 'dlc__complete__';

/** What to offer at a position, and the word it replaces. */
export interface CompletionAnswer {
  readonly suggestions: Suggestion[];
  /** Offsets of the partial word under the cursor (replaced by the choice). */
  readonly replaceStart: number;
  readonly replaceEnd: number;
  /** JSON pointer of the mapping/sequence item being completed (for tests and logs). */
  readonly pointer: string;
  /** False when a ':' already follows the word, so a chosen key needs none. */
  readonly keyNeedsColon: boolean;
}

/** Suggestions for the cursor at `offset` in `text`. */
export function completeAt(text: string, offset: number, schema: Schema): CompletionAnswer {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let wordStart = offset;
  while (wordStart > lineStart && /[A-Za-z0-9_]/.test(text[wordStart - 1] ?? '')) wordStart--;
  let wordEnd = offset;
  while (wordEnd < text.length && /[A-Za-z0-9_]/.test(text[wordEnd] ?? '')) wordEnd++;
  const lineEnd = text.indexOf('\n', offset) === -1 ? text.length : text.indexOf('\n', offset);
  const before = text.slice(lineStart, wordStart);
  const after = text.slice(wordEnd, lineEnd);
  // In block context with nothing after the word, make the marker a key so
  // a blank line inside a mapping still parses as that mapping's entry.
  const inFlow = /[{[]/.test(before) && !/[}\]]\s*$/.test(before);
  const needsColon = !inFlow && after.trim() === '' && /^\s*(-\s+)*$/.test(before);
  const probe = text.slice(0, wordStart) + MARKER + (needsColon ? ': ' : '') + text.slice(wordEnd);
  const parsed = parseYaml(probe);
  const at = locate(parsed, wordStart + 1);
  const segs = [...at.segments];
  const base = { replaceStart: wordStart, replaceEnd: wordEnd, keyNeedsColon: !after.trimStart().startsWith(':') };
  const last = segs[segs.length - 1];
  if (at.onKey && last === MARKER) {
    segs.pop();
    const parent = nodeAt(parsed, joinPointer(segs));
    const present = new Set<string>();
    if (isMap(parent)) for (const p of parent.items) if (isScalar(p.key) && p.key.value !== MARKER) present.add(String(p.key.value));
    const keys = keysAt(schema, segs).filter((s) => !present.has(s.label));
    // A lone key in a list item: the item may also be a bare string
    // (`- flatten`), so offer the item's scalar values as well.
    const alone = isMap(parent) && parent.items.length === 1;
    const grand = nodeAt(parsed, joinPointer(segs.slice(0, -1)));
    const values = alone && isSeq(grand) ? valuesAt(schema, segs).filter((v) => !keys.some((k) => k.label === v.label)) : [];
    return { ...base, suggestions: [...keys, ...values], pointer: joinPointer(segs) };
  }
  if (isScalar(at.node) && String(at.node.value) === MARKER) {
    // A value position: enum values, plus (for a list item that may be a
    // single-key mapping, like a layer) the keys it may start with.
    const refs = referencesAt(parsed, segs);
    if (refs) return { ...base, suggestions: refs, pointer: joinPointer(segs) };
    const parent = nodeAt(parsed, joinPointer(segs.slice(0, -1)));
    const values = valuesAt(schema, segs);
    const keys = isSeq(parent) ? keysAt(schema, segs).filter((k) => !values.some((v) => v.label === k.label)) : [];
    return { ...base, suggestions: [...values, ...keys], pointer: joinPointer(segs) };
  }
  return { ...base, suggestions: [], pointer: joinPointer(segs) };
}
