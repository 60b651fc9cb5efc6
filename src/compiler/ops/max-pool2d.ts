/** max_pool2d: the maximum over 2-D windows (Keras `MaxPooling2D`; with integer padding or ceil_mode, PyTorch `nn.MaxPool2d`). */
import { pool2d, type Pool2dAttrs } from './pool-common.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    max_pool2d: Pool2dAttrs;
  }
}

export const max_pool2d = pool2d('max_pool2d', 'Max', 'maxPooling2d', false);
