/** global_avg_pool1d: the mean over the steps of a sequence (Keras `GlobalAveragePooling1D`). */
import { facts } from './op-def.js';
import { needSeq } from './seq-common.js';
import { noAttrsOp, type NoAttrs } from './simple.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    global_avg_pool1d: NoAttrs;
  }
}

export const global_avg_pool1d = noAttrsOp('global_avg_pool1d', 'Average over the steps: [steps, channels] → [channels].', 'globalAveragePooling1d', ([x]) => {
  needSeq('global_avg_pool1d', x);
  return facts([x[1]]);
});
