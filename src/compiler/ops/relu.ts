/** relu: a stand-alone activation layer (tfjs `activation` layer). */
import { activationOp, type NoAttrs } from './simple.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    relu: NoAttrs;
  }
}

export const relu = activationOp('relu', 'ReLU activation: max(x, 0).');
