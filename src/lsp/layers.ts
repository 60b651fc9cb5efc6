/**
 * Layer-level editor features: which IR nodes a cursor is on (hover) and the
 * outline of the model (document symbols). Both go from the YAML tree to the
 * IR through the pointer every node keeps in `source.path`.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { IR, IRNode } from '../compiler/ir.js';
import { keyNodeAt, locate, nodeAt, rangeOf, type ParsedYaml } from './yaml-ast.js';
import { joinPointer } from '../compiler/shared/json-pointer.js';
import { shapeList, thousands } from '../compiler/shared/format.js';

type Range = ReturnType<typeof rangeOf>;

/** The IR nodes lowered from the spec item at the cursor, and that item's pointer. */
export interface LayerAtCursor {
  readonly pointer: string;
  readonly nodes: readonly IRNode[];
  /** Set when the item is a block use (`- block: {use, repeat}`): its scope and block name. */
  readonly block?: { readonly scope: string; readonly use: string; readonly repeat: number };
}

/**
 * The scope a block use names its layers in: the item's `name`, else
 * `<use>_<k>` for the k-th unnamed use of that block (1-based) — the rule
 * src/compiler/front/blocks.ts documents.
 */
function blockScope(parsed: ParsedYaml, layersPointer: string, index: number): { scope: string; use: string; repeat: number } | undefined {
  const layers = nodeAt(parsed, layersPointer);
  if (!isSeq(layers)) return undefined;
  const useOf = (item: unknown): { name?: string; use?: string; repeat?: number } | undefined => {
    if (!isMap(item) || item.items.length !== 1 || !isScalar(item.items[0]?.key) || item.items[0].key.value !== 'block') return undefined;
    const body = (item.items[0].value as Node | null)?.toJSON?.() as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') return undefined;
    return { name: typeof body.name === 'string' ? body.name : undefined, use: typeof body.use === 'string' ? body.use : undefined, repeat: typeof body.repeat === 'number' ? body.repeat : 1 };
  };
  const me = useOf(layers.items[index]);
  if (!me?.use) return undefined;
  if (me.name) return { scope: me.name, use: me.use, repeat: me.repeat ?? 1 };
  let k = 0;
  for (let i = 0; i <= index; i++) {
    const u = useOf(layers.items[i]);
    if (u?.use === me.use && !u.name) k++;
  }
  return { scope: `${me.use}_${k}`, use: me.use, repeat: me.repeat ?? 1 };
}

/**
 * Finds the innermost spec item (walking up from the cursor's pointer) that
 * some IR node came from. Nodes of a repeated block share their definition's
 * pointer, so one item may give several nodes.
 */
export function layerAt(parsed: ParsedYaml, offset: number, ir: IR, docIsSource: (file: string) => boolean): LayerAtCursor | undefined {
  const { segments } = locate(parsed, offset);
  const byPath = new Map<string, IRNode[]>();
  for (const n of ir.nodes) {
    if (!docIsSource(n.source.file)) continue;
    const list = byPath.get(n.source.path) ?? [];
    list.push(n);
    byPath.set(n.source.path, list);
  }
  for (let len = segments.length; len > 0; len--) {
    const pointer = joinPointer(segments.slice(0, len));
    const nodes = byPath.get(pointer);
    if (nodes) return { pointer, nodes };
    // A block use lowers to the nodes of its copies, named in its scope.
    if (len >= 3 && segments[len - 2] === 'layers' && /^\d+$/.test(segments[len - 1]!)) {
      const layersPointer = joinPointer(segments.slice(0, len - 1));
      const block = blockScope(parsed, layersPointer, Number(segments[len - 1]));
      // A use inside a block definition (nested blocks) names its copies `<outer scope>.<copy>.<scope>.…`, in every copy of the outer block.
      const nested = layersPointer !== '/model/layers';
      const inScope = block ? ir.nodes.filter((n) => (nested ? n.id.includes(`.${block.scope}.`) && /\.\d+$/.test(n.id.slice(0, n.id.indexOf(`.${block.scope}.`))) : n.id.startsWith(`${block.scope}.`))) : [];
      if (block && inScope.length > 0) return { pointer, nodes: inScope, block };
    }
  }
  return undefined;
}

/** "[32, 32, 16]" — the notation `dlc inspect` uses. */
export function formatShape(shape: readonly number[]): string {
  // [] marks a node inference could not reach (an earlier error).
  return shape.length === 0 ? '?' : shapeList(shape);
}

