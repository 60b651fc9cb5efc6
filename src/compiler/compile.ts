/**
 * The compiler's library API: source text → typed Spec → IR, with every
 * diagnostic sorted. Synchronous, because the language server calls it on
 * every keystroke. Pipeline: parse → resolve (extends) → overrides →
 * validate (schema) → normalize → lower (IR, shapes, model checks).
 */
import { readdirSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { sortDiagnostics, type Diagnostic } from './diagnostics/diagnostics.js';
import type { IR } from './ir.js';
import { inferGraph, lower, type LowerContext } from './lower/lower.js';
import { normalizeSpec } from './front/normalize.js';
import { OVERRIDES_FILE, applyOverrides } from './front/overrides.js';
import { MAX_SPEC_BYTES, parseSpec, readSpecFile, tooLarge } from './front/parse.js';
import { resolveExtends, setOwn, type ReadText } from './front/resolve.js';
import { SourceMap } from './front/source-map.js';
import type { Spec } from './spec.js';
import { validateSpec } from './front/validate.js';

// The rest of the public surface tools (the language server) may use: the
// schema the document is validated against, and the internal-error diagnostic.
export { buildSchema } from './front/schema/build.js';
export { internalError } from './diagnostics/report.js';

export interface CompileOptions {
  /** The spec's file name as the user gave it (used in diagnostics; relative `extends` resolve from it). */
  readonly file?: string;
  /** `--set path=value` overrides, applied after `extends`. */
  readonly overrides?: readonly string[];
  /** Alias of `overrides`. */
  readonly set?: readonly string[];
  /** Reads other files (bases named by `extends`); default: the file system, with the size/UTF-8 checks. */
  readonly readFile?: ReadText;
  /** Directory `file` is relative to; default process.cwd(). */
  readonly cwd?: string;
  /** Skip lowering (just the document stages: parse, resolve, validate, normalize). */
  readonly noLower?: boolean;
  /**
   * Best effort for editors: when the spec has errors but its graph could
   * still be inferred, return that graph as `partialIr` (the language server
   * shows shapes around a mistake, which is when a user needs them most).
   */
  readonly partial?: boolean;
}

export interface CompileResult {
  /** The normalised spec, when the document is valid. */
  readonly spec?: Spec;
  /** The lowered graph, when the spec lowers. */
  readonly ir?: IR;
  /**
   * With `partial: true` and no `ir`: the graph as far as inference got (the
   * spec has errors). Nodes that could not be inferred have shape []. Read
   * through the same data facts (class folders, …) as `ir` would be.
   */
  readonly partialIr?: IR;
  /** Every diagnostic, sorted by file and position. */
  readonly diagnostics: Diagnostic[];
  /** The resolved document (extends merged, overrides applied) as plain data, when it parsed. */
  readonly document?: Record<string, unknown>;
  /** Where each node of `document` came from. */
  readonly sourceMap?: SourceMap;
  /** Text of every file involved, by display name (including the `--set` pseudo-file), for printing snippets. */
  readonly sources: ReadonlyMap<string, string>;
}

/** Compiles spec source text. Never throws on bad input: problems are diagnostics. */
export function compile(source: string, options: CompileOptions = {}): CompileResult {
  const file = options.file ?? '<input>';
  const cwd = options.cwd ?? process.cwd();
  const overrides = options.overrides ?? options.set ?? [];
  const sources = new Map<string, string>([[file, source]]);
  if (overrides.length) sources.set(OVERRIDES_FILE, overrides.join('\n'));
  const done = (diags: Diagnostic[], rest: Partial<CompileResult> = {}): CompileResult => ({ ...rest, diagnostics: sortDiagnostics(diags), sources });

  // An editor buffer skips readSpecFile: apply its size limit here too.
  const size = Buffer.byteLength(source, 'utf8');
  if (size > MAX_SPEC_BYTES) return done(tooLarge(size, file).diagnostics);
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const parsed = parseSpec(text, file);
  const diagnostics = [...parsed.diagnostics];
  if (!parsed.ok) return done(diagnostics);

  const absPath = options.file ? resolvePath(cwd, options.file) : undefined;
  const resolved = resolveExtends({ data: parsed.data as Record<string, unknown>, sourceMap: parsed.sourceMap }, file, { absPath, cwd, readFile: options.readFile, sources });
  diagnostics.push(...resolved.diagnostics);
  if (!resolved.doc) return done(diagnostics);
  const { data, sourceMap } = resolved.doc;

  const overrideDiags = applyOverrides(data, sourceMap, overrides);
  diagnostics.push(...overrideDiags);
  const rest = { document: data, sourceMap };
  if (overrideDiags.length) return done(diagnostics, rest);

  const specDir = absPath ? resolvePath(absPath, '..') : cwd;
  const partial = options.partial ?? false;
  const lowerDoc = (doc: Record<string, unknown>) => lowerDocument(doc, sourceMap, file, specDir, partial);

  const schemaDiags = validateSpec(data, sourceMap);
  diagnostics.push(...schemaDiags);
  if (schemaDiags.length) {
    // A misspelled optimizer argument must not hide a wrong layer: when every
    // schema problem sits in a section the model graph does not read, check
    // the graph too (those sections fall back to their defaults for that).
    const bad = new Set(schemaDiags.map((d) => topSection(d.path)));
    // A schema error in the graph's own sections: check the graph as the
    // author meant it (fixes applied, unknown keys dropped) or, when that
    // cannot be known, the layers before the first broken one.
    if (![...bad].every((sec) => OUTSIDE_GRAPH.has(sec))) {
      const salvaged = salvageGraph(data, sourceMap, schemaDiags, lowerDoc);
      const seen = new Set(diagnostics.map((d) => `${d.code} ${d.path}`));
      diagnostics.push(...salvaged.diagnostics.filter((d) => !seen.has(`${d.code} ${d.path}`)));
      if (partial && salvaged.graph) return done(diagnostics, { ...rest, partialIr: salvaged.graph });
      return done(diagnostics, rest);
    }
    if ([...bad].every((sec) => OUTSIDE_GRAPH.has(sec))) {
      const rest2: Record<string, unknown> = { ...data };
      for (const sec of bad) delete rest2[sec];
      if (bad.has('name')) rest2.name = 'spec';
      const lowered = lowerDoc(rest2);
      diagnostics.push(...lowered.diagnostics);
      // The graph does not read the broken sections, so its shapes are the spec's own.
      const graph = lowered.ir ?? lowered.partialIr;
      if (partial && graph) return done(diagnostics, { ...rest, partialIr: graph });
    }
    return done(diagnostics, rest);
  }

  const normalized = normalizeSpec(data, sourceMap);
  diagnostics.push(...normalized.diagnostics);
  if (!normalized.spec || normalized.diagnostics.some((d) => d.severity === 'error') || options.noLower) return done(diagnostics, { ...rest, spec: normalized.spec });

  const lowered = lowerDocument(data, sourceMap, file, specDir, partial, normalized.spec);
  diagnostics.push(...lowered.diagnostics);
  return done(diagnostics, { ...rest, spec: normalized.spec, ...(lowered.ir ? { ir: lowered.ir } : {}), ...(lowered.partialIr ? { partialIr: lowered.partialIr } : {}) });
}

type LowerDoc = (doc: Record<string, unknown>) => { ir?: IR; partialIr?: IR; diagnostics: Diagnostic[] };

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The value at a JSON pointer's parent and the last segment ("/a/b/c" → a.b, "c"). */
function parentOf(root: unknown, pointer: string): { parent: unknown; key: string } | undefined {
  const parts = pointer.split('/').slice(1).map((x) => x.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts.length === 0) return undefined;
  let cur: unknown = root;
  for (const k of parts.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(k)];
    else if (isRecord(cur) && Object.prototype.hasOwnProperty.call(cur, k)) cur = cur[k];
    else return undefined;
  }
  return { parent: cur, key: parts[parts.length - 1] };
}

