/**
 * Reads and parses one spec file: bytes → UTF-8 text → YAML document → plain
 * data plus a SourceMap of every node's position. Hostile input is turned
 * into diagnostics, never exceptions: huge files, invalid UTF-8, syntax
 * errors, duplicate keys, alias bombs, a root that is not a mapping.
 */
import { FileReadError, describeIoError, readFileBounded } from '../shared/bounded-read.js';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostics.js';
import { diag, fileStart } from '../diagnostics/report.js';
import { childPointer, SourceMap, type Range } from './source-map.js';

/** Largest spec file accepted: specs are small; anything bigger is a mistake or an attack. */
export const MAX_SPEC_BYTES = 1024 * 1024;
/** Most nodes expanded through aliases: a legit spec uses a handful. */
export const MAX_ALIAS_NODES = 10_000;

export interface ReadResult {
  readonly text?: string;
  readonly diagnostics: Diagnostic[];
}

/** Offset of the first byte that is not valid UTF-8, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return -1;
  } catch {
    // Find where: decode growing prefixes by code-point boundaries.
  }
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0 || i + len > bytes.length) return i;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + len));
    } catch {
      return i;
    }
    i += len;
  }
  return bytes.length;
}

/** 1-based line/col of a byte offset in a valid UTF-8 prefix. */
function positionOfByte(bytes: Uint8Array, offset: number): { line: number; col: number } {
  const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
  const lines = prefix.split('\n');
  return { line: lines.length, col: lines[lines.length - 1].length + 1 };
}

/** DLC005 for a file of `size` bytes. */
export function tooLarge(size: number, file: string): ReadResult {
  return {
    diagnostics: [diag('DLC005', `file is ${size} bytes; specs are limited to ${MAX_SPEC_BYTES} bytes (1 MiB)`, fileStart(file), '', 'a spec is a short YAML file; is this the right path?')],
  };
}

/** Decodes spec bytes, reporting DLC005 (too large) and DLC006 (not UTF-8). */
export function decodeSpecBytes(bytes: Uint8Array, file: string): ReadResult {
  if (bytes.length > MAX_SPEC_BYTES) return tooLarge(bytes.length, file);
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const { line, col } = positionOfByte(bytes, bad);
    const hex = bytes[bad].toString(16).padStart(2, '0');
    return {
      diagnostics: [diag('DLC006', `file is not valid UTF-8 (byte 0x${hex} at offset ${bad})`, { file, line, col, endLine: line, endCol: col + 1 }, '', 'save the file as UTF-8')],
    };
  }
  let text = new TextDecoder('utf-8').decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text, diagnostics: [] };
}

/**
 * Reads a spec file from disk (DLC007 when missing, unreadable or not a
 * regular file; DLC005 when too large). Reads through the bounded reader:
 * a FIFO or /dev/zero is refused without a read, and no more than
 * MAX_SPEC_BYTES + 1 bytes are ever read, whatever `stat` says.
 */
export function readSpecFile(absPath: string, file: string): ReadResult {
  let bytes: Uint8Array;
  try {
    bytes = readFileBounded(absPath, { limit: MAX_SPEC_BYTES, display: file, what: 'spec' });
  } catch (err) {
    if (err instanceof FileReadError && err.code === 'EFBIG') {
      return { diagnostics: [diag('DLC005', `'${file}' is too large: ${err.reason.replace(/^it is /, '')}`, fileStart(file), '', 'a spec is a short YAML file; is this the right path?')] };
    }
    if (err instanceof FileReadError && err.code === 'EISDIR') return { diagnostics: [diag('DLC007', `'${file}' is a directory, not a spec file`, fileStart(file), '')] };
    const why = err instanceof FileReadError ? err.reason : describeIoError(err, absPath);
    return { diagnostics: [diag('DLC007', `cannot read '${file}': ${why}`, fileStart(file), '')] };
  }
  return decodeSpecBytes(bytes, file);
}

export interface ParsedSpec {
  readonly file: string;
  readonly text: string;
  /** The document as plain data (undefined when it could not be parsed). */
  readonly data?: unknown;
  readonly sourceMap: SourceMap;
  readonly diagnostics: Diagnostic[];
  /** True when the document is usable for validation (no syntax error, root is a mapping). */
  readonly ok: boolean;
}

class AliasBomb extends Error {
  constructor(readonly node: Node) {
    super('alias bomb');
  }
}

