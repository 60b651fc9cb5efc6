/**
 * Composition: `extends: base.yaml` or `extends: [a.yaml, b.yaml]` (paths
 * relative to the extending file; several bases are merged in order, each
 * over the previous, and the extending file over all of them; mappings
 * merged deeply, lists and scalars replaced; a one-of section — optimizer,
 * schedule, loss — whose child mapping names another kind than the base
 * replaces it instead of merging; chains allowed; a cycle is DLC008).
 * Every merged value keeps the SourceMap origin of the
 * file it came from, so a diagnostic about an inherited value points into
 * the base file. A relative `data.path` is relative to the file that wrote
 * it; inherited, it is rebased so that it stays relative to the spec being
 * compiled (everything downstream reads it from that spec's folder).
 *
 * What a base may be (issue 16: a spec must not be able to make dlc print
 * another file's secrets): its name and its real path (symlinks resolved)
 * end in `.yaml` or `.yml`; it is a regular file of at most MAX_SPEC_BYTES
 * (read through the bounded reader, so never a FIFO or a device); and it
 * looks like a spec — valid UTF-8 YAML whose root is a mapping in which at
 * least half of the top-level keys are spec sections (name, data, model, …).
 * A base may live outside the extending spec's folder (shared bases in a
 * sibling folder are what `extends` is for) and may be absolute. A base that
 * fails any of these is DLC018 at the `extends` value, and the message names
 * the file and the reason only: nothing of a file that is not a spec is ever
 * shown (no snippet, no line of it, not even its keys).
 */
import { realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, resolve as resolvePath } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostics.js';
import { MAX_SPEC_BYTES, parseSpec, readSpecFile, type ReadResult } from './parse.js';
import { formatBytes } from '../shared/bounded-read.js';
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

/**
 * Sections that hold one of several kinds (`{adam: {…}}`): a child naming
 * another kind replaces the base's instead of merging with it (a merge would
 * hold two kinds, DLC017).
 */
const ONE_OF_SECTIONS = new Set(['/optimizer', '/schedule', '/loss']);

/** True when `c` names kinds that `b` does not have: `{sgd: …}` over `{adam: …}`. */
function switchesKind(b: Record<string, unknown>, c: Record<string, unknown>): boolean {
  const ck = Object.keys(c);
  return ck.length > 0 && ck.every((k) => !Object.prototype.hasOwnProperty.call(b, k));
}

/**
 * Deep-merges `child` over `base`: mappings merge, everything else (lists,
 * scalars, a mapping over a scalar) is replaced, and a one-of section
 * (optimizer, schedule, loss) that names another kind is replaced whole.
 */
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
      if (isObj(v) && own && isObj(b[k]) && !(ONE_OF_SECTIONS.has(p) && switchesKind(b[k] as Record<string, unknown>, v))) setOwn(out, k, merge(b[k] as Record<string, unknown>, v, p));
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

/** Top-level keys of a spec (the schema's root properties). */
const SPEC_SECTIONS = new Set(['name', 'description', 'seed', 'extends', 'data', 'model', 'loss', 'optimizer', 'schedule', 'train', 'metrics']);

const YAML_NAME = /\.ya?ml$/i;

/**
 * Why the file at `abs` cannot be a base, checked on the real file system
 * before anything is read (undefined: go ahead). A path that does not exist
 * on disk passes here (an editor may hold it unsaved; a missing file is
 * reported by the read).
 */
function refuseBase(ext: string, abs: string): string | undefined {
  if (!YAML_NAME.test(ext)) return 'a base spec must be a .yaml or .yml file';
  let real: string;
  try {
    real = realpathSync(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return 'too many levels of symbolic links (a symlink loop?)';
    return undefined;
  }
  if (!YAML_NAME.test(real)) return 'it is a symbolic link to a file that is not .yaml or .yml';
  try {
    const st = statSync(real);
    if (st.isDirectory()) return 'it is a directory';
    if (!st.isFile()) return 'it is not a regular file (a FIFO or a device?)';
    if (st.size > MAX_SPEC_BYTES) return `it is ${formatBytes(st.size)}; a spec is limited to ${formatBytes(MAX_SPEC_BYTES)}`;
  } catch {
    return undefined;
  }
  return undefined;
}

/** Why a parsed base does not look like a spec (undefined when it does). */
function notASpec(data: unknown): string | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return 'its root is not a mapping';
  const keys = Object.keys(data);
  if (keys.length === 0) return 'it is empty';
  const known = keys.filter((k) => SPEC_SECTIONS.has(k)).length;
  if (known * 2 < keys.length) return `most of its top-level keys are not spec sections (${known} of ${keys.length} are)`;
  return undefined;
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
  if (typeof ext === 'string') return resolveBase(doc, ext, '/extends', file, ctx, chain);
  if (!Array.isArray(ext) || ext.length === 0 || !ext.every((e): e is string => typeof e === 'string')) return { doc, diagnostics: [] };
  // Several bases: each resolved on its own (its own chain), merged in order, then this file over them.
  const diagnostics: Diagnostic[] = [];
  let merged: LoadedDoc | undefined;
  let ok = true;
  ext.forEach((e, i) => {
    const empty: LoadedDoc = { data: {}, sourceMap: new SourceMap(doc.sourceMap.defaultFile) };
    const probe: LoadedDoc = { data: { extends: e }, sourceMap: doc.sourceMap };
    const r = resolveBase(probe, e, `/extends/${i}`, file, ctx, chain, empty);
    diagnostics.push(...r.diagnostics);
    if (!r.doc) ok = false;
    else merged = merged ? mergeDocs(merged, r.doc) : r.doc;
  });
  if (!ok || !merged) return { diagnostics };
  return { doc: mergeDocs(merged, doc), diagnostics };
}

