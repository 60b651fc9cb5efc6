/**
 * Expands `model.layers` into the flat LayerSpec list: plain layers are
 * normalised in place, `- block: {use, repeat, with}` items are replaced by
 * `repeat` copies of the block's layers.
 *
 * Naming (documented in docs/spec-format.md): the copies of a block item
 * live in a scope — the item's `name`, or `<use>_<k>` for the k-th unnamed
 * use of that block (1-based). Layer `l` of copy `i` (0-based) is named
 * `<scope>.<i>.<l>`, where `l` is its own `name` or `<kind>_<n>` (the n-th
 * layer of that kind in the block). Inside a block, `inputs` naming another
 * layer of the block refer to the same copy, and `input` to the copy's
 * input: the previous copy's last layer, or the layer before the block item
 * (which gets the name `<scope>_input` if it has none), or the model input.
 * Every expanded layer's `path` points at its layer in the block definition.
 */
import type { Diagnostic } from '../diagnostics/diagnostics.js';
import { didYouMean, didYouMeanFix, renameFix, suggestion } from '../diagnostics/did-you-mean.js';
import { itemKind, normalizeLayer } from './normalize-layer.js';
import { DEFAULT_CONVENTIONS } from './conventions.js';
import { diag, type DiagExtras } from '../diagnostics/report.js';
import { childPointer, type SourceMap } from './source-map.js';
import type { Conventions, LayerSpec } from '../spec.js';
import { validateSpec } from './validate.js';
import { SourceMap as StubMap } from './source-map.js';

type Obj = Record<string, unknown>;

interface BlockDef {
  readonly params?: Obj;
  readonly layers: unknown[];
}

const PARAM = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;

/**
 * Most layers a model may have after block expansion. A hard cap, checked
 * before any copy is made: `repeat: 100000000` must be a diagnostic at the
 * value, not an out-of-memory in `check` or in the language server. The
 * deepest shipped model has ~70 layers; ResNet-1001 has ~3,000. (Lowering
 * 5,000 layers takes ~1-2 s, which is what the language server can afford.)
 */
export const MAX_EXPANDED_LAYERS = 5_000;

/** Own-property test: user names like `constructor` must not find Object.prototype members. */
const has = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/** Replaces `$name` strings; records where each substituted value came from. */
function substitute(value: unknown, rel: string, params: Obj, sources: Map<string, string>, onUnknown: (rel: string, name: string) => void, subs: Map<string, string>): unknown {
  if (typeof value === 'string') {
    const m = PARAM.exec(value);
    if (!m) return value;
    if (!has(params, m[1])) {
      onUnknown(rel, m[1]);
      return value;
    }
    subs.set(rel, sources.get(m[1])!);
    return params[m[1]];
  }
  if (Array.isArray(value)) return value.map((v, i) => substitute(v, childPointer(rel, i), params, sources, onUnknown, subs));
  if (value && typeof value === 'object') {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value as Obj)) out[k] = substitute(v, childPointer(rel, k), params, sources, onUnknown, subs);
    return out;
  }
  return value;
}

