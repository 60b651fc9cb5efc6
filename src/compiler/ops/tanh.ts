/** tanh: a stand-alone activation layer (tfjs `activation` layer). */
import { activationOp, type NoAttrs } from './simple.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    tanh: NoAttrs;
  }
}

export const tanh = activationOp('tanh', 'Hyperbolic tangent activation.');
