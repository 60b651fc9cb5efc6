/** relu6: a stand-alone activation layer (tfjs `activation` layer; PyTorch's definition, issue 14). */
import { activationOp, type NoAttrs } from './simple.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    relu6: NoAttrs;
  }
}

export const relu6 = activationOp('relu6', 'ReLU6: min(max(x, 0), 6) (PyTorch `nn.ReLU6`).');
