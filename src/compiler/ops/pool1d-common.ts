/**
 * What max_pool1d and avg_pool1d share: schema, normalisation, inference and
 * recipe. As in 2-D (pool-common.ts), an integer padding or `ceil_mode` is
 * PyTorch's (`nn.MaxPool1d(3, 2, padding=1, ceil_mode=True)`), built with
 * dlc's dlcTorchPool layer; `valid`/`same` build tfjs's own layers.
 */
import { integer } from '../front/schema/helpers.js';
import type { RecipeArg } from '../ir.js';
import type { LayerAttrMap } from '../spec.js';
import { call, facts, type OpDef, type OpKind } from './op-def.js';
import { poolPaddingSchema, torchPads, torchPoolAttrs, torchPoolCall, torchPoolExtras, torchPoolOutput } from './pool-common.js';
import { needSeq, window1d } from './seq-common.js';

export interface Pool1dAttrs {
  readonly pool_size: number;
  /** Default: the pool size. */
  readonly strides: number;
  /** Keras's `same`/`valid`, or PyTorch's padding on both ends. */
  readonly padding: 'same' | 'valid' | number;
  /** PyTorch's ceil_mode; present only when true. */
  readonly ceil_mode?: boolean;
  /** PyTorch's count_include_pad (average pooling; default true); present only when written. */
  readonly count_include_pad?: boolean;
}

/** The kinds whose attributes are Pool1dAttrs. */
type Pool1dKind = { [K in OpKind]: LayerAttrMap[K] extends Pool1dAttrs ? (Pool1dAttrs extends LayerAttrMap[K] ? K : never) : never }[OpKind];

/** The definition of a 1-D pooling kind built with tfjs factory `layer` (avg: average pooling). */
export function pool1d<K extends Pool1dKind>(kind: K, what: string, layer: string, avg: boolean): OpDef<K> {
  const def: OpDef<Pool1dKind> = {
    kind,
    description: `${what} pooling over windows of steps: [steps, channels] → [steps′, channels].`,
    attrs: {
      pool_size: integer('Window length in steps.', { minimum: 1, examples: [2, 3] }),
      strides: integer('Stride of the window. Default: the pool size.', { minimum: 1, examples: [2] }),
      padding: poolPaddingSchema(1),
      ...torchPoolAttrs(avg),
    },
    required: ['pool_size'],
    defaults: { padding: 'valid' },
    shorthand: { schema: integer('Shorthand for `{pool_size: …}`.', { minimum: 1, examples: [2] }), key: 'pool_size' },
    normalize: (a) => ({ pool_size: a.pool_size, strides: a.strides ?? a.pool_size, padding: a.padding, ...torchPoolExtras(a, avg) }) as Pool1dAttrs,
    infer(a, [x]) {
      needSeq(kind, x);
      const pads = torchPads(kind, a.padding, 1, a);
      if (pads) return facts([torchPoolOutput(kind, [x[0]], [a.pool_size], [a.strides], pads, a.ceil_mode === true, x)[0], x[1]]);
      return facts([window1d(kind, x[0], a.pool_size, a.strides, 1, a.padding as 'same' | 'valid'), x[1]]);
    },
    build(a, ctx) {
      const pads = torchPads(kind, a.padding, 1, a);
      if (pads) return [torchPoolCall(ctx.name, avg, [a.pool_size], [a.strides], pads, a)];
      const args: Record<string, RecipeArg> = { name: ctx.name, poolSize: a.pool_size };
      if (a.strides !== a.pool_size) args.strides = a.strides;
      if (a.padding !== 'valid') args.padding = a.padding;
      return [call(layer, args)];
    },
  };
  return def as unknown as OpDef<K>;
}
