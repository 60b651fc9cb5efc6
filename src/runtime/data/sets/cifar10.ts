/** CIFAR-10: the binary batches from data.path, else downloaded into the cache. */
import { loadCifar10 } from '../cifar10.js';
import type { DataSetLoader } from './set-loader.js';

export const loader: DataSetLoader<'cifar10'> = {
  name: 'cifar10',
  load: (data, opts) => loadCifar10(data.path, opts.cacheDir, { fetch: opts.fetch, log: opts.log }),
};
