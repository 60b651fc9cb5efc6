/**
 * Lowering: the normalised Spec → the IR graph, with every shape,
 * parameter count and multiply-add count inferred, then the static checks
 * of passes/pipeline.ts run on it.
 *
 * Order of work: data facts (input shape, classes, transform checks) →
 * graph resolution (names, references, order) → per-node inference in
 * topological order → passes. A node whose inference fails, or that reads
 * such a node, gets no shape and is skipped by everything after, so each
 * mistake is reported once. The IR is returned only when there are no
 * errors; consumers never see a half-inferred graph.
 */
import { resolveDataFacts } from './datasets.js';
import { diag } from '../diagnostics/report.js';
import { sortDiagnostics, hasErrors, type Diagnostic } from '../diagnostics/diagnostics.js';
import { INPUT_ID, resolveGraph, type GraphLayer } from './graph.js';
import { typedOp } from '../ir-attrs.js';
import type { IR, IRNode } from '../ir.js';
import { layerKeyPath } from './layer-path.js';
import type { PassContext } from './passes/context.js';
import { runPasses } from './passes/pipeline.js';
import { nodeRecipes } from '../ops/recipe.js';
import { inferOp, type Shape } from './shape-inference.js';
import type { JsonPointer, LayerSpec, Spec } from '../spec.js';

/** How lowering finds spec positions for the diagnostics it reports. */
export interface LowerContext {
  readonly file: string;
  /** Position of the YAML node at `path` (nearest existing ancestor if absent). */
  locate(path: JsonPointer): { line: number; col: number; endLine?: number; endCol?: number };
  /** Reads a directory listing (image_folder class names); absent → not scanned. */
  listDir?(path: string): string[] | undefined;
  /** The spec file's folder (relative data paths); default the working directory. */
  readonly specDir?: string;
}

export interface LowerResult {
  /** Present when lowering and every check found no error. */
  readonly ir?: IR;
  readonly diagnostics: Diagnostic[];
}

const COMMON_KEYS = new Set(['kind', 'name', 'inputs', 'path', 'in_channels', 'in_features', 'expect_shape', 'init']);

/** The node attributes of a layer: its own keys, without the common ones. */
export function lowerAttrs(layer: LayerSpec): Record<string, unknown> {
  const attrs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(layer)) if (!COMMON_KEYS.has(k) && v !== undefined) attrs[k] = v;
  return attrs;
}

const UNKNOWN: Shape = [];
const NO_PARAMS = { trainable: 0, nonTrainable: 0 };

/** The IR before the passes, with what they need; exported for the passes' unit tests. */
export interface InferredGraph {
  /** Absent only when the data facts are unknowable (DLC118). Nodes that could not be inferred have shape []. */
  readonly ir?: IR;
  readonly passContext?: PassContext;
  readonly diagnostics: Diagnostic[];
}

/** Lowers `spec` and infers every node, without running the passes. */
export function inferGraph(spec: Spec, ctx: LowerContext): InferredGraph {
  const diags: Diagnostic[] = [];
  const data = resolveDataFacts(spec.data, ctx);
  diags.push(...data.diagnostics);
  const graph = resolveGraph(spec.model, ctx);
  diags.push(...graph.diagnostics);
  const facts = data.facts;
  if (!facts) return { diagnostics: diags };

  const inputPos = ctx.locate('/data/dataset');
  const inferred: Omit<IRNode, 'layers'>[] = [
    {
      id: INPUT_ID,
      op: 'input',
      attrs: { shape: facts.inputShape },
      inputs: [],
      shape: facts.inputShape,
      params: NO_PARAMS,
      macs: 0,
      named: false,
      source: { file: ctx.file, path: '/data/dataset', line: inputPos.line, col: inputPos.col },
    },
  ];
  const shapes = new Map<string, Shape>([[INPUT_ID, facts.inputShape]]);
  const layerById = new Map<string, LayerSpec>();
  for (const g of graph.order) {
    layerById.set(g.id, g.layer);
    const node = lowerNode(g, graph.broken.has(g.id), shapes, ctx, diags);
    shapes.set(g.id, node.shape);
    inferred.push(node);
  }
  // Each node's recipe (how it is built), with layer names and seeds settled here, once.
  const recipes = nodeRecipes(inferred, spec.seed, facts.inputDType, spec.conventions, (id) => layerById.get(id)?.init);
  const nodes: IRNode[] = inferred.map((n, i) => ({ ...n, layers: recipes[i] }));

  const ir: IR = {
    file: ctx.file,
    spec,
    nodes,
    outputId: graph.outputId,
    ...(graph.outputs && graph.outputs.length > 0 ? { outputs: graph.outputs } : {}),
    inputShape: facts.inputShape,
    numClasses: facts.numClasses,
    ...(facts.classNames ? { classNames: facts.classNames } : {}),
    // Only when not the default (float32 inputs, class targets), so image specs lower to the IR they always did.
    ...(facts.inputDType !== 'float32' ? { inputDType: facts.inputDType } : {}),
    ...(facts.target.kind !== 'class' ? { target: facts.target } : {}),
  };
  const passContext: PassContext = { file: ctx.file, locate: (p) => ctx.locate(p), facts, layerOf: (id) => layerById.get(id) };
  return { ir, passContext, diagnostics: diags };
}

/** Lowers `spec` to IR and runs the shape inference and static checks. */
export function lower(spec: Spec, ctx: LowerContext): LowerResult {
  const g = inferGraph(spec, ctx);
  const diags = [...g.diagnostics];
  if (g.ir && g.passContext) diags.push(...runPasses(g.ir, g.passContext));
  const all = finish(diags);
  return g.ir && !hasErrors(all) ? { ir: g.ir, diagnostics: all } : { diagnostics: all };
}

function lowerNode(g: GraphLayer, broken: boolean, shapes: Map<string, Shape>, ctx: LowerContext, diags: Diagnostic[]): Omit<IRNode, 'layers'> {
  const pos = ctx.locate(g.layer.path);
  const base = {
    id: g.id,
    op: g.layer.kind,
    attrs: lowerAttrs(g.layer),
    inputs: g.inputs,
    named: g.named,
    source: { file: ctx.file, path: g.layer.path, line: pos.line, col: pos.col },
  };
  const inShapes = g.inputs.map((i) => shapes.get(i) ?? UNKNOWN);
  if (broken || inShapes.some((s) => s.length === 0)) return { ...base, shape: UNKNOWN, params: NO_PARAMS, macs: 0 };
  const r = inferOp(typedOp(base), inShapes);
  if (!r.ok) {
    const at = r.error.key ? layerKeyPath(g.layer, r.error.key) : g.layer.path;
    diags.push(diag(r.error.code, `${g.id}: ${r.error.message}`, ctx, at, r.error.hint));
    return { ...base, shape: UNKNOWN, params: NO_PARAMS, macs: 0 };
  }
  return { ...base, shape: r.shape, params: r.params, macs: r.macs };
}

/**
 * Sorts, and drops repeats: a layer inside a repeated block has one spec
 * position for all its copies, so the same mistake would otherwise be
 * reported once per copy.
 */
function finish(diags: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return sortDiagnostics(diags).filter((d) => {
    const key = `${d.code}|${d.path}|${d.line}|${d.col}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
