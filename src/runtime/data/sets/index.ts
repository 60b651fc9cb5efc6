/**
 * The runtime's data-set registry: every data-set name of the spec has its
 * loader here (a missing or extra one fails tsc). Each loader lives in its
 * own sets/<name>.ts (underscores as dashes), which is also the one file an
 * emitted project imports for its data set.
 */
import type { DatasetName } from '../../../compiler/spec.js';
import { loader as cifar10 } from './cifar10.js';
import { loader as csv } from './csv.js';
import { loader as fashion_mnist } from './fashion-mnist.js';
import { loader as image_folder } from './image-folder.js';
import { loader as mnist } from './mnist.js';
import type { DataSetLoader } from './set-loader.js';
import { loader as synthetic } from './synthetic.js';
import { loader as text } from './text.js';

export type { DataLoadOptions, DataSetLoader } from './set-loader.js';

export const LOADERS: { readonly [N in DatasetName]: DataSetLoader<N> } = { mnist, fashion_mnist, cifar10, image_folder, synthetic, csv, text };