/** Expands blocks and normalises every layer of `model`. */
export function expandLayers(model: Obj, sourceMap: SourceMap, conventions: Conventions = DEFAULT_CONVENTIONS): { layers: LayerSpec[]; diagnostics: Diagnostic[] } {
  const blocks = (model.blocks ?? {}) as Record<string, BlockDef>;
  const items = model.layers as unknown[];
  const out: LayerSpec[] = [];
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  const report = (d: Diagnostic) => {
    const k = `${d.code}|${d.path}|${d.message}`;
    if (!reported.has(k)) diagnostics.push(d), reported.add(k);
  };
  const uses = new Map<string, number>();
  const used = new Set<string>();

  items.forEach((item, index) => {
    const itemPath = `/model/layers/${index}`;
    const { kind, value } = itemKind(item);
    if (kind !== 'block') {
      out.push(normalizeLayer(item, itemPath, conventions));
      return;
    }
    const b = value as Obj;
    const use = b.use as string;
    used.add(use);
    const def = has(blocks, use) ? blocks[use] : undefined;
    if (!def) {
      const p = `${itemPath}/block/use`;
      const sugg = suggestion(use, Object.keys(blocks));
      report(
        diag('DLC020', `unknown block '${use}'${sugg}`, sourceMap.locate(p), p, {
          hint: Object.keys(blocks).length ? (sugg ? undefined : `blocks defined: ${Object.keys(blocks).join(', ')}`) : 'define it under model.blocks',
          fix: didYouMeanFix(use, Object.keys(blocks)),
        }),
      );
      return;
    }
    // Parameter values: `with` over the block's defaults.
    const params: Obj = { ...(def.params ?? {}) };
    const sources = new Map<string, string>(Object.keys(params).map((k) => [k, `/model/blocks/${use}/params/${k}`]));
    for (const [k, v] of Object.entries((b.with ?? {}) as Obj)) {
      const p = `${itemPath}/block/with/${k}`;
      if (!has(params, k)) {
        const sugg = suggestion(k, Object.keys(params));
        report(
          diag('DLC021', `block '${use}' has no parameter '${k}'${sugg}`, sourceMap.locate(p, 'key'), p, {
            hint: sugg ? undefined : `its parameters: ${Object.keys(params).join(', ') || 'none'}`,
            fix: didYouMeanFix(k, Object.keys(params)),
          }),
        );
        continue;
      }
      params[k] = v;
      sources.set(k, p);
    }

    // Unnamed uses are numbered per block: res_1, res_2, …
    let scope = b.name as string | undefined;
    if (scope === undefined) {
      const n = (uses.get(use) ?? 0) + 1;
      uses.set(use, n);
      scope = `${use}_${n}`;
    }
    // Local names of the block's layers, and which layers reference the block input.
    const perKind = new Map<string, number>();
    const locals = def.layers.map((l) => {
      const { kind: k, value: v } = itemKind(l);
      const c = (perKind.get(k) ?? 0) + 1;
      perKind.set(k, c);
      const own = v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj).name : undefined;
      return typeof own === 'string' ? own : `${k}_${c}`;
    });
    const localSet = new Set(locals);

    // Substitute once (every copy has the same parameters) and re-validate the result.
    let ok = true;
    const expanded = def.layers.map((l, j) => {
      const defPath = `/model/blocks/${use}/layers/${j}`;
      const subs = new Map<string, string>();
      const v = substitute(l, '', params, sources, (rel, name) => {
        ok = false;
        const p = defPath + rel;
        const sugg = suggestion(name, Object.keys(params));
        report(diag('DLC021', `unknown block parameter '$${name}' in block '${use}'${sugg}`, sourceMap.locate(p), p, paramRefExtras(name, Object.keys(params), use)));
      }, subs);
      if (subs.size) {
        for (const d of revalidate(v)) {
          ok = false;
          const rel = d.path.slice('/model/layers/0'.length);
          const from = [...subs].find(([r]) => rel === r || rel.startsWith(r + '/'));
          const p = from ? from[1] : defPath + rel;
          const loc = sourceMap.locate(p, from ? 'value' : d.code === 'DLC010' ? 'key' : 'value');
          report({ ...d, ...loc, path: p, message: from ? `${d.message} (block parameter '${p.slice(p.lastIndexOf('/') + 1)}')` : d.message });
        }
      }
      return { item: v, defPath };
    });
    if (!ok) return;

    const repeat = (b.repeat as number | undefined) ?? 1;
    if (out.length + repeat * expanded.length > MAX_EXPANDED_LAYERS) {
      const p = b.repeat === undefined ? `${itemPath}/block` : `${itemPath}/block/repeat`;
      report(
        diag('DLC022', `repeat ${repeat} of block '${use}' (${expanded.length} layer${expanded.length === 1 ? '' : 's'} each) makes the model more than ${MAX_EXPANDED_LAYERS} layers`, sourceMap.locate(p), p, {
          hint: `a model may have at most ${MAX_EXPANDED_LAYERS} layers after block expansion`,
        }),
      );
      return;
    }
    let prev: string | undefined;
    const before = out.length;
    for (let i = 0; i < repeat; i++) {
      const copyInput = prev;
      const blockInput = () => copyInput ?? blockInputName(out, before, scope);
      expanded.forEach(({ item, defPath }, j) => {
        const layer = normalizeLayer(item, defPath, conventions) as LayerSpec & { name?: string; inputs?: string[] };
        const name = `${scope}.${i}.${locals[j]}`;
        const inputs = layer.inputs?.map((r) => (r === 'input' ? blockInput() : localSet.has(r) ? `${scope}.${i}.${r}` : r));
        // Without `inputs` a layer reads the previous one: for the first, the copy input.
        out.push({ ...layer, name, ...(inputs ? { inputs } : {}) } as LayerSpec);
      });
      prev = `${scope}.${i}.${locals[locals.length - 1]}`;
    }
  });
  if (out.length > MAX_EXPANDED_LAYERS && !diagnostics.some((d) => d.code === 'DLC022')) {
    report(diag('DLC022', `the model has ${out.length} layers after block expansion, more than ${MAX_EXPANDED_LAYERS}`, sourceMap.locate('/model/layers'), '/model/layers', `a model may have at most ${MAX_EXPANDED_LAYERS} layers after block expansion`));
    return { layers: out.slice(0, MAX_EXPANDED_LAYERS), diagnostics };
  }
  // Blocks nobody uses still get their `$param` references checked.
  for (const [use, def] of Object.entries(blocks)) {
    if (used.has(use)) continue;
    const params = def.params ?? {};
    def.layers.forEach((l, j) => {
      const defPath = `/model/blocks/${use}/layers/${j}`;
      substitute(l, '', params, new Map(Object.keys(params).map((k) => [k, ''])), (rel, name) => {
        const p = defPath + rel;
        const sugg = suggestion(name, Object.keys(params));
        report(diag('DLC021', `unknown block parameter '$${name}' in block '${use}'${sugg}`, sourceMap.locate(p), p, paramRefExtras(name, Object.keys(params), use)));
      }, new Map());
    });
  }
  return { layers: out, diagnostics };
}

/** The name the block copy reads as `input`: the previous layer's (naming it if needed) or the model input. */
function blockInputName(out: LayerSpec[], before: number, scope: string): string {
  if (before === 0) return 'input';
  const last = out[before - 1];
  if (last.name) return last.name;
  const name = `${scope}_input`;
  out[before - 1] = { ...last, name };
  return name;
}

/** Validates one substituted layer item with the full schema (as the only layer of a stub spec). */
function revalidate(item: unknown): Diagnostic[] {
  const stub = { name: 'x', data: { dataset: 'mnist' }, model: { layers: [item] } };
  return validateSpec(stub, new StubMap('<block>'));
}

/** Hint and fix of an unknown `$name` in a block's layers: `$filtres` → `$filters`. */
function paramRefExtras(name: string, params: readonly string[], use: string): DiagExtras {
  const meant = didYouMean(name, params);
  return meant === undefined ? { hint: `declare it under model.blocks.${use}.params` } : { fix: renameFix(`$${name}`, `$${meant}`) };
}
