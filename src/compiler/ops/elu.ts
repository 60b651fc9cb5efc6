/** elu: a stand-alone activation layer (tfjs `activation` layer). */
import { activationOp, type NoAttrs } from './simple.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    elu: NoAttrs;
  }
}

export const elu = activationOp('elu', 'ELU activation.');
