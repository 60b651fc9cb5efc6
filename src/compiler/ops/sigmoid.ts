/** sigmoid: a stand-alone activation layer (tfjs `activation` layer). */
import { activationOp, type NoAttrs } from './simple.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    sigmoid: NoAttrs;
  }
}

export const sigmoid = activationOp('sigmoid', 'Logistic sigmoid activation.');
