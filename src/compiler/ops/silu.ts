/** silu: a stand-alone activation layer (tfjs `activation` layer; PyTorch's definition, issue 14). */
import { activationOp, type NoAttrs } from './simple.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    silu: NoAttrs;
  }
}

export const silu = activationOp('silu', 'SiLU: x·sigmoid(x) (PyTorch `nn.SiLU`; also spelled `swish`).');
