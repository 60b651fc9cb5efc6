/** softmax: a stand-alone activation layer (tfjs `activation` layer). */
import { activationOp, type NoAttrs } from './simple.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    softmax: NoAttrs;
  }
}

export const softmax = activationOp('softmax', 'Softmax over the last axis. Not needed before a cross-entropy loss, which applies it itself.');
