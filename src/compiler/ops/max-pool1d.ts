/** max_pool1d: the maximum over windows of steps (Keras `MaxPooling1D`, PyTorch `nn.MaxPool1d`). */
import { pool1d, type Pool1dAttrs } from './pool1d-common.js';

declare module '../spec.js' {
  interface LayerAttrMap {
    max_pool1d: Pool1dAttrs;
  }
}

export const max_pool1d = pool1d('max_pool1d', 'Max', 'maxPooling1d', false);