/** Renames key `from` to `to` in `o`, keeping the key order (the layer kind is the first key). */
function renameKey(o: Record<string, unknown>, from: string, to: string): void {
  const entries = Object.entries(o).map(([k, v]) => [k === from ? to : k, v] as const);
  for (const k of Object.keys(o)) delete o[k];
  for (const [k, v] of entries) setOwn(o, k, v);
}

/**
 * Applies what the schema diagnostics say the author meant, in place: a
 * fix (did-you-mean) renames the key or replaces the value; an unknown key
 * without one is dropped (it cannot change a shape). Returns false when a
 * diagnostic has no such repair.
 */
function repair(doc: Record<string, unknown>, d: Diagnostic, renames: Map<string, string>): boolean {
  const at = parentOf(doc, d.path);
  if (!at) return false;
  const { parent, key } = at;
  if (d.fix && d.fix.expected !== undefined) {
    if (isRecord(parent) && key === d.fix.expected && Object.prototype.hasOwnProperty.call(parent, key)) {
      if (Object.prototype.hasOwnProperty.call(parent, d.fix.replacement)) delete parent[key];
      else {
        renameKey(parent, key, d.fix.replacement);
        renames.set(d.path.slice(0, d.path.length - key.length) + d.fix.replacement, d.path);
      }
      return true;
    }
    // A value (`loss: CrossEntropyLoss`, a bare layer kind `- ReLU6`), or a kind key one level down.
    const holder = Array.isArray(parent) ? parent : isRecord(parent) ? parent : undefined;
    const cur = holder ? (holder as Record<string, unknown>)[key] : undefined;
    if (holder && cur === d.fix.expected) {
      (holder as Record<string, unknown>)[key] = d.fix.replacement;
      return true;
    }
    if (isRecord(cur) && Object.prototype.hasOwnProperty.call(cur, d.fix.expected)) {
      renameKey(cur, d.fix.expected, d.fix.replacement);
      renames.set(`${d.path}/${d.fix.replacement}`, `${d.path}/${d.fix.expected}`);
      return true;
    }
    return false;
  }
  if (d.code === 'DLC010' && isRecord(parent) && Object.prototype.hasOwnProperty.call(parent, key)) {
    delete parent[key];
    return true;
  }
  return false;
}