function inputShapes(ir: IR, node: IRNode): string {
  const shapes = node.inputs.map((id) => ir.nodes.find((n) => n.id === id)?.shape).filter((s): s is readonly number[] => !!s);
  return shapes.length === 0 ? '—' : shapes.map(formatShape).join(' + ');
}

function formatParams(trainable: number, nonTrainable: number): string {
  const total = trainable + nonTrainable;
  return nonTrainable > 0 ? `${thousands(total)} (${thousands(trainable)} trainable)` : thousands(total);
}

/** Hover markdown for a block use: what goes in, what comes out, what it costs. */
function blockMarkdown(ir: IR, hit: LayerAtCursor & { block: NonNullable<LayerAtCursor['block']> }): string {
  const ids = new Set(hit.nodes.map((n) => n.id));
  const outside = hit.nodes.flatMap((n) => n.inputs).filter((id) => !ids.has(id));
  const inShapes = [...new Set(outside)].map((id) => ir.nodes.find((n) => n.id === id)?.shape).filter((x): x is readonly number[] => !!x);
  const last = hit.nodes[hit.nodes.length - 1]!;
  const trainable = hit.nodes.reduce((a, n) => a + n.params.trainable, 0);
  const nonTrainable = hit.nodes.reduce((a, n) => a + n.params.nonTrainable, 0);
  const times = hit.block.repeat > 1 ? ` ×${hit.block.repeat}` : '';
  return [
    `**${hit.block.scope}** · block \`${hit.block.use}\`${times} (${hit.nodes.length} layers)`,
    '',
    `input \`${inShapes.length ? inShapes.map(formatShape).join(' + ') : '—'}\` → output \`${formatShape(last.shape)}\``,
    '',
    `params: ${formatParams(trainable, nonTrainable)}`,
  ].join('\n');
}

/** Hover markdown for what the cursor is on (one layer, a block definition's copies, or a block use). */
export function hoverMarkdown(ir: IR, hit: LayerAtCursor): string {
  if (hit.block) return blockMarkdown(ir, { ...hit, block: hit.block });
  const nodes = hit.nodes;
  const shown = nodes.slice(0, 8);
  const parts = shown.map((n) => {
    if (n.op === 'input') return `**model input** \`${formatShape(n.shape)}\` · ${ir.numClasses} classes`;
    const params = formatParams(n.params.trainable, n.params.nonTrainable);
    return [
      `**${n.id}** · \`${n.op}\``,
      '',
      `input \`${inputShapes(ir, n)}\` → output \`${formatShape(n.shape)}\``,
      '',
      n.shape.length === 0 ? '_not inferred: an error before this layer stops shape inference_' : `params: ${params}`,
    ].join('\n');
  });
  if (nodes.length > shown.length) parts.push(`… and ${nodes.length - shown.length} more`);
  return parts.join('\n\n---\n\n');
}

/** A layer in the outline (a DocumentSymbol without the LSP enum). */
export interface LayerSymbol {
  readonly name: string;
  readonly detail: string;
  readonly range: Range;
  readonly selectionRange: Range;
}

function kindOfItem(item: Node | undefined): string | undefined {
  if (isScalar(item)) return String(item.value);
  if (isMap(item) && item.items.length > 0 && isScalar(item.items[0]?.key)) return String(item.items[0].key.value);
  return undefined;
}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * The model's layers: from the IR when it exists (names, kinds, inferred
 * shapes), else from the YAML tree alone (kinds only), so the outline stays
 * while the spec has errors.
 */
export function layerSymbols(parsed: ParsedYaml, ir: IR | undefined, docIsSource: (file: string) => boolean): LayerSymbol[] {
  if (ir) {
    return ir.nodes
      .filter((n) => n.op !== 'input')
      .map((n) => {
        const here = docIsSource(n.source.file);
        const node = here ? nodeAt(parsed, n.source.path) : undefined;
        const range = node ? rangeOf(parsed, node) : ZERO;
        const first = isMap(node) ? (node.items[0]?.key as Node | undefined) : node;
        const selectionRange = first ? rangeOf(parsed, first) : range;
        return { name: n.id, detail: `${n.op} → ${formatShape(n.shape)}`, range, selectionRange };
      });
  }
  const layers = nodeAt(parsed, '/model/layers');
  if (!isSeq(layers)) return [];
  return layers.items.flatMap((raw, i) => {
    const item = raw as Node;
    const kind = kindOfItem(item);
    if (!kind || !item.range) return [];
    const range = rangeOf(parsed, item);
    const key = keyNodeAt(parsed, `/model/layers/${i}/${kind}`);
    return [{ name: `${i}: ${kind}`, detail: kind, range, selectionRange: key ? rangeOf(parsed, key) : range }];
  });
}
