/** What max_pool1d and avg_pool1d share: schema, normalisation, inference and recipe. */
import { enumOf, integer } from '../front/schema/helpers.js';
import type { RecipeArg } from '../ir.js';
import type { LayerAttrMap } from '../spec.js';
import { call, facts, type OpDef, type OpKind } from './op-def.js';
import { needSeq, window1d } from './seq-common.js';

export interface Pool1dAttrs {
  readonly pool_size: number;
  /** Default: the pool size. */
  readonly strides: number;
  readonly padding: 'same' | 'valid';
}

/** The kinds whose attributes are Pool1dAttrs. */
type Pool1dKind = { [K in OpKind]: LayerAttrMap[K] extends Pool1dAttrs ? (Pool1dAttrs extends LayerAttrMap[K] ? K : never) : never }[OpKind];

/** The definition of a 1-D pooling kind built with tfjs factory `layer`. */
export function pool1d<K extends Pool1dKind>(kind: K, what: string, layer: string): OpDef<K> {
  const def: OpDef<Pool1dKind> = {
    kind,
    description: `${what} pooling over windows of steps: [steps, channels] → [steps′, channels].`,
    attrs: {
      pool_size: integer('Window length in steps.', { minimum: 1, examples: [2, 3] }),
      strides: integer('Stride of the window. Default: the pool size.', { minimum: 1, examples: [2] }),
      padding: enumOf(['same', 'valid'], 'Padding: `valid` drops the tail that does not fill a window; `same` pads.', { default: 'valid' }),
    },
    required: ['pool_size'],
    defaults: { padding: 'valid' },
    shorthand: { schema: integer('Shorthand for `{pool_size: …}`.', { minimum: 1, examples: [2] }), key: 'pool_size' },
    normalize: (a) => ({ pool_size: a.pool_size, strides: a.strides ?? a.pool_size, padding: a.padding }) as Pool1dAttrs,
    infer(a, [x]) {
      needSeq(kind, x);
      return facts([window1d(kind, x[0], a.pool_size, a.strides, 1, a.padding), x[1]]);
    },
    build(a, ctx) {
      const args: Record<string, RecipeArg> = { name: ctx.name, poolSize: a.pool_size };
      if (a.strides !== a.pool_size) args.strides = a.strides;
      if (a.padding !== 'valid') args.padding = a.padding;
      return [call(layer, args)];
    },
  };
  return def as unknown as OpDef<K>;
}
