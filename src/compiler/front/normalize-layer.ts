/**
 * One layer list item (already schema-valid, `$params` substituted) → a
 * LayerSpec: shorthands expanded (`max_pool2d: 2`, `dropout: 0.5`,
 * `add: [a, b]`), defaults filled from the one defaults table, 2-D sizes
 * made pairs.
 */
import { DEFAULTS } from './schema/defaults.js';
import type { JsonPointer, LayerSpec } from '../spec.js';

type Obj = Record<string, unknown>;

/** The kind and raw value of a one-key list item (`- flatten` / `- conv2d: {…}`). */
export function itemKind(item: unknown): { kind: string; value: unknown } {
  if (typeof item === 'string') return { kind: item, value: null };
  const [kind] = Object.keys(item as Obj);
  return { kind, value: (item as Obj)[kind] };
}

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [Number(v[0]), Number(v[1])] : [Number(v), Number(v)]);

/** Expands a scalar/list shorthand into the attribute mapping it stands for. */
function expandShorthand(kind: string, value: unknown): Obj {
  if (value === null || value === undefined) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Obj;
  switch (kind) {
    case 'max_pool2d':
    case 'avg_pool2d':
      return { pool_size: value };
    case 'dropout':
      return { rate: value };
    case 'add':
    case 'concat':
      return { inputs: value };
    default:
      return {};
  }
}

/** The keys every layer may carry, copied when present. */
function common(a: Obj, path: JsonPointer): Obj {
  const c: Obj = {};
  if (a.name !== undefined) c.name = a.name;
  if (a.inputs !== undefined) c.inputs = [...(a.inputs as string[])];
  if (a.in_channels !== undefined) c.in_channels = a.in_channels;
  if (a.in_features !== undefined) c.in_features = a.in_features;
  if (a.expect_shape !== undefined) c.expect_shape = [...(a.expect_shape as number[])];
  c.path = path;
  return c;
}

/** Normalises one non-block layer item found at `path`. */
export function normalizeLayer(item: unknown, path: JsonPointer): LayerSpec {
  const { kind, value } = itemKind(item);
  const a = expandShorthand(kind, value);
  const L = DEFAULTS.layer;
  const get = <T>(key: string, def: T): T => (a[key] === undefined ? def : (a[key] as T));
  let attrs: Obj;
  switch (kind) {
    case 'conv2d':
    case 'separable_conv2d':
    case 'depthwise_conv2d': {
      const d = L[kind];
      attrs = {};
      if (kind !== 'depthwise_conv2d') attrs.filters = a.filters;
      attrs.kernel_size = pair(a.kernel_size);
      attrs.strides = pair(get('strides', d.strides));
      attrs.padding = get('padding', d.padding);
      if (kind !== 'conv2d') attrs.depth_multiplier = get('depth_multiplier', (d as { depth_multiplier: number }).depth_multiplier);
      attrs.dilation_rate = pair(get('dilation_rate', d.dilation_rate));
      attrs.activation = get('activation', d.activation);
      attrs.use_bias = get('use_bias', d.use_bias);
      break;
    }
    case 'max_pool2d':
    case 'avg_pool2d': {
      const ps = pair(a.pool_size);
      attrs = { pool_size: ps, strides: a.strides === undefined ? ps : pair(a.strides), padding: get('padding', L[kind].padding) };
      break;
    }
    case 'dense':
      attrs = { units: a.units, activation: get('activation', L.dense.activation), use_bias: get('use_bias', L.dense.use_bias) };
      break;
    case 'reshape':
      attrs = { target_shape: [...(a.target_shape as number[])] };
      break;
    case 'dropout':
      attrs = { rate: a.rate };
      break;
    case 'batch_norm':
      attrs = { momentum: get('momentum', L.batch_norm.momentum), epsilon: get('epsilon', L.batch_norm.epsilon) };
      break;
    case 'layer_norm':
      attrs = { epsilon: get('epsilon', L.layer_norm.epsilon) };
      break;
    case 'leaky_relu':
      attrs = { alpha: get('alpha', L.leaky_relu.alpha) };
      break;
    case 'concat':
      attrs = { axis: get('axis', L.concat.axis) };
      break;
    default:
      // flatten, global pools, activations, add: no attributes of their own.
      attrs = {};
  }
  return { kind, ...attrs, ...common(a, path) } as unknown as LayerSpec;
}
