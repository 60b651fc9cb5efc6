/** global_max_pool2d: the maximum over height and width (Keras `GlobalMaxPooling2D`). */
import { needRank } from './shape.js';
import { facts } from './op-def.js';
import { noAttrsOp, type NoAttrs } from './simple.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    global_max_pool2d: NoAttrs;
  }
}

export const global_max_pool2d = noAttrsOp('global_max_pool2d', 'Maximum over height and width: [H, W, C] → [C].', 'globalMaxPooling2d', ([x]) => {
  needRank('global_max_pool2d', x, 3);
  return facts([x[2]]);
});
