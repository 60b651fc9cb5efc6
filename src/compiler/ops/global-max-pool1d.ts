/** global_max_pool1d: the maximum over the steps of a sequence (Keras `GlobalMaxPooling1D`). */
import { facts } from './op-def.js';
import { needSeq } from './seq-common.js';
import { noAttrsOp, type NoAttrs } from './simple.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    global_max_pool1d: NoAttrs;
  }
}

export const global_max_pool1d = noAttrsOp('global_max_pool1d', 'Maximum over the steps: [steps, channels] → [channels].', 'globalMaxPooling1d', ([x]) => {
  needSeq('global_max_pool1d', x);
  return facts([x[1]]);
});
