/** Fashion-MNIST: IDX files from data.path, else downloaded into the cache. */
import { loadFashionMnist } from '../mnist.js';
import type { DataSetLoader } from './set-loader.js';

export const loader: DataSetLoader<'fashion_mnist'> = {
  name: 'fashion_mnist',
  load: (data, opts) => loadFashionMnist(data.path, opts.cacheDir, { fetch: opts.fetch, log: opts.log }),
};
