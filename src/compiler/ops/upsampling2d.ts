/**
 * upsampling2d: repeats rows and columns (nearest) or interpolates
 * (bilinear) by an integer factor (Keras `UpSampling2D`, PyTorch
 * `nn.Upsample(scale_factor=…)`; tfjs `upSampling2d`). No parameters.
 * tfjs's bilinear is TF1's resize (align_corners=false, no half-pixel
 * centres), which PyTorch's bilinear modes do not reproduce.
 */
import { enumOf, pair } from '../front/schema/helpers.js';
import type { RecipeArg } from '../ir.js';
import { call, facts, type OpDef } from './op-def.js';
import { needRank } from './shape.js';

export interface Upsampling2dAttrs {
  readonly size: readonly [number, number];
  readonly interpolation: 'nearest' | 'bilinear';
}

declare module '../spec.js' {
  interface LayerAttrMap {
    upsampling2d: Upsampling2dAttrs;
  }
}

export const upsampling2d: OpDef<'upsampling2d'> = {
  kind: 'upsampling2d',
  description: 'Upsamples an image by integer factors: [H, W, C] → [H·size, W·size, C] (Keras `UpSampling2D`).',
  attrs: {
    size: pair('Upsampling factor: an integer or [height, width].', { default: 2, examples: [2, [2, 1]] }),
    interpolation: enumOf(['nearest', 'bilinear'], '`nearest` repeats pixels; `bilinear` interpolates (TF1 resize: corners not aligned).', { default: 'nearest' }),
  },
  defaults: { size: 2, interpolation: 'nearest' },
  pairs: ['size'],
  shorthand: { schema: pair('Shorthand for `{size: …}`.', { examples: [2] }), key: 'size' },
  infer(a, [x]) {
    needRank('upsampling2d', x, 3);
    return facts([x[0] * a.size[0], x[1] * a.size[1], x[2]]);
  },
  build(a, ctx) {
    const args: Record<string, RecipeArg> = { name: ctx.name };
    if (a.size[0] !== 2 || a.size[1] !== 2) args.size = [...a.size];
    if (a.interpolation !== 'nearest') args.interpolation = a.interpolation;
    return [call('upSampling2d', args)];
  },
};
