/** loadDataset: the one entry point the train loop calls for data. */
import type { DataSpec } from '../../compiler/spec.js';
import type { LoadedDataset, LoadOptions } from '../contracts.js';
import { loadCifar10 } from './cifar10.js';
import type { FetchLike } from './download.js';
import { DataError } from './errors.js';
import { loadImageFolder } from './image-folder.js';
import { checkImageSet, limitBalanced } from './image-set.js';
import { loadFashionMnist, loadMnist } from './mnist.js';
import { loadSynthetic } from './synthetic.js';

/** LoadOptions plus what tests and the train loop may add. */
export interface DataLoadOptions extends LoadOptions {
  /** The spec's seed (synthetic data is generated from it). Default 0. */
  readonly seed?: number;
  /** Injected fetch (tests); default: the global fetch. */
  readonly fetch?: FetchLike;
  /** image_folder decoding threads (0 = this thread); default by size and cores. */
  readonly workers?: number;
}

/**
 * Loads `data.dataset` in its real format, checks it, and applies
 * train_limit / test_limit. Limits take the first samples of each class
 * round-robin — balanced, deterministic, and independent of the seed, so
 * the test subset is the same in every run.
 */
export async function loadDataset(data: DataSpec, opts: DataLoadOptions): Promise<LoadedDataset> {
  const dl = { fetch: opts.fetch, log: opts.log };
  let ds: LoadedDataset;
  switch (data.dataset) {
    case 'mnist':
      ds = loadMnist(data.path);
      break;
    case 'fashion_mnist':
      ds = await loadFashionMnist(data.path, opts.cacheDir, dl);
      break;
    case 'cifar10':
      ds = await loadCifar10(data.path, opts.cacheDir, dl);
      break;
    case 'image_folder':
      if (!data.path) throw new DataError('data.dataset is image_folder but data.path (the folder holding train/ and test/) is missing');
      ds = await loadImageFolder({ root: data.path, imageSize: data.image_size, channels: data.channels, cacheDir: opts.cacheDir, log: opts.log, workers: opts.workers });
      break;
    case 'synthetic':
      ds = loadSynthetic(data.synthetic, opts.seed ?? 0);
      break;
    default: {
      const never: never = data.dataset;
      throw new DataError(`unknown data set ${String(never)}`);
    }
  }
  checkImageSet(ds.train, ds.classNames.length, `${ds.name} train`);
  checkImageSet(ds.test, ds.classNames.length, `${ds.name} test`);
  if (data.train_limit !== undefined || data.test_limit !== undefined) {
    ds = { ...ds, train: limitBalanced(ds.train, data.train_limit), test: limitBalanced(ds.test, data.test_limit) };
  }
  opts.log?.(`${ds.name}: ${ds.train.count} train, ${ds.test.count} test images of ${ds.train.shape.join('×')}, ${ds.classNames.length} classes`);
  return ds;
}
