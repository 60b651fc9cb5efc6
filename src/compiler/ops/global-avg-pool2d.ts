/** global_avg_pool2d: the mean over height and width (Keras `GlobalAveragePooling2D`). */
import { needRank } from './shape.js';
import { facts } from './op-def.js';
import { noAttrsOp, type NoAttrs } from './simple.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    global_avg_pool2d: NoAttrs;
  }
}

export const global_avg_pool2d = noAttrsOp('global_avg_pool2d', 'Average over height and width: [H, W, C] → [C].', 'globalAveragePooling2d', ([x]) => {
  needRank('global_avg_pool2d', x, 3);
  return facts([x[2]]);
});
