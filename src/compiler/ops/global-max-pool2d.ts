/** global_max_pool2d: the maximum over height and width (Keras `GlobalMaxPooling2D`). */
import { globalPoolOp, type GlobalPoolAttrs } from './global-pool.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    global_max_pool2d: GlobalPoolAttrs;
  }
}

export const global_max_pool2d = globalPoolOp('global_max_pool2d', 'Maximum over height and width: [H, W, C] → [C] ([1, 1, C] with keepdims).', 'globalMaxPooling2d', 2);
