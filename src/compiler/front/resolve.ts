/**
 * Composition: `extends: base.yaml` (path relative to the extending file;
 * mappings merged deeply, lists and scalars replaced; chains allowed; a
 * cycle is DLC008). Every merged value keeps the SourceMap origin of the
 * file it came from, so a diagnostic about an inherited value points into
 * the base file. A relative `data.path` is relative to the file that wrote
 * it; inherited, it is rebased so that it stays relative to the spec being
 * compiled (everything downstream reads it from that spec's folder).
 */
import { dirname, isAbsolute, join, normalize, relative, resolve as resolvePath } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostics.js';
import { parseSpec, readSpecFile, type ReadResult } from './parse.js';
import { diag } from '../diagnostics/report.js';
import { childPointer, SourceMap } from './source-map.js';

/** How files are read: the language server passes unsaved buffers. */
export type ReadText = (absPath: string) => string;

export interface LoadedDoc {
  readonly data: Record<string, unknown>;
  readonly sourceMap: SourceMap;
}

export interface ResolveContext {
  /** Absolute path of the file (for relative `extends`); undefined for an unsaved buffer. */
  readonly absPath?: string;
  readonly cwd: string;
  readonly readFile?: ReadText;
  /** Source text of every file read (display name → text), for printing snippets. */
  readonly sources: Map<string, string>;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Sets an own data property (a `__proto__` key stays data). */
export function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Deep-merges `child` over `base`: mappings merge, everything else is replaced. */
export function mergeDocs(base: LoadedDoc, child: LoadedDoc): LoadedDoc {
  const map = new SourceMap(child.sourceMap.defaultFile);
  for (const [p, o] of base.sourceMap.origins) map.set(p, o);
  const merge = (b: Record<string, unknown>, c: Record<string, unknown>, ptr: string): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...b };
    const o = child.sourceMap.get(ptr);
    if (o) map.set(ptr, o);
    for (const [k, v] of Object.entries(c)) {
      const p = childPointer(ptr, k);
      const own = Object.prototype.hasOwnProperty.call(b, k);
      if (isObj(v) && own && isObj(b[k])) setOwn(out, k, merge(b[k] as Record<string, unknown>, v, p));
      else {
        setOwn(out, k, v);
        map.deleteSubtree(p);
        map.copySubtree(child.sourceMap, p);
      }
    }
    return out;
  };
  return { data: merge(base.data, child.data, ''), sourceMap: map };
}

function readBase(abs: string, display: string, ctx: ResolveContext): ReadResult {
  if (!ctx.readFile) return readSpecFile(abs, display);
  try {
    return { text: ctx.readFile(abs), diagnostics: [] };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { diagnostics: [diag('DLC007', `cannot read '${display}': ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`, { file: display, line: 1, col: 1, endLine: 1, endCol: 1 }, '')] };
  }
}

/**
 * Applies the `extends` chain of an already parsed document. Returns the
 * merged document, or undefined when a file of the chain is unusable.
 */
export function resolveExtends(doc: LoadedDoc, file: string, ctx: ResolveContext, chain: readonly string[] = []): { doc?: LoadedDoc; diagnostics: Diagnostic[] } {
  const ext = doc.data.extends;
  if (typeof ext !== 'string') return { doc, diagnostics: [] };
  const here = doc.sourceMap.locate('/extends');
  const baseDir = ctx.absPath ? dirname(ctx.absPath) : ctx.cwd;
  const abs = resolvePath(baseDir, ext);
  const display = isAbsolute(ext) ? ext : normalize(join(dirname(file), ext));
  const self = ctx.absPath ? [ctx.absPath] : [];
  if ([...chain, ...self].includes(abs)) {
    const cycle = [...chain, ...self, abs].map((p) => p.slice(p.lastIndexOf('/') + 1)).join(' → ');
    return { diagnostics: [diag('DLC008', `extends cycle: ${cycle}`, here, '/extends', 'a spec cannot extend itself, directly or through its bases')] };
  }
  const read = readBase(abs, display, ctx);
  if (read.text === undefined) {
    const d = read.diagnostics[0];
    // A missing base is the extending file's problem: point at its `extends` value.
    if (d.code === 'DLC007') return { diagnostics: [diag('DLC007', `cannot read base spec '${ext}': ${d.message.replace(/^cannot read '[^']*': /, '')}`, here, '/extends')] };
    return { diagnostics: read.diagnostics };
  }
  ctx.sources.set(display, read.text);
  const parsed = parseSpec(read.text, display);
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  const baseDoc: LoadedDoc = { data: parsed.data as Record<string, unknown>, sourceMap: parsed.sourceMap };
  const inner = resolveExtends(baseDoc, display, { ...ctx, absPath: abs }, [...chain, ...self]);
  if (!inner.doc) return { diagnostics: [...parsed.diagnostics, ...inner.diagnostics] };
  rebaseDataPath(inner.doc.data, dirname(abs), baseDir);
  return { doc: mergeDocs(inner.doc, doc), diagnostics: [...parsed.diagnostics, ...inner.diagnostics] };
}

/** Makes a relative data.path written relative to `fromDir` relative to `toDir` instead (in place). */
function rebaseDataPath(data: Record<string, unknown>, fromDir: string, toDir: string): void {
  const d = data.data;
  if (!isObj(d) || typeof d.path !== 'string' || d.path === '' || isAbsolute(d.path) || fromDir === toDir) return;
  setOwn(d, 'path', relative(toDir, resolvePath(fromDir, d.path)) || '.');
}
