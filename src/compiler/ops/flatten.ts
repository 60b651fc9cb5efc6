/** flatten: [H, W, C] → [H·W·C] (Keras `Flatten`). */
import { facts } from './op-def.js';
import { product } from './shape.js';
import { noAttrsOp, type NoAttrs } from './simple.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    flatten: NoAttrs;
  }
}

export const flatten = noAttrsOp('flatten', 'Flattens [H, W, C] to [H·W·C].', 'flatten', ([x]) => facts([product(x)]));
