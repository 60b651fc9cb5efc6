/** global_avg_pool2d: the mean over height and width (Keras `GlobalAveragePooling2D`). */
import { globalPoolOp, type GlobalPoolAttrs } from './global-pool.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    global_avg_pool2d: GlobalPoolAttrs;
  }
}

export const global_avg_pool2d = globalPoolOp('global_avg_pool2d', 'Average over height and width: [H, W, C] → [C] ([1, 1, C] with keepdims).', 'globalAveragePooling2d', 2);
