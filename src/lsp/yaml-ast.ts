/**
 * Maps between editor offsets and JSON pointers through the YAML AST. The
 * compiler speaks in pointers ("/model/layers/3"); an editor speaks in
 * offsets. These two functions are the whole bridge.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { joinPointer, splitPointer } from '../compiler/shared/json-pointer.js';

/** A parsed document plus the line table its offsets need. */
export interface ParsedYaml {
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
  readonly text: string;
}

/** Parses leniently (errors are the compiler's job; here we only need the tree). */
export function parseYaml(text: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, strict: false, prettyErrors: false });
  return { doc, lines, text };
}

/** Where an offset falls: the pointer segments and whether it is on a key. */
export interface Located {
  /** Segments of the JSON pointer of the deepest node containing the offset. */
  readonly segments: readonly string[];
  /** True when the offset is on a mapping key (then `segments` ends with that key). */
  readonly onKey: boolean;
  /** The node itself (absent for a key with no value). */
  readonly node?: Node;
}

function contains(node: Node | null | undefined, offset: number): boolean {
  if (!node?.range) return false;
  // nodeEnd (range[2]) includes trailing comments/newline; an offset right at
  // the end of a value (cursor after the last character) still belongs to it.
  return offset >= node.range[0] && offset <= node.range[1];
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

/** Finds the deepest node at `offset` and its pointer. */
export function locate(parsed: ParsedYaml, offset: number): Located {
  const segments: string[] = [];
  let node = parsed.doc.contents as Node | null;
  for (;;) {
    if (isMap(node)) {
      let next: Node | undefined;
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        const value = pair.value as Node | null;
        if (key && contains(key, offset)) {
          segments.push(keyText(key));
          return { segments, onKey: true, node: value ?? undefined };
        }
        if (value && contains(value, offset)) {
          segments.push(keyText(key));
          next = value;
          break;
        }
      }
      if (!next) return { segments, onKey: false, node };
      node = next;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((it) => contains(it as Node, offset));
      if (i < 0) return { segments, onKey: false, node };
      segments.push(String(i));
      node = node.items[i] as Node;
    } else {
      return { segments, onKey: false, node: node ?? undefined };
    }
  }
}

/** The AST node at a pointer, or undefined when absent. */
export function nodeAt(parsed: ParsedYaml, pointer: string): Node | undefined {
  let node: unknown = parsed.doc.contents;
  for (const seg of splitPointer(pointer)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === seg);
      node = pair?.value;
    } else if (isSeq(node)) {
      node = node.items[Number(seg)];
    } else {
      return undefined;
    }
  }
  return (node ?? undefined) as Node | undefined;
}

/** The key node of the pair at `pointer` (a mapping entry), if there is one. */
export function keyNodeAt(parsed: ParsedYaml, pointer: string): Node | undefined {
  const segs = splitPointer(pointer);
  const last = segs.pop();
  const parent = nodeAt(parsed, joinPointer(segs));
  if (!isMap(parent) || last === undefined) return undefined;
  const pair = parent.items.find((p) => keyText(p.key) === last);
  return (pair?.key ?? undefined) as Node | undefined;
}

/** Zero-based line/character of an offset (LSP positions). */
export function positionOf(parsed: ParsedYaml, offset: number): { line: number; character: number } {
  const p = parsed.lines.linePos(offset);
  return { line: p.line - 1, character: p.col - 1 };
}

/** Zero-based range of a node's value (without trailing comments or line breaks). */
export function rangeOf(parsed: ParsedYaml, node: Node): { start: { line: number; character: number }; end: { line: number; character: number } } {
  const [start, valueEnd] = node.range ?? [0, 0];
  // A block collection's value ends after its last line break; an editor
  // range should end on the last character instead.
  let end = valueEnd;
  while (end > start && /\s/.test(parsed.text[end - 1] ?? '')) end--;
  return { start: positionOf(parsed, start), end: positionOf(parsed, end) };
}