/** The index of the model layer a pointer is under ("/model/layers/3/…" → 3). */
function layerIndex(pointer: string): number | undefined {
  const m = /^\/model\/layers\/(\d+)(\/|$)/.exec(pointer);
  return m ? Number(m[1]) : undefined;
}

/** A diagnostic of the repaired document, moved to the key the author wrote. */
function asWritten(d: Diagnostic, renames: ReadonlyMap<string, string>, sourceMap: SourceMap): Diagnostic {
  for (const [now, was] of renames) {
    if (d.path !== now && !d.path.startsWith(now + '/')) continue;
    const path = was + d.path.slice(now.length);
    const exact = sourceMap.nearest(path);
    if (!exact.origin) return { ...d, path };
    const { file, line, col, endLine, endCol } = sourceMap.locate(path, d.path === now ? 'key' : 'value');
    return { ...d, path, file, line, col, endLine, endCol };
  }
  return d;
}

/** Checks about the model's output: meaningless for a model cut short. */
const OUTPUT_CODES = new Set(['DLC108', 'DLC109']);

/**
 * Graph checks of a document with schema errors (issue 14: one mistake must
 * not hide the others). First the document as the diagnostics' fixes say it
 * was meant; if that still does not validate and every remaining problem
 * is in model layers, the layers before the first broken one (a broken
 * layer's shape is unknown, so nothing after it is checked), keeping only
 * what is said about those layers (not the output checks of a cut model).
 */
function salvageGraph(data: Record<string, unknown>, sourceMap: SourceMap, schemaDiags: readonly Diagnostic[], lowerDoc: LowerDoc): { diagnostics: Diagnostic[]; graph?: IR } {
  const doc = structuredClone(data);
  const unrepaired: Diagnostic[] = [];
  // Repaired pointer → the pointer as written (`/model/layers/2/dense` → `/model/layers/2/Linear`).
  const renames = new Map<string, string>();
  const lowerSalvaged = (d: Record<string, unknown>) => {
    const lowered = lowerDoc(d);
    return { ...lowered, diagnostics: lowered.diagnostics.map((x) => asWritten(x, renames, sourceMap)) };
  };
  // Deepest first, so that renaming a key never moves a pointer still to be repaired.
  for (const d of [...schemaDiags].sort((a, b) => b.path.length - a.path.length)) {
    if (OUTSIDE_GRAPH.has(topSection(d.path))) {
      if (topSection(d.path) === 'name') doc.name = 'spec';
      else delete doc[topSection(d.path)];
      continue;
    }
    if (!repair(doc, d, renames)) unrepaired.push(d);
  }
  // A repair may uncover what the schema could not see before (`nn.Linear: {out_features: 10}`:
  // once the kind is dense, out_features is an unknown key of dense): a few more rounds.
  const found: Diagnostic[] = [];
  let remaining = validateSpec(doc, sourceMap);
  for (let round = 0; round < 3 && remaining.length && !unrepaired.length; round++) {
    found.push(...remaining.filter((d) => !schemaDiags.some((x) => x.code === d.code && x.path === d.path)));
    for (const d of [...remaining].sort((a, b) => b.path.length - a.path.length)) if (!repair(doc, d, renames)) unrepaired.push(d);
    remaining = validateSpec(doc, sourceMap);
  }
  if (remaining.length === 0) {
    const lowered = lowerSalvaged(doc);
    return { diagnostics: [...found, ...lowered.diagnostics], graph: lowered.ir ?? lowered.partialIr };
  }
  const cuts = remaining.map((d) => layerIndex(d.path));
  if (cuts.some((i) => i === undefined)) return { diagnostics: found };
  const first = Math.min(...(cuts as number[]));
  const model = doc.model;
  if (!isRecord(model) || !Array.isArray(model.layers) || first === 0 || model.output !== undefined || model.inputs !== undefined) return { diagnostics: found };
  setOwn(model, 'layers', model.layers.slice(0, first));
  if (validateSpec(doc, sourceMap).length) return { diagnostics: found };
  const lowered = lowerSalvaged(doc);
  const kept = lowered.diagnostics.filter((d) => {
    const i = layerIndex(d.path);
    return i !== undefined && i < first && !OUTPUT_CODES.has(d.code);
  });
  return { diagnostics: [...found, ...kept], graph: lowered.ir ?? lowered.partialIr };
}

