/**
 * Loading through one data set's loader: the load, the checks every set
 * must pass, and train_limit / test_limit. `dlc run` reaches it through
 * load.ts (the registry); an emitted project calls it with its one loader.
 */
import type { DataSpec } from '../../compiler/spec.js';
import type { LoadedDataset } from '../contracts.js';
import { checkExampleSet, isImageShaped, limitBalanced } from './example-set.js';
import type { DataLoadOptions, DataSetLoader } from './sets/set-loader.js';

/**
 * Loads `data` with `loader`, checks it, and applies train_limit /
 * test_limit. Limits take the first samples of each class round-robin —
 * balanced, deterministic, and independent of the seed, so the test subset
 * is the same in every run.
 */
export async function loadWith(loader: DataSetLoader, data: DataSpec, opts: DataLoadOptions): Promise<LoadedDataset> {
  let ds = await loader.load(data, opts);
  const classNames = ds.train.target.kind === 'class' ? ds.classNames.length : undefined;
  checkExampleSet(ds.train, `${ds.name} train`, classNames);
  checkExampleSet(ds.test, `${ds.name} test`, classNames);
  if (data.train_limit !== undefined || data.test_limit !== undefined) {
    ds = { ...ds, train: limitBalanced(ds.train, data.train_limit), test: limitBalanced(ds.test, data.test_limit) };
  }
  const what = isImageShaped(ds.train) ? 'images' : 'samples';
  const classes = ds.train.target.kind === 'class' ? `${ds.classNames.length} classes` : `${ds.train.target.kind} targets of width ${ds.train.target.width}`;
  opts.log?.(`${ds.name}: ${ds.train.count} train, ${ds.test.count} test ${what} of ${ds.train.shape.join('×')}, ${classes}`);
  return ds;
}
