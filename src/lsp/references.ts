/**
 * Names the schema cannot know: the layers an `inputs` list, an
 * `add`/`concat` shorthand or `model.output` may name, and the blocks a
 * `block: {use: …}` may use. They come from the document being edited, for
 * completion and for go-to-definition.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Suggestion } from './schema-walk.js';
import { keyNodeAt, locate, nodeAt, type ParsedYaml } from './yaml-ast.js';
import { joinPointer } from '../compiler/shared/json-pointer.js';

/** What a value at some place refers to. */
type Place = { readonly type: 'layer'; readonly layersPointer: string; readonly self?: string } | { readonly type: 'block' };

const isIndex = (s: string | undefined): boolean => s !== undefined && /^\d+$/.test(s);

/** The kind of reference the value at `segs` is, if any. */
function placeOf(parsed: ParsedYaml, segs: readonly string[]): Place | undefined {
  if (segs.length === 2 && segs[0] === 'model' && segs[1] === 'output') return { type: 'layer', layersPointer: '/model/layers' };
  // model.outputs: [{layer: …}] (several outputs).
  if (segs.length === 4 && segs[0] === 'model' && segs[1] === 'outputs' && isIndex(segs[2]) && segs[3] === 'layer') return { type: 'layer', layersPointer: '/model/layers' };
  // Which layer list the place belongs to: the model's or a block's.
  const listEnd = segs.lastIndexOf('layers');
  if (listEnd < 0 || !isIndex(segs[listEnd + 1])) return undefined;
  const rel = segs.slice(listEnd + 2); // [kind, ...]
  const kind = rel[0];
  const layersPointer = joinPointer(segs.slice(0, listEnd + 1));
  const refList = (rel.length === 3 && rel[1] === 'inputs' && isIndex(rel[2])) || (rel.length === 2 && (kind === 'add' || kind === 'concat') && isIndex(rel[1]));
  if (refList) {
    const own = nodeAt(parsed, joinPointer([...segs.slice(0, listEnd + 2), kind!, 'name']));
    return { type: 'layer', layersPointer, ...(isScalar(own) ? { self: String(own.value) } : {}) };
  }
  if (kind === 'block' && rel.length === 2 && rel[1] === 'use') return { type: 'block' };
  return undefined;
}

/** The `name` value nodes of the layers of the list at `layersPointer`. */
function layerNameNodes(parsed: ParsedYaml, layersPointer: string): Map<string, Node> {
  const out = new Map<string, Node>();
  const list = nodeAt(parsed, layersPointer);
  if (!isSeq(list)) return out;
  for (const item of list.items) {
    if (!isMap(item)) continue;
    const body = item.items[0]?.value as Node | null | undefined;
    const name = isMap(body) ? body.get('name', true) : undefined;
    if (isScalar(name) && typeof name.value === 'string' && name.value.length > 0 && !out.has(name.value)) out.set(name.value, name);
  }
  return out;
}

function blockNames(parsed: ParsedYaml): string[] {
  const blocks = nodeAt(parsed, '/model/blocks');
  return isMap(blocks) ? blocks.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')).filter(Boolean) : [];
}

/** Names that fit the value at `segs`, or undefined when the place takes no reference. */
export function referencesAt(parsed: ParsedYaml, segs: readonly string[]): Suggestion[] | undefined {
  const place = placeOf(parsed, segs);
  if (!place) return undefined;
  const value = (labels: readonly string[], description: string): Suggestion[] => [...new Set(labels)].map((label) => ({ label, kind: 'value' as const, description }));
  if (place.type === 'block') return value(blockNames(parsed), 'a block defined under model.blocks');
  const names = [...layerNameNodes(parsed, place.layersPointer).keys()].filter((n) => n !== place.self);
  // `model.output` names a layer; inside lists, `input` is the model (or block) input too.
  return (segs[1] === 'output' && segs.length === 2) || segs[1] === 'outputs' ? value(names, 'a named layer of model.layers') : value([...names, 'input'], 'a layer of this list (`input`: the model or block input)');
}

/** The node a reference at `offset` names (a layer's `name` value or a block's key), if any. */
export function definitionAt(parsed: ParsedYaml, offset: number): Node | undefined {
  const at = locate(parsed, offset);
  if (at.onKey || !isScalar(at.node) || typeof at.node.value !== 'string') return undefined;
  const place = placeOf(parsed, at.segments);
  if (!place) return undefined;
  if (place.type === 'block') return keyNodeAt(parsed, `/model/blocks/${at.node.value}`);
  return layerNameNodes(parsed, place.layersPointer).get(at.node.value);
}