/** Parses YAML text into data + positions. */
export function parseSpec(text: string, file: string): ParsedSpec {
  const lineCounter = new LineCounter();
  const sourceMap = new SourceMap(file);
  const diagnostics: Diagnostic[] = [];
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, keepSourceTokens: false });
  const rangeOf = (start: number, end: number): Range => {
    const s = lineCounter.linePos(start);
    const e = lineCounter.linePos(Math.max(end, start));
    return { line: s.line, col: s.col, endLine: e.line, endCol: e.col };
  };

  let fatal = false;
  for (const err of doc.errors) {
    const dup = err.code === 'DUPLICATE_KEY';
    if (!dup) fatal = true;
    let message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    if (/call stack/i.test(message)) message = 'the document is nested too deeply';
    // yaml marks one character of a duplicate key; take the whole key (plain or quoted).
    const keyText = dup ? (/^("[^"]*"|'[^']*'|[^:,\n{}[\]]+)/.exec(text.slice(err.pos[0]))?.[1] ?? '').trim() : '';
    const loc = { file, ...rangeOf(err.pos[0], dup && keyText ? err.pos[0] + keyText.length : err.pos[1]) };
    diagnostics.push(
      dup ? diag('DLC002', `duplicate key ${/^["']/.test(keyText) ? keyText : `'${keyText}'`}`, loc, '', 'a key may appear once in a mapping; the later value would silently win — remove one')
        : diag('DLC001', `YAML syntax error: ${message}`, loc, ''),
    );
  }
  if (fatal) return { file, text, sourceMap, diagnostics, ok: false };

  const root = doc.contents as Node | null;
  if (!root || (isScalar(root) && root.value === null)) {
    diagnostics.push(diag('DLC003', 'the spec is empty; it must be a mapping with at least name, data and model', fileStart(file), ''));
    return { file, text, sourceMap, diagnostics, ok: false };
  }

  let aliasNodes = 0;
  const build = (node: Node | null | undefined, pointer: string, viaAlias: boolean, keyRange?: Range): unknown => {
    if (!node) return null;
    const range = node.range ? rangeOf(node.range[0], node.range[1]) : undefined;
    if (range && !viaAlias) sourceMap.set(pointer, { file, value: range, ...(keyRange ? { key: keyRange } : {}) });
    if (viaAlias && ++aliasNodes > MAX_ALIAS_NODES) throw new AliasBomb(node);
    if (isAlias(node)) {
      const target = node.resolve(doc as Document);
      if (!target) return null;
      if (++aliasNodes > MAX_ALIAS_NODES) throw new AliasBomb(node);
      try {
        return build(target as Node, pointer, true);
      } catch (e) {
        // Report the outermost alias in the document, where the user can see it.
        if (e instanceof AliasBomb && !viaAlias) throw new AliasBomb(node);
        throw e;
      }
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const k = pair.key as Node | null;
        const key = isScalar(k) ? String(k.value) : k === null ? '' : JSON.stringify((k as { toJSON(): unknown }).toJSON());
        const kr = k?.range ? rangeOf(k.range[0], k.range[1]) : undefined;
        const child = childPointer(pointer, key);
        const value = pair.value as Node | null;
        if (value === null && kr && !viaAlias) sourceMap.set(child, { file, value: { line: kr.endLine, col: kr.endCol, endLine: kr.endLine, endCol: kr.endCol }, key: kr });
        // defineProperty: a `__proto__` key is data, never the object's prototype.
        Object.defineProperty(out, key, { value: build(value, child, viaAlias, kr), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    if (isSeq(node)) return node.items.map((item, i) => build(item as Node, childPointer(pointer, i), viaAlias));
    if (isScalar(node)) return typeof node.value === 'bigint' ? Number(node.value) : node.value;
    return null;
  };

  let data: unknown;
  try {
    data = build(root, '', false);
  } catch (e) {
    if (e instanceof RangeError) {
      diagnostics.push(diag('DLC001', 'YAML syntax error: the document is nested too deeply', fileStart(file), ''));
      return { file, text, sourceMap, diagnostics, ok: false };
    }
    if (!(e instanceof AliasBomb)) throw e;
    const r = e.node.range ? rangeOf(e.node.range[0], e.node.range[1]) : fileStart(file);
    diagnostics.push(diag('DLC004', `too many YAML aliases: expanding them exceeds ${MAX_ALIAS_NODES} nodes (a possible alias bomb)`, { file, ...r }, '', 'specs rarely need aliases; write the values out'));
    return { file, text, sourceMap, diagnostics, ok: false };
  }

  if (!isMap(root)) {
    const kind = isSeq(root) ? 'a list' : 'a scalar';
    diagnostics.push(diag('DLC003', `the spec must be a mapping (name: …, data: …, model: …), not ${kind}`, sourceMap.locate(''), ''));
    return { file, text, data, sourceMap, diagnostics, ok: false };
  }
  return { file, text, data, sourceMap, diagnostics, ok: true };
}
