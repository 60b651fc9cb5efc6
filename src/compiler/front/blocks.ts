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

/** What one block use found: expanded layers are pushed to `out`; false when it could not be expanded (a diagnostic says why). */
type Expanded = boolean;

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
  const used = new Set<string>();
  const cyclic = reportBlockCycles(blocks, sourceMap, report);
  /** A block item's `inputs`: what its first copy reads (one layer); false (reported) when it lists several. */
  const nestedInputs = (b: Obj, at: string): string | undefined | false => {
    const refs = b.inputs as string[] | undefined;
    if (refs === undefined) return undefined;
    if (refs.length === 1) return refs[0];
    report(diag('DLC117', `a block reads exactly one input, but 'inputs' lists ${refs.length}`, sourceMap.locate(at), at, "name the one layer the block's first copy reads (inside the block it is `input`)"));
    return false;
  };

  /**
   * Expands one use of a block (`b`, the item's value with any enclosing
   * block's parameters already substituted) found at `itemPath`, its copies
   * named in `scope`. `stack`: the blocks being expanded around it (cycles
   * through `$param` block names). `useSources`: where the item's `with`
   * values came from when an enclosing block substituted them.
   */
  const expandUse = (b: Obj, itemPath: string, scope: string, stack: readonly string[], useSources: ReadonlyMap<string, string>, inputRef?: string): Expanded => {
    const use = b.use as string;
    used.add(use);
    const usePath = useSources.get('/block/use') ?? `${itemPath}/block/use`;
    const def = has(blocks, use) ? blocks[use] : undefined;
    if (!def) {
      const sugg = suggestion(use, Object.keys(blocks));
      report(
        diag('DLC020', `unknown block '${use}'${sugg}`, sourceMap.locate(usePath), usePath, {
          hint: Object.keys(blocks).length ? (sugg ? undefined : `blocks defined: ${Object.keys(blocks).join(', ')}`) : 'define it under model.blocks',
          fix: didYouMeanFix(use, Object.keys(blocks)),
        }),
      );
      return false;
    }
    if (cyclic.has(use)) return false; // reported once, at the definitions (DLC023)
    if (stack.includes(use)) {
      const ring = [...stack.slice(stack.indexOf(use)), use];
      report(diag('DLC023', `block '${use}' uses itself: ${ring.join(' → ')}`, sourceMap.locate(usePath), usePath, 'a block may use other blocks, but not itself, directly or through others'));
      return false;
    }
    // Parameter values: `with` over the block's defaults.
    const params: Obj = { ...(def.params ?? {}) };
    const sources = new Map<string, string>(Object.keys(params).map((k) => [k, `/model/blocks/${use}/params/${k}`]));
    for (const [k, v] of Object.entries((b.with ?? {}) as Obj)) {
      const p = useSources.get(`/block/with/${k}`) ?? `${itemPath}/block/with/${k}`;
      if (!has(params, k)) {
        const sugg = suggestion(k, Object.keys(params));
        const kp = `${itemPath}/block/with/${k}`;
        report(
          diag('DLC021', `block '${use}' has no parameter '${k}'${sugg}`, sourceMap.locate(kp, 'key'), kp, {
            hint: sugg ? undefined : `its parameters: ${Object.keys(params).join(', ') || 'none'}`,
            fix: didYouMeanFix(k, Object.keys(params)),
          }),
        );
        continue;
      }
      params[k] = v;
      sources.set(k, p);
    }

    // Local names of the block's layers: own name, `<kind>_<n>`; a nested block use: its name or `<use>_<k>`.
    const perKind = new Map<string, number>();
    const perUse = new Map<string, number>();
    const locals = def.layers.map((l) => {
      const { kind: k, value: v } = itemKind(l);
      const own = v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj).name : undefined;
      if (k === 'block') {
        const u = String((v as Obj | null)?.use ?? 'block');
        if (typeof own === 'string') return own;
        const c = (perUse.get(u) ?? 0) + 1;
        perUse.set(u, c);
        return `${u}_${c}`;
      }
      const c = (perKind.get(k) ?? 0) + 1;
      perKind.set(k, c);
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
      return { item: v, defPath, subs, isBlock: itemKind(v).kind === 'block' };
    });
    if (!ok) return false;

    const repeat = (b.repeat as number | undefined) ?? 1;
    const repeatPath = b.repeat === undefined ? `${itemPath}/block` : (useSources.get('/block/repeat') ?? `${itemPath}/block/repeat`);
    const tooMany = (perCopy: number): Expanded => {
      report(
        diag('DLC022', `repeat ${repeat} of block '${use}' (${perCopy} layer${perCopy === 1 ? '' : 's'} each) makes the model more than ${MAX_EXPANDED_LAYERS} layers`, sourceMap.locate(repeatPath), repeatPath, {
          hint: `a model may have at most ${MAX_EXPANDED_LAYERS} layers after block expansion`,
        }),
      );
      return false;
    };
    // Without nested blocks the size is known before any copy is made; with them, after the first copy.
    const flat = expanded.every((e) => !e.isBlock);
    if (flat && out.length + repeat * expanded.length > MAX_EXPANDED_LAYERS) return tooMany(expanded.length);
    const before = out.length;
    let prev: string | undefined;
    for (let i = 0; i < repeat; i++) {
      // The first copy reads the item's `inputs` when it names one, else the layer before it.
      const copyInput = i === 0 ? inputRef : prev;
      const copyStart = out.length;
      const blockInput = () => copyInput ?? blockInputName(out, before, scope);
      // A nested block's local name stands for its last layer.
      const lastOf = new Map<string, string>();
      const pending: { at: number; refs: readonly string[] }[] = [];
      for (let j = 0; j < expanded.length; j++) {
        const { item, defPath, subs } = expanded[j];
        const inner = `${scope}.${i}.${locals[j]}`;
        if (expanded[j].isBlock) {
          const nb = itemKind(item).value as Obj;
          const refs = nestedInputs(nb, `${defPath}/block/inputs`);
          if (refs === false) return false;
          // The nested use reads its `inputs`, else the previous layer (for the first, the copy input: named so `input` can refer to it).
          const resolve = (r: string) => (r === 'input' ? blockInput() : lastOf.has(r) ? lastOf.get(r)! : localSet.has(r) ? `${scope}.${i}.${r}` : r);
          const from = refs !== undefined ? resolve(refs) : out.length === copyStart ? (copyInput ?? (blockInput(), undefined)) : undefined;
          if (!expandUse(nb, defPath, inner, [...stack, use], subs, from)) return false;
          // Wide nesting (many uses of large blocks in one copy) is capped as it grows, not after the copy.
          if (out.length > MAX_EXPANDED_LAYERS) {
            const p = `${defPath}/block`;
            report(diag('DLC022', `block '${use}' makes the model more than ${MAX_EXPANDED_LAYERS} layers (the blocks it uses are too large)`, sourceMap.locate(p), p, `a model may have at most ${MAX_EXPANDED_LAYERS} layers after block expansion`));
            out.length = before;
            return false;
          }
          lastOf.set(locals[j], out[out.length - 1].name!);
          continue;
        }
        const layer = normalizeLayer(item, defPath, conventions) as LayerSpec & { name?: string; inputs?: string[] };
        // Without `inputs` a layer reads the previous one: for the first, the copy input.
        out.push({ ...layer, name: inner, ...(!layer.inputs && out.length === copyStart && i === 0 && inputRef !== undefined ? { inputs: [inputRef] } : {}) } as LayerSpec);
        if (layer.inputs) pending.push({ at: out.length - 1, refs: layer.inputs });
      }
      for (const { at, refs } of pending) {
        const inputs = refs.map((r) => (r === 'input' ? blockInput() : lastOf.has(r) ? lastOf.get(r)! : localSet.has(r) ? `${scope}.${i}.${r}` : r));
        out[at] = { ...out[at], inputs } as LayerSpec;
      }
      prev = out[out.length - 1].name;
      if (i === 0 && !flat && before + repeat * (out.length - before) > MAX_EXPANDED_LAYERS) {
        const perCopy = out.length - before;
        out.length = before;
        return tooMany(perCopy);
      }
    }
    return true;
  };

  // Unnamed uses are numbered per block: res_1, res_2, …
  const uses = new Map<string, number>();
  let failed = false;
  items.forEach((item, index) => {
    const itemPath = `/model/layers/${index}`;
    const { kind, value } = itemKind(item);
    if (kind !== 'block') {
      out.push(normalizeLayer(item, itemPath, conventions));
      return;
    }
    const b = value as Obj;
    let scope = b.name as string | undefined;
    if (scope === undefined) {
      const n = (uses.get(b.use as string) ?? 0) + 1;
      uses.set(b.use as string, n);
      scope = `${b.use as string}_${n}`;
    }
    if (failed) return;
    const start = out.length;
    const refs = nestedInputs(b, `${itemPath}/block/inputs`);
    if (refs === false) return;
    if (!expandUse(b, itemPath, scope, [], new Map(), refs)) {
      out.length = start;
      // Past the layer cap nothing more is expanded; other mistakes are still reported.
      if (diagnostics.some((d) => d.code === 'DLC022')) failed = true;
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

/**
 * Blocks that use themselves, directly or through others (by literal `use`
 * names): DLC023 once per cycle, at the `use` that closes it (the last
 * block of the cycle in definition order naming the first). Returns every
 * block on a cycle.
 */
function reportBlockCycles(blocks: Record<string, BlockDef>, sourceMap: SourceMap, report: (d: Diagnostic) => void): Set<string> {
  const edges = new Map<string, { to: string; path: string }[]>();
  for (const [name, def] of Object.entries(blocks)) {
    const list: { to: string; path: string }[] = [];
    (Array.isArray(def?.layers) ? def.layers : []).forEach((l, j) => {
      const { kind, value } = l && (typeof l === 'object' || typeof l === 'string') ? itemKind(l) : { kind: '', value: undefined };
      const to = kind === 'block' && value && typeof value === 'object' ? (value as Obj).use : undefined;
      if (typeof to === 'string' && has(blocks, to)) list.push({ to, path: `/model/blocks/${name}/layers/${j}/block/use` });
    });
    edges.set(name, list);
  }
  const cyclic = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    state.set(name, 'open');
    stack.push(name);
    for (const e of edges.get(name) ?? []) {
      if (state.get(e.to) === 'open') {
        const ring = [...stack.slice(stack.indexOf(e.to)), e.to];
        for (const r of ring) cyclic.add(r);
        const what = ring.length === 2 ? `block '${name}' uses itself` : `blocks use each other in a cycle: ${ring.join(' → ')}`;
        report(diag('DLC023', what, sourceMap.locate(e.path), e.path, 'a block may use other blocks, but not itself, directly or through others'));
      } else if (!state.has(e.to)) visit(e.to);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of Object.keys(blocks)) if (!state.has(name)) visit(name);
  return cyclic;
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
