/**
 * The global pools (global_avg_pool2d, global_max_pool2d, global_avg_pool1d,
 * global_max_pool1d): one tfjs layer over height and width (or the steps),
 * and with `keepdims: true` (Keras `keepdims`, PyTorch `keepdim=True`, and
 * what `AdaptiveAvgPool2d(1)` gives) the pooled axes kept as size 1 —
 * [1, 1, C] (1-D: [1, C]) — by a reshape after it (tfjs's global pooling
 * layers have no keepDims). Absent means false, so specs without it lower
 * to the IR they always did.
 */
import { boolean } from '../front/schema/helpers.js';
import type { LayerCall } from '../ir.js';
import { call, facts, type BuildContext, type OpDef, type OpKind } from './op-def.js';
import { needSeq } from './seq-common.js';
import { needRank } from './shape.js';

export interface GlobalPoolAttrs {
  /** Keep the pooled axes as size 1; absent: false. */
  readonly keepdims?: boolean;
}

type GlobalPoolKind = 'global_avg_pool2d' | 'global_max_pool2d' | 'global_avg_pool1d' | 'global_max_pool1d';

/** A global pool over a rank-3 image ([H, W, C]) or a sequence ([steps, C]) with the tfjs layer `layer`. */
export function globalPoolOp<K extends GlobalPoolKind & OpKind>(kind: K, description: string, layer: string, rank: 1 | 2): OpDef<K> {
  const kept = rank === 2 ? '[1, 1, C]' : '[1, C]';
  return {
    kind,
    description,
    attrs: {
      keepdims: boolean(`Keep the pooled axes as size 1: ${kept} instead of [C] (Keras keepdims, PyTorch keepdim=True). Default false.`, { examples: [true] }),
    },
    infer: ((a: GlobalPoolAttrs, [x]: readonly (readonly number[])[]) => {
      if (rank === 2) needRank(kind, x, 3);
      else needSeq(kind, x);
      const c = x[x.length - 1];
      return facts(a.keepdims === true ? (rank === 2 ? [1, 1, c] : [1, c]) : [c]);
    }) as OpDef<K>['infer'],
    build: ((a: GlobalPoolAttrs, ctx: BuildContext): LayerCall[] => {
      const calls = [call(layer, { name: ctx.name })];
      if (a.keepdims === true) {
        if (!ctx.shape) throw new Error(`${kind} with keepdims: the recipe needs the node's inferred shape`);
        calls.push(call('reshape', { name: `${ctx.name}_keepdims`, targetShape: [...ctx.shape] }, 'post'));
      }
      return calls;
    }) as OpDef<K>['build'],
  };
}
