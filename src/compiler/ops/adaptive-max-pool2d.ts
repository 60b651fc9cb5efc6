/** adaptive_max_pool2d: the maximum over PyTorch's adaptive bins to a fixed [h, w] (PyTorch `nn.AdaptiveMaxPool2d`). */
import { adaptivePool2d, type AdaptivePool2dAttrs } from './adaptive-pool2d.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    adaptive_max_pool2d: AdaptivePool2dAttrs;
  }
}

export const adaptive_max_pool2d = adaptivePool2d('adaptive_max_pool2d', false);
