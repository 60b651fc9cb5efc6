/** global_max_pool1d: the maximum over the steps of a sequence (Keras `GlobalMaxPooling1D`). */
import { globalPoolOp, type GlobalPoolAttrs } from './global-pool.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    global_max_pool1d: GlobalPoolAttrs;
  }
}

export const global_max_pool1d = globalPoolOp('global_max_pool1d', 'Maximum over the steps: [steps, channels] → [channels] ([1, channels] with keepdims).', 'globalMaxPooling1d', 1);
