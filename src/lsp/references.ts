/**
 * Completion of names the schema cannot list: the layers an `inputs`, an
 * `add`/`concat` shorthand or `model.output` may name, and the blocks a
 * `block: {use: …}` may use. They come from the document being edited.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Suggestion } from './schema-walk.js';
import { nodeAt, toPointer, type ParsedYaml } from './yaml-ast.js';

/** The `name`s given to the layers of the list at `layersPointer`. */
function layerNames(parsed: ParsedYaml, layersPointer: string): string[] {
  const list = nodeAt(parsed, layersPointer);
  if (!isSeq(list)) return [];
  const names: string[] = [];
  for (const item of list.items) {
    if (!isMap(item)) continue;
    const body = item.items[0]?.value as Node | null | undefined;
    const name = isMap(body) ? body.get('name') : undefined;
    if (typeof name === 'string' && name.length > 0) names.push(name);
  }
  return names;
}

/**
 * Names that fit the value at `segs`, or undefined when the place takes no
 * reference. `segs` points at the value being typed.
 */
export function referencesAt(parsed: ParsedYaml, segs: readonly string[]): Suggestion[] | undefined {
  const n = segs.length;
  const isIndex = (s: string | undefined) => s !== undefined && /^\d+$/.test(s);
  // Which layer list the place belongs to: the model's or a block's.
  const listEnd = segs.lastIndexOf('layers');
  const inLayerItem = listEnd >= 0 && isIndex(segs[listEnd + 1]);
  const layersPointer = toPointer(segs.slice(0, listEnd + 1));
  const value = (labels: readonly string[], description: string): Suggestion[] =>
    [...new Set(labels)].map((label) => ({ label, kind: 'value' as const, description }));

  if (inLayerItem) {
    const rel = segs.slice(listEnd + 2); // [kind, ...]
    const kind = rel[0];
    const refList = (rel.length === 3 && rel[1] === 'inputs' && isIndex(rel[2])) || (rel.length === 2 && (kind === 'add' || kind === 'concat') && isIndex(rel[1]));
    if (refList) {
      const own = nodeAt(parsed, toPointer([...segs.slice(0, listEnd + 2), kind!, 'name']));
      const self = isScalar(own) ? String(own.value) : undefined;
      return value([...layerNames(parsed, layersPointer).filter((x) => x !== self), 'input'], 'a layer of this list (`input`: the model or block input)');
    }
    if (kind === 'block' && rel.length === 2 && rel[1] === 'use') {
      const blocks = nodeAt(parsed, '/model/blocks');
      const names = isMap(blocks) ? blocks.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')).filter(Boolean) : [];
      return value(names, 'a block defined under model.blocks');
    }
  }
  if (n === 2 && segs[0] === 'model' && segs[1] === 'output') return value(layerNames(parsed, '/model/layers'), 'a named layer of model.layers');
  return undefined;
}
