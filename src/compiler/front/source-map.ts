/**
 * Where every node of the (merged) spec document came from: JSON pointer →
 * file and range of its key and its value. Built by parse, merged by resolve
 * (so a value inherited through `extends` still points into the base file),
 * read by every stage that reports a diagnostic.
 */
import type { JsonPointer } from '../spec.js';
import { escapePointer } from '../shared/json-pointer.js';

/** A 1-based range; endCol is exclusive. */
export interface Range {
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
}

export interface NodeOrigin {
  readonly file: string;
  /** The value node. */
  readonly value: Range;
  /** The key node, when the value is a mapping entry. */
  readonly key?: Range;
}

/** A located position: file plus range. */
export interface Location extends Range {
  readonly file: string;
}

/** Which part of a mapping entry a diagnostic is about: unknown keys point at the key, bad values at the value. */
export type NodePart = 'key' | 'value';

const START: Range = { line: 1, col: 1, endLine: 1, endCol: 1 };

// Pointer escaping lives with the other pure helpers (the language server uses it too).
export { escapePointer, splitPointer } from '../shared/json-pointer.js';

/** Joins a parent pointer and a segment. */
export function childPointer(parent: JsonPointer, segment: string | number): JsonPointer {
  return `${parent}/${escapePointer(segment)}`;
}

/** Pointer → origin, with nearest-ancestor lookup. */
export class SourceMap {
  readonly origins = new Map<JsonPointer, NodeOrigin>();

  constructor(readonly defaultFile: string) {}

  set(pointer: JsonPointer, origin: NodeOrigin): void {
    this.origins.set(pointer, origin);
  }

  get(pointer: JsonPointer): NodeOrigin | undefined {
    return this.origins.get(pointer);
  }

  /** The origin of the node at `pointer`, or of its nearest existing ancestor (and whether it was exact). */
  nearest(pointer: JsonPointer): { origin?: NodeOrigin; exact: boolean } {
    let p = pointer;
    let exact = true;
    for (;;) {
      const o = this.origins.get(p);
      if (o) return { origin: o, exact };
      if (p === '') return { exact: false };
      p = p.slice(0, p.lastIndexOf('/'));
      exact = false;
    }
  }

  /**
   * The position of the node at `pointer` (nearest existing ancestor when
   * absent). `part: 'key'` gives the key of a mapping entry when it has one.
   */
  locate(pointer: JsonPointer, part: NodePart = 'value'): Location {
    const { origin } = this.nearest(pointer);
    if (!origin) return { file: this.defaultFile, ...START };
    const range = part === 'key' && origin.key ? origin.key : origin.value;
    return { file: origin.file, ...range };
  }

  /** Copies every origin under `from` (inclusive) to the same pointers in this map. */
  copySubtree(from: SourceMap, pointer: JsonPointer): void {
    for (const [p, o] of from.origins) {
      if (p === pointer || p.startsWith(pointer + '/')) this.origins.set(p, o);
    }
  }

  /** Removes every origin under `pointer` (inclusive). */
  deleteSubtree(pointer: JsonPointer): void {
    for (const p of [...this.origins.keys()]) {
      if (p === pointer || p.startsWith(pointer + '/')) this.origins.delete(p);
    }
  }
}
