/** mish: a stand-alone activation layer (tfjs `activation` layer; PyTorch's definition, issue 14). */
import { activationOp, type NoAttrs } from './simple.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    mish: NoAttrs;
  }
}

export const mish = activationOp('mish', 'Mish: x·tanh(softplus(x)) (PyTorch `nn.Mish`).');