/** Top-level sections the model graph never reads: their schema errors don't stop graph checks. */
const OUTSIDE_GRAPH = new Set(['name', 'description', 'seed', 'optimizer', 'schedule', 'train', 'metrics']);

/** "/optimizer/sgd/momentun" → "optimizer"; "" for the root. */
function topSection(pointer: string): string {
  return pointer.split('/')[1] ?? '';
}

/**
 * Normalises (unless given) and lowers a schema-valid document, with
 * diagnostics moved to the file each node came from. With `partial`, a graph
 * that fails the checks is still returned as `partialIr`.
 */
function lowerDocument(data: Record<string, unknown>, sourceMap: SourceMap, file: string, specDir: string, partial: boolean, spec?: Spec): { ir?: IR; partialIr?: IR; diagnostics: Diagnostic[] } {
  if (!spec) {
    const normalized = normalizeSpec(data, sourceMap);
    if (!normalized.spec || normalized.diagnostics.length) return { diagnostics: normalized.diagnostics };
    spec = normalized.spec;
  }
  const ctx: LowerContext = {
    file,
    locate: (p) => sourceMap.locate(p),
    specDir,
    // Class folders only: a stray README or .DS_Store in train/ is not a class (the loader agrees).
    listDir: (dir) => {
      try {
        return readdirSync(resolvePath(specDir, dir), { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => e.name);
      } catch {
        return undefined;
      }
    },
  };
  const lowered = lower(spec, ctx);
  // Lowering knows one file; a layer inherited through `extends` lives in another.
  const diagnostics = lowered.diagnostics.map((d) => {
    const origin = sourceMap.nearest(d.path).origin;
    return origin && origin.file !== d.file ? { ...d, file: origin.file } : d;
  });
  if (lowered.ir || !partial) return { ...(lowered.ir ? { ir: lowered.ir } : {}), diagnostics };
  // Lowering returns a graph only when it is error-free; infer it again for the editor.
  const graph = inferGraph(spec, ctx).ir;
  return { ...(graph ? { partialIr: graph } : {}), diagnostics };
}

export interface CompileFileOptions extends Omit<CompileOptions, 'file'> {
  /** Name to show in diagnostics (default: `path` as given). */
  readonly file?: string;
  /** Alias of `file`. */
  readonly displayPath?: string;
}

/** Reads and compiles a spec file (DLC005/6/7 for unusable files). */
export function compileFile(path: string, options: CompileFileOptions = {}): CompileResult {
  const cwd = options.cwd ?? process.cwd();
  const file = options.file ?? options.displayPath ?? path;
  const read = readSpecFile(resolvePath(cwd, path), file);
  if (read.text === undefined) return { diagnostics: read.diagnostics, sources: new Map() };
  // `file` may differ from `path` (a display name); resolve relative `extends` from the real location.
  const result = compile(read.text, { ...options, file: path, cwd });
  if (file === path) return result;
  const rename = (f: string) => (f === path ? file : f);
  return {
    ...result,
    diagnostics: result.diagnostics.map((d) => (d.file === path ? { ...d, file } : d)),
    sources: new Map([...result.sources].map(([k, v]) => [rename(k), v])),
  };
}
