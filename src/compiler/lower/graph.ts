/**
 * Resolves the model's layer list into a graph: node ids (user names, or
 * "<kind>_<n>" for unnamed layers), input references (absent `inputs` =
 * the previous layer; `input` = the model input), and a topological order.
 *
 * Forward references are allowed — a layer may read one defined below it —
 * as long as the graph stays acyclic; the order is then the spec order
 * wherever the references permit (a stable topological sort), so a model
 * written top-down keeps its order exactly.
 *
 * Reports DLC100 (unknown reference, with did-you-mean), DLC101 (duplicate
 * or reserved name) and DLC102 (cycle). Layers whose inputs cannot be
 * resolved are kept but marked `broken`, so later stages skip them without
 * reporting cascades.
 */
import { diag, type Locator } from '../diagnostics/report.js';
import type { Diagnostic } from '../diagnostics/diagnostics.js';
import { layerKeyPath } from './layer-path.js';
import type { LayerSpec, ModelSpec } from '../spec.js';
import type { IROutput } from '../ir.js';
import { didYouMean, renameFix } from '../diagnostics/did-you-mean.js';

/** The id of the model's input node; reserved, users reference it as `input`. */
export const INPUT_ID = 'input';

export interface GraphLayer {
  readonly id: string;
  readonly layer: LayerSpec;
  /** Spec order (index in model.layers). */
  readonly index: number;
  /** Resolved input ids (unresolvable references left out). */
  readonly inputs: readonly string[];
  readonly named: boolean;
}

export interface ResolvedGraph {
  /** Topologically ordered layers (the input node is not included). */
  readonly order: readonly GraphLayer[];
  readonly outputId: string;
  /** Every output with its loss weight, main first: present when the spec lists `model.outputs`. */
  readonly outputs?: readonly IROutput[];
  /** Ids of layers with an unresolved input or on a cycle. */
  readonly broken: ReadonlySet<string>;
  readonly diagnostics: Diagnostic[];
}

/** Assigns ids: user names where given and unique, else "<kind>_<n>". */
function assignIds(layers: readonly LayerSpec[], ctx: Locator, diags: Diagnostic[]): { ids: string[]; named: boolean[] } {
  const userNames = new Set(layers.map((l) => l.name).filter((n): n is string => n !== undefined));
  const firstAt = new Map<string, number>();
  const ids: string[] = [];
  const named: boolean[] = [];
  const counters = new Map<string, number>();
  const taken = new Set<string>([INPUT_ID]);
  const autoId = (kind: string): string => {
    let n = counters.get(kind) ?? 0;
    let id: string;
    do id = `${kind}_${++n}`;
    while (userNames.has(id) || taken.has(id));
    counters.set(kind, n);
    return id;
  };
  layers.forEach((layer, i) => {
    const name = layer.name;
    if (name === INPUT_ID) {
      diags.push(diag('DLC101', `the name '${INPUT_ID}' is reserved for the model input`, ctx, layerKeyPath(layer, 'name'), 'choose another name'));
    } else if (name !== undefined && firstAt.has(name)) {
      const first = layers[firstAt.get(name)!];
      const pos = ctx.locate(first.path);
      diags.push(diag('DLC101', `a layer named '${name}' already exists`, ctx, layerKeyPath(layer, 'name'), `the first '${name}' is at line ${pos.line}; references resolve to it`));
    } else if (name !== undefined) {
      firstAt.set(name, i);
      ids.push(name);
      named.push(true);
      taken.add(name);
      return;
    }
    ids.push(autoId(layer.kind));
    named.push(false);
  });
  for (const id of ids) taken.add(id);
  return { ids, named };
}

/**
 * Pointer to the j-th input reference of a layer: `<kind>/inputs/j`, or
 * `<kind>/j` for the merge shorthand `add: [a, b]` — told apart by whether
 * the `inputs` key exists (`locate` falls back to an ancestor if not).
 */
function inputRefPath(layer: LayerSpec, j: number, ctx: Locator): string {
  const kindPath = `${layer.path}/${layer.kind}`;
  const full = `${layerKeyPath(layer, 'inputs')}/${j}`;
  const short = `${kindPath}/${j}`;
  const at = (p: string): string => {
    const pos = ctx.locate(p);
    return `${pos.line}:${pos.col}`;
  };
  const base = at(kindPath);
  return at(full) === base && at(short) !== base ? short : full;
}

/** Resolves references and orders the layers. */
export function resolveGraph(model: ModelSpec, ctx: Locator): ResolvedGraph {
  const diags: Diagnostic[] = [];
  const layers = model.layers;
  const { ids, named } = assignIds(layers, ctx, diags);
  const known = new Set<string>([INPUT_ID, ...ids]);
  const broken = new Set<string>();

  const nodes: GraphLayer[] = layers.map((layer, i) => {
    const refs = layer.inputs ?? [i === 0 ? INPUT_ID : ids[i - 1]];
    const inputs: string[] = [];
    refs.forEach((ref, j) => {
      if (known.has(ref)) {
        inputs.push(ref);
        return;
      }
      broken.add(ids[i]);
      const near = didYouMean(ref, [...known].filter((k) => k !== ids[i]));
      diags.push(
        diag('DLC100', `no layer is named '${ref}'${near ? ` — did you mean '${near}'?` : ''}`, ctx, inputRefPath(layer, j, ctx), {
          hint: `inputs name earlier or later layers, or 'input' for the model input`,
          ...(near ? { fix: renameFix(ref, near) } : {}),
        }),
      );
    });
    return { id: ids[i], layer, index: i, inputs, named: named[i] };
  });

  const order = topoSort(nodes, ctx, diags, broken);

  let outputId = ids.length > 0 ? ids[ids.length - 1] : INPUT_ID;
  if (model.outputs !== undefined) {
    const outputs = resolveOutputs(model, known, ctx, diags);
    return { order, outputId: outputs[0]?.id ?? outputId, outputs, broken, diagnostics: diags };
  }
  if (model.output !== undefined) {
    if (known.has(model.output)) outputId = model.output;
    else {
      const near = didYouMean(model.output, known);
      diags.push(
        diag('DLC100', `no layer is named '${model.output}'${near ? ` — did you mean '${near}'?` : ''}`, ctx, '/model/output', {
          hint: `the output defaults to the last layer, '${outputId}'`,
          ...(near ? { fix: renameFix(model.output, near) } : {}),
        }),
      );
    }
  }
  return { order, outputId, broken, diagnostics: diags };
}

