/**
 * The normalised Spec → the YAML a user would write, fully resolved: every
 * default explicit, blocks expanded, shorthands spelled out. What
 * `dlc config` prints; compiling it again gives the same Spec.
 */
import { Document, isMap, isSeq, type Node } from 'yaml';
import { LAYER_KINDS } from './schema/layers.js';
import { anyFamily, LOSSES, METRICS, OPTIMIZERS, SCHEDULES, TRANSFORMS } from '../kinds/index.js';
import { datasetOwnKeys } from '../datasets/index.js';
import type { LayerSpec, Spec, TransformSpec } from '../spec.js';

type Obj = Record<string, unknown>;

const COMMON = ['name', 'inputs', 'in_channels', 'in_features', 'expect_shape', 'init'] as const;

/** `{kind, ...attrs, path}` → `{kind: {...attrs}}`, or the bare kind when it has nothing to say. */
function kindItem(x: { kind: string } & Obj, table: Record<string, { attrs: Obj }>, common: readonly string[] = []): unknown {
  const { kind, path: _path, ...rest } = x;
  const attrs: Obj = {};
  const keys = Object.keys(rest).filter((k) => rest[k] !== undefined);
  // The schema's order of attributes, then the common keys, as people write them.
  const own = Object.keys(table[kind]?.attrs ?? {});
  const rank = (k: string) => (own.includes(k) ? own.indexOf(k) : common.includes(k) ? 1000 + common.indexOf(k) : 500);
  const sorted = [...keys].sort((a, b) => rank(a) - rank(b));
  for (const k of sorted) attrs[k] = rest[k];
  return Object.keys(attrs).length ? { [kind]: attrs } : kind;
}

/** The spec as a plain document in the user-facing format. */
export function specToDocument(spec: Spec): Obj {
  const d = spec.data;
  const data: Obj = { dataset: d.dataset };
  for (const k of [...datasetOwnKeys(), 'input_shape', 'num_classes', 'validation_split', 'batch_size', 'train_limit', 'test_limit'] as const)
    if (d[k] !== undefined) data[k] = d[k];
  const transform = (t: TransformSpec) => kindItem(t as unknown as { kind: string } & Obj, anyFamily(TRANSFORMS));
  data.transforms = { train: d.transforms.train.map(transform), eval: d.transforms.eval.map(transform) };
  const model: Obj = {};
  if (spec.model.output !== undefined) model.output = spec.model.output;
  if (spec.model.outputs !== undefined) model.outputs = spec.model.outputs.map((o) => ({ layer: o.layer, loss_weight: o.loss_weight }));
  model.layers = spec.model.layers.map((l: LayerSpec) => kindItem(l as unknown as { kind: string } & Obj, LAYER_KINDS, COMMON));
  const doc: Obj = { name: spec.name };
  if (spec.description !== undefined) doc.description = spec.description;
  doc.seed = spec.seed;
  doc.conventions = spec.conventions;
  doc.data = data;
  doc.model = model;
  doc.loss = kindItem(spec.loss as unknown as { kind: string } & Obj, anyFamily(LOSSES));
  doc.optimizer = kindItem(spec.optimizer as unknown as { kind: string } & Obj, anyFamily(OPTIMIZERS));
  doc.schedule = kindItem(spec.schedule as unknown as { kind: string } & Obj, anyFamily(SCHEDULES));
  doc.train = spec.train;
  doc.metrics = spec.metrics.map((m) => kindItem(m as unknown as { kind: string } & Obj, anyFamily(METRICS)));
  return doc;
}

/**
 * YAML text: sections in block style, short attribute mappings and lists in
 * flow style (`- conv2d: {filters: 16, kernel_size: [3, 3], …}`).
 */
export function documentToYaml(doc: Obj, header: readonly string[] = []): string {
  const ydoc = new Document(doc);
  // Flow style only for collections of scalars (and mappings of those): lists of layers stay blocks.
  const flat = (node: unknown): boolean => {
    if (isSeq(node)) return node.items.every((it) => !isMap(it) && !isSeq(it));
    if (isMap(node)) return node.items.every((it) => !isMap(it.value) && (!isSeq(it.value) || flat(it.value)));
    return true;
  };
  const flowShort = (node: unknown, depth: number, inSeq: boolean) => {
    if (isMap(node) || isSeq(node)) {
      const json = JSON.stringify((node as Node).toJSON());
      const items = (node as { items: unknown[] }).items;
      // A list item `- conv2d: {…}` stays a block; its attributes go flow.
      const isKindItem = isMap(node) && items.length === 1 && inSeq;
      if ((depth >= 2 || (depth === 1 && isSeq(node))) && json.length <= 160 && !isKindItem && flat(node)) (node as { flow: boolean }).flow = true;
      for (const it of items) {
        if (isMap(node)) flowShort((it as { value: unknown }).value, depth + 1, false);
        else flowShort(it, depth + 1, true);
      }
    }
  };
  flowShort(ydoc.contents, 0, false);
  const body = ydoc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return [...header, body].join('\n');
}