/**
 * Resolves one base `ext` (written at `ptr` of `doc`) and merges `over` (by
 * default `doc` itself) over it.
 */
function resolveBase(doc: LoadedDoc, ext: string, ptr: string, file: string, ctx: ResolveContext, chain: readonly string[], over: LoadedDoc = doc): { doc?: LoadedDoc; diagnostics: Diagnostic[] } {
  const here = doc.sourceMap.locate(ptr);
  const baseDir = ctx.absPath ? dirname(ctx.absPath) : ctx.cwd;
  const abs = resolvePath(baseDir, ext);
  const display = isAbsolute(ext) ? ext : normalize(join(dirname(file), ext));
  const self = ctx.absPath ? [ctx.absPath] : [];
  if ([...chain, ...self].includes(abs)) {
    const cycle = [...chain, ...self, abs].map((p) => p.slice(p.lastIndexOf('/') + 1)).join(' → ');
    return { diagnostics: [diag('DLC008', `extends cycle: ${cycle}`, here, ptr, 'a spec cannot extend itself, directly or through its bases')] };
  }
  const notBase = (why: string) => ({ diagnostics: [diag('DLC018', `cannot use '${ext}' as a base spec: ${why}`, here, ptr, 'extends names another dlc spec (a .yaml file with name, data, model, …)')] });
  const refused = refuseBase(ext, abs);
  if (refused) return notBase(refused);
  const read = readBase(abs, display, ctx);
  if (read.text === undefined) {
    const d = read.diagnostics[0];
    // A missing base is the extending file's problem: point at its `extends` value.
    if (d.code === 'DLC007') return { diagnostics: [diag('DLC007', `cannot read base spec '${ext}': ${d.message.replace(/^cannot read '[^']*': /, '')}`, here, ptr)] };
    // Too large, not UTF-8: say so at the extends value, with no snippet of the base.
    return notBase(d.code === 'DLC006' ? `it is not valid UTF-8 (line ${d.line}, column ${d.col})` : d.message.replace(/^'[^']*' is /, 'it is '));
  }
  const parsed = parseSpec(read.text, display);
  if (!parsed.ok) {
    const first = parsed.diagnostics.find((d) => d.severity === 'error') ?? parsed.diagnostics[0];
    // A YAML error in a real spec is worth its position; a file that is no spec at all shows nothing.
    const why = first?.code === 'DLC001' || first?.code === 'DLC002' ? `it is not valid YAML (${CODE_WORDS[first.code]} at line ${first.line}, column ${first.col})` : first?.code === 'DLC004' ? 'it expands too many YAML aliases' : 'its root is not a mapping';
    return notBase(why);
  }
  const shape = notASpec(parsed.data);
  if (shape) return notBase(shape);
  ctx.sources.set(display, read.text);
  const baseDoc: LoadedDoc = { data: parsed.data as Record<string, unknown>, sourceMap: parsed.sourceMap };
  const inner = resolveExtends(baseDoc, display, { ...ctx, absPath: abs }, [...chain, ...self]);
  if (!inner.doc) return { diagnostics: [...parsed.diagnostics, ...inner.diagnostics] };
  rebaseDataPath(inner.doc.data, dirname(abs), baseDir);
  return { doc: mergeDocs(inner.doc, over), diagnostics: [...parsed.diagnostics, ...inner.diagnostics] };
}

const CODE_WORDS: Readonly<Record<string, string>> = { DLC001: 'syntax error', DLC002: 'duplicate key' };

/** Makes a relative data.path written relative to `fromDir` relative to `toDir` instead (in place). */
function rebaseDataPath(data: Record<string, unknown>, fromDir: string, toDir: string): void {
  const d = data.data;
  if (!isObj(d) || typeof d.path !== 'string' || d.path === '' || isAbsolute(d.path) || fromDir === toDir) return;
  setOwn(d, 'path', relative(toDir, resolvePath(fromDir, d.path)) || '.');
}