/**
 * `model.outputs` → ids and weights (main first). An unknown layer is DLC100
 * at its `layer` value and left out; a layer listed twice, or `output` given
 * as well, is DLC024.
 */
function resolveOutputs(model: ModelSpec, known: ReadonlySet<string>, ctx: Locator, diags: Diagnostic[]): IROutput[] {
  if (model.output !== undefined) {
    diags.push(diag('DLC024', `the model names its output twice: 'output' and 'outputs'`, ctx, '/model/output', { hint: `list every output under 'outputs' (the first is the main one) and remove 'output'` }));
  }
  const out: IROutput[] = [];
  (model.outputs ?? []).forEach((o, k) => {
    const at = `/model/outputs/${k}/layer`;
    if (!known.has(o.layer) || o.layer === INPUT_ID) {
      const near = didYouMean(o.layer, [...known].filter((x) => x !== INPUT_ID));
      diags.push(
        diag('DLC100', `no layer is named '${o.layer}'${near ? ` — did you mean '${near}'?` : ''}`, ctx, at, {
          hint: 'each output names a layer of the model',
          ...(near ? { fix: renameFix(o.layer, near) } : {}),
        }),
      );
      return;
    }
    if (out.some((x) => x.id === o.layer)) {
      diags.push(diag('DLC024', `output '${o.layer}' is listed twice`, ctx, at, { hint: 'each output layer is listed once; its loss_weight says how much it counts' }));
      return;
    }
    out.push({ id: o.layer, lossWeight: o.loss_weight });
  });
  return out;
}

/**
 * Stable topological sort: Kahn's algorithm taking ready nodes in spec
 * order (a min-heap on the index), O(n log n). When nodes remain, they
 * contain a cycle: it is reported once, at its first layer in spec order,
 * its members are marked broken and placed, and sorting resumes.
 */
function topoSort(nodes: readonly GraphLayer[], ctx: Locator, diags: Diagnostic[], broken: Set<string>): GraphLayer[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const consumers = new Map<string, GraphLayer[]>();
  const pending = new Map<string, number>();
  for (const n of nodes) {
    const deps = n.inputs.filter((i) => i !== INPUT_ID);
    pending.set(n.id, deps.length);
    for (const d of deps) consumers.set(d, [...(consumers.get(d) ?? []), n]);
  }
  const ready = new MinHeap<GraphLayer>((a, b) => a.index - b.index);
  for (const n of nodes) if (pending.get(n.id) === 0) ready.push(n);
  const order: GraphLayer[] = [];
  const remaining = new Set(nodes.map((n) => n.id));
  const place = (n: GraphLayer): void => {
    if (!remaining.delete(n.id)) return;
    order.push(n);
    if (n.inputs.some((i) => broken.has(i))) broken.add(n.id);
    for (const c of consumers.get(n.id) ?? []) {
      const left = pending.get(c.id)! - 1;
      pending.set(c.id, left);
      if (left === 0) ready.push(c);
    }
  };
  for (;;) {
    for (let n = ready.pop(); n; n = ready.pop()) place(n);
    if (remaining.size === 0) return order;
    const start = nodes.find((n) => remaining.has(n.id))!;
    const cycle = findCycle(start, byId, remaining);
    const members = cycle.map((id) => byId.get(id)!).sort((a, b) => a.index - b.index);
    const at = members[0];
    const ring = rotate(cycle, at.id);
    diags.push(
      diag('DLC102', `the model graph has a cycle: ${[...ring, ring[0]].join(' → ')}`, ctx, at.layer.inputs ? layerKeyPath(at.layer, 'inputs') : at.layer.path, 'each layer must read only layers that do not depend on it'),
    );
    for (const m of members) broken.add(m.id);
    for (const m of members) place(m);
  }
}

/** A binary min-heap (the ready set of the topological sort). */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}
  push(x: T): void {
    const a = this.items;
    a.push(x);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (this.less(a[i], a[p]) >= 0) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l], a[m]) < 0) m = l;
        if (r < a.length && this.less(a[r], a[m]) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Follows unplaced inputs from `start` until a node repeats; returns the
 * loop in data-flow order. Every unplaced node has an unplaced input (else
 * it would have been ready), so the walk always closes a loop.
 */
function findCycle(start: GraphLayer, byId: Map<string, GraphLayer>, remaining: Set<string>): string[] {
  const path: string[] = [];
  const seen = new Map<string, number>();
  let cur: GraphLayer = start;
  for (;;) {
    seen.set(cur.id, path.length);
    path.push(cur.id);
    const next = cur.inputs.find((i) => remaining.has(i))!;
    if (seen.has(next)) return path.slice(seen.get(next)).reverse();
    cur = byId.get(next)!;
  }
}

function rotate(ids: string[], first: string): string[] {
  const i = ids.indexOf(first);
  return [...ids.slice(i), ...ids.slice(0, i)];
}
