/** adaptive_avg_pool2d: the mean over PyTorch's adaptive bins to a fixed [h, w] (PyTorch `nn.AdaptiveAvgPool2d`). */
import { adaptivePool2d, type AdaptivePool2dAttrs } from './adaptive-pool2d.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    adaptive_avg_pool2d: AdaptivePool2dAttrs;
  }
}

export const adaptive_avg_pool2d = adaptivePool2d('adaptive_avg_pool2d', true);
