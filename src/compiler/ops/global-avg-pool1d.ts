/** global_avg_pool1d: the mean over the steps of a sequence (Keras `GlobalAveragePooling1D`). */
import { globalPoolOp, type GlobalPoolAttrs } from './global-pool.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    global_avg_pool1d: GlobalPoolAttrs;
  }
}

export const global_avg_pool1d = globalPoolOp('global_avg_pool1d', 'Average over the steps: [steps, channels] → [channels] ([1, channels] with keepdims).', 'globalAveragePooling1d', 1);
