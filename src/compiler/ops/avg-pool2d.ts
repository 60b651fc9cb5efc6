/** avg_pool2d: the mean over 2-D windows (Keras `AveragePooling2D`; with integer padding, ceil_mode or count_include_pad, PyTorch `nn.AvgPool2d`). */
import { pool2d, type Pool2dAttrs } from './pool-common.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    avg_pool2d: Pool2dAttrs;
  }
}

export const avg_pool2d = pool2d('avg_pool2d', 'Average', 'averagePooling2d', true);
