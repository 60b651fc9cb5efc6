/** gelu: a stand-alone activation layer (tfjs `activation` layer). */
import { activationOp, type NoAttrs } from './simple.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    gelu: NoAttrs;
  }
}

export const gelu = activationOp('gelu', 'GELU activation.');
