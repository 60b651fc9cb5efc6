/**
 * What max_pool2d and avg_pool2d share: schema, normalisation, inference and recipe.
 *
 * `padding: valid | same` is Keras's and builds tfjs's own pooling layers.
 * An integer or [ph, pw] padding, or `ceil_mode: true`, is PyTorch's
 * (`nn.MaxPool2d(3, 2, padding=1, ceil_mode=True)`,
 * `nn.AvgPool2d(3, 1, padding=1, count_include_pad=False)`): the output size
 * is PyTorch's formula (compiler/shared/torch-pool.ts), max pooling pads with
 * −∞ (padding never wins), average pooling divides by PyTorch's divisor, and
 * the recipe is dlc's `dlcTorchPool` layer (runtime/model/torch-pool.ts).
 */
import { anyOf, boolean, enumOf, pair, type Schema } from '../front/schema/helpers.js';
import type { LayerCall, RecipeArg } from '../ir.js';
import type { LayerAttrMap, Padding } from '../spec.js';
import { torchPoolLength } from '../shared/torch-pool.js';
import { shapeText } from '../shared/format.js';
import { call, facts, fail, type OpDef, type OpKind } from './op-def.js';
import { needRank, spatial } from './shape.js';

export interface Pool2dAttrs {
  readonly pool_size: readonly [number, number];
  /** Default: the pool size. */
  readonly strides: readonly [number, number];
  /** Keras's `same`/`valid`, or PyTorch's symmetric [ph, pw] (an integer p normalises to [p, p]). */
  readonly padding: Padding | readonly [number, number];
  /** PyTorch's ceil_mode; present only when true. */
  readonly ceil_mode?: boolean;
  /** PyTorch's count_include_pad (average pooling; PyTorch's default true); present only when written. */
  readonly count_include_pad?: boolean;
}

/** The kinds whose attributes are Pool2dAttrs. */
type PoolKind = { [K in OpKind]: LayerAttrMap[K] extends Pool2dAttrs ? K : never }[OpKind];

/** `valid | same | int` — and `[h, w]` for the 2-D kinds. */
export function poolPaddingSchema(dims: 1 | 2): Schema {
  const count = { type: 'integer', minimum: 0 };
  return anyOf(
    [
      { type: 'string', enum: ['same', 'valid'], description: '`valid` drops the border that does not fill a window; `same` pads so that output = ceil(input / stride) (TF).' },
      { ...count, description: 'PyTorch-style padding on every side (at most half the window); max pooling pads with −∞, average pooling with zeros.' },
      ...(dims === 2 ? [{ type: 'array', items: count, minItems: 2, maxItems: 2, description: '[height, width]: PyTorch-style padding, top/bottom and left/right.' }] : []),
    ],
    'Padding: `valid`, `same`, or PyTorch-style explicit padding (an integer' + (dims === 2 ? ' or [height, width]' : '') + ').',
    { default: 'valid', examples: ['valid', 'same', 1] },
  );
}

/** The PyTorch-only attributes of a pooling kind (`count_include_pad` for averages). */
export function torchPoolAttrs(avg: boolean): Record<string, Schema> {
  return {
    ceil_mode: boolean('PyTorch ceil_mode: round the output size up (a last, partial window), as long as it starts inside the input or the left padding.', { default: false }),
    ...(avg ? { count_include_pad: boolean('PyTorch count_include_pad: whether explicit (integer) padding counts in each window\'s divisor; true when left out, as in PyTorch. Not for padding: same, which averages over the real pixels.', { examples: [false] }) } : {}),
  };
}

/** The PyTorch-only attributes as normalised: present only when they say something. */
export function torchPoolExtras(a: Readonly<Record<string, unknown>>, avg: boolean): { ceil_mode?: boolean; count_include_pad?: boolean } {
  return {
    ...(a.ceil_mode === true ? { ceil_mode: true } : {}),
    ...(avg && typeof a.count_include_pad === 'boolean' ? { count_include_pad: a.count_include_pad } : {}),
  };
}

/**
 * The explicit (PyTorch) pads per axis, or undefined for Keras's
 * valid/same; throws when `same` is combined with a PyTorch-only attribute.
 */
export function torchPads(kind: string, padding: Padding | number | readonly number[], dims: number, a: { ceil_mode?: boolean; count_include_pad?: boolean }): number[] | undefined {
  if (padding === 'same') {
    if (a.ceil_mode) fail('DLC013', `${kind}: ceil_mode does not apply to padding: same (its output is already ceil(input / stride))`, 'use padding: valid or an integer padding with ceil_mode', 'ceil_mode');
    if (a.count_include_pad === true)
      fail('DLC013', `${kind}: count_include_pad: true does not apply to padding: same, which averages over the real pixels only (TF)`, 'use an integer padding (PyTorch style) to count the padding', 'count_include_pad');
    return undefined;
  }
  if (padding === 'valid') return a.ceil_mode ? Array<number>(dims).fill(0) : undefined;
  return typeof padding === 'number' ? Array<number>(dims).fill(padding) : [...padding];
}

