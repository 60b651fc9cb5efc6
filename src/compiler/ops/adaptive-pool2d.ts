/**
 * What adaptive_avg_pool2d and adaptive_max_pool2d share (PyTorch
 * `nn.AdaptiveAvgPool2d` / `nn.AdaptiveMaxPool2d`): a fixed output size
 * [h, w] whatever the input's, output (i, j) pooling rows
 * [floor(i·H/h), ceil((i+1)·H/h)) and the same bins of columns
 * (compiler/shared/torch-pool.ts `adaptiveBins`). Built with dlc's
 * dlcAdaptivePool2d layer (runtime/model/torch-pool.ts), which is a plain
 * pooling when H and W divide evenly.
 */
import { pair } from '../front/schema/helpers.js';
import type { LayerAttrMap } from '../spec.js';
import { call, facts, type OpDef, type OpKind } from './op-def.js';
import { needRank } from './shape.js';

export interface AdaptivePool2dAttrs {
  /** [height, width] of the output. */
  readonly output_size: readonly [number, number];
}

/** The kinds whose attributes are AdaptivePool2dAttrs. */
type AdaptiveKind = { [K in OpKind]: LayerAttrMap[K] extends AdaptivePool2dAttrs ? K : never }[OpKind];

/** The definition of an adaptive 2-D pooling kind (avg: average, else max). */
export function adaptivePool2d<K extends AdaptiveKind>(kind: K, avg: boolean): OpDef<K> {
  const def: OpDef<AdaptiveKind> = {
    kind,
    description: `${avg ? 'Average' : 'Max'} pooling to a fixed output size [h, w] (PyTorch \`nn.Adaptive${avg ? 'Avg' : 'Max'}Pool2d\`): [H, W, C] → [h, w, C].`,
    attrs: { output_size: pair('Output size: an integer or [height, width].', { examples: [1, 7, [6, 6]] }) },
    required: ['output_size'],
    pairs: ['output_size'],
    shorthand: { schema: pair('Shorthand for `{output_size: …}`.', { examples: [1, 7] }), key: 'output_size' },
    normalize: (a) => ({ output_size: a.output_size }) as AdaptivePool2dAttrs,
    infer(a, [x]) {
      needRank(kind, x, 3);
      return facts([a.output_size[0], a.output_size[1], x[2]]);
    },
    build: (a, ctx) => [call('dlcAdaptivePool2d', { name: ctx.name, mode: avg ? 'avg' : 'max', outputSize: [...a.output_size] })],
  };
  return def as unknown as OpDef<K>;
}
