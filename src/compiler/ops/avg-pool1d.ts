/** avg_pool1d: the mean over windows of steps (Keras `AveragePooling1D`, PyTorch `nn.AvgPool1d`). */
import { pool1d, type Pool1dAttrs } from './pool1d-common.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    avg_pool1d: Pool1dAttrs;
  }
}

export const avg_pool1d = pool1d('avg_pool1d', 'Average', 'averagePooling1d', true);