/** PyTorch's output sizes of an explicit pooling; throws DLC012 (padding > half the window, at `padding`) or DLC106. */
export function torchPoolOutput(kind: string, sizes: readonly number[], kernel: readonly number[], strides: readonly number[], pads: readonly number[], ceil: boolean, input: readonly number[]): number[] {
  pads.forEach((p, i) => {
    if (p > Math.floor(kernel[i] / 2))
      fail(
        'DLC012',
        `${kind} padding ${p} is more than half the window (${kernel.join('×')}): PyTorch allows at most ${Math.floor(kernel[i] / 2)}`,
        `use padding ≤ pool_size / 2 (${pads.map((_, j) => Math.floor(kernel[j] / 2)).join(', ')}), or a larger pool_size`,
        'padding',
      );
  });
  const out = sizes.map((s, i) => torchPoolLength(s, kernel[i], strides[i], pads[i], ceil));
  if (out.every((o) => o > 0)) return out;
  return fail(
    'DLC106',
    `${kind} with a ${kernel.join('×')} window, stride ${strides.join('×')}, padding ${pads.join('×')}${ceil ? ' and ceil_mode' : ''} on a ${shapeText(input)} input gives a ${out.join('×')} output`,
    'use a smaller window, more padding, or fewer pooling/strided layers before it',
  );
}

/** The recipe call of an explicit (PyTorch) pooling: dlc's dlcTorchPool layer. */
export function torchPoolCall(name: string, avg: boolean, kernel: readonly number[], strides: readonly number[], pads: readonly number[], a: { ceil_mode?: boolean; count_include_pad?: boolean }): LayerCall {
  const args: Record<string, RecipeArg> = { name, mode: avg ? 'avg' : 'max', poolSize: [...kernel], strides: [...strides], padding: [...pads], ceilMode: a.ceil_mode === true };
  if (avg) args.countIncludePad = a.count_include_pad ?? true;
  return call('dlcTorchPool', args);
}

/** The definition of a 2-D pooling kind built with tfjs factory `layer` (avg: average pooling). */
export function pool2d<K extends PoolKind>(kind: K, what: string, layer: string, avg: boolean): OpDef<K> {
  const def: OpDef<PoolKind> = {
    kind,
    description: `${what} pooling over 2-D windows.`,
    attrs: {
      pool_size: pair('Window size: an integer or [height, width].', { examples: [2, 3] }),
      strides: pair('Stride of the window. Default: the pool size.', { examples: [2] }),
      padding: poolPaddingSchema(2),
      ...torchPoolAttrs(avg),
    },
    required: ['pool_size'],
    defaults: { padding: 'valid' },
    pairs: ['pool_size', 'strides'],
    shorthand: { schema: pair('Shorthand for `{pool_size: …}`.', { examples: [2] }), key: 'pool_size' },
    normalize: (a) => {
      const p = a.padding as Padding | number | [number, number];
      const padding = typeof p === 'number' ? [p, p] : p;
      return { pool_size: a.pool_size, strides: a.strides ?? a.pool_size, padding, ...torchPoolExtras(a, avg) } as Pool2dAttrs;
    },
    infer(a, [x]) {
      needRank(kind, x, 3);
      const pads = torchPads(kind, a.padding, 2, a);
      if (pads) return facts([...torchPoolOutput(kind, [x[0], x[1]], a.pool_size, a.strides, pads, a.ceil_mode === true, x), x[2]]);
      const [ho, wo] = spatial(kind, x, { kernel: a.pool_size, strides: a.strides, dilation: [1, 1], padding: a.padding as Padding });
      return facts([ho, wo, x[2]]);
    },
    build(a, ctx) {
      const pads = torchPads(kind, a.padding, 2, a);
      if (pads) return [torchPoolCall(ctx.name, avg, a.pool_size, a.strides, pads, a)];
      const args: Record<string, RecipeArg> = { name: ctx.name, poolSize: [...a.pool_size] };
      if (a.strides[0] !== a.pool_size[0] || a.strides[1] !== a.pool_size[1]) args.strides = [...a.strides];
      if (a.padding !== 'valid') args.padding = a.padding as Padding;
      return [call(layer, args)];
    },
  };
  return def as unknown as OpDef<K>;
}
