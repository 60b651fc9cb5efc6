/** swish: a stand-alone activation layer (tfjs `activation` layer; PyTorch's definition, issue 14). */
import { activationOp, type NoAttrs } from './simple.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    swish: NoAttrs;
  }
}

export const swish = activationOp('swish', 'Swish: x·sigmoid(x), the same as `silu` (the Keras name).');
