/**
 * Where a layer's keys are in the spec document. A layer is a list item
 * `- conv2d: {filters: 16, in_channels: 3, …}`; its `path` points at the
 * item, and its keys live under the kind. Kept in one place so the
 * diagnostics of lowering and of every pass point at the same node.
 * (`locate` falls back to the nearest existing ancestor when a key is
 * absent, e.g. a shorthand like `- max_pool2d: 2`.)
 */
import type { JsonPointer, LayerSpec } from '../spec.js';

/** JSON pointer to `key` of `layer` (e.g. "/model/layers/3/conv2d/in_channels"). */
export function layerKeyPath(layer: Pick<LayerSpec, 'path' | 'kind'>, key: string): JsonPointer {
  return `${layer.path}/${layer.kind}/${key}`;
}
