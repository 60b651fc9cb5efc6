/** What max_pool2d and avg_pool2d share: schema, normalisation, inference and recipe. */
import { enumOf, pair } from '../front/schema/helpers.js';
import type { RecipeArg } from '../ir.js';
import type { LayerAttrMap, Padding } from '../spec.js';
import { call, facts, type OpDef, type OpKind } from './op-def.js';
import { needRank, spatial } from './shape.js';

export interface Pool2dAttrs {
  readonly pool_size: readonly [number, number];
  /** Default: the pool size. */
  readonly strides: readonly [number, number];
  readonly padding: Padding;
}

/** The kinds whose attributes are Pool2dAttrs. */
type PoolKind = { [K in OpKind]: LayerAttrMap[K] extends Pool2dAttrs ? K : never }[OpKind];

/** The definition of a 2-D pooling kind built with tfjs factory `layer`. */
export function pool2d<K extends PoolKind>(kind: K, what: string, layer: string): OpDef<K> {
  const def: OpDef<PoolKind> = {
    kind,
    description: `${what} pooling over 2-D windows.`,
    attrs: {
      pool_size: pair('Window size: an integer or [height, width].', { examples: [2, 3] }),
      strides: pair('Stride of the window. Default: the pool size.', { examples: [2] }),
      padding: enumOf(['same', 'valid'], 'Padding: `valid` drops the border that does not fill a window; `same` pads.', { default: 'valid' }),
    },
    required: ['pool_size'],
    defaults: { padding: 'valid' },
    pairs: ['pool_size', 'strides'],
    shorthand: { schema: pair('Shorthand for `{pool_size: …}`.', { examples: [2] }), key: 'pool_size' },
    normalize: (a) => ({ pool_size: a.pool_size, strides: a.strides ?? a.pool_size, padding: a.padding }) as Pool2dAttrs,
    infer(a, [x]) {
      needRank(kind, x, 3);
      const [ho, wo] = spatial(kind, x, { kernel: a.pool_size, strides: a.strides, dilation: [1, 1], padding: a.padding });
      return facts([ho, wo, x[2]]);
    },
    build(a, ctx) {
      const args: Record<string, RecipeArg> = { name: ctx.name, poolSize: [...a.pool_size] };
      if (a.strides[0] !== a.pool_size[0] || a.strides[1] !== a.pool_size[1]) args.strides = [...a.strides];
      if (a.padding !== 'valid') args.padding = a.padding;
      return [call(layer, args)];
    },
  };
  return def as unknown as OpDef<K>;
}
