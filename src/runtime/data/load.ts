/** loadDataset: the one entry point the train loop calls for data. */
import type { DataSpec } from '../../compiler/spec.js';
import type { LoadedDataset } from '../contracts.js';
import { DataError } from './errors.js';
import { loadWith } from './load-with.js';
import { LOADERS } from './sets/index.js';
import type { DataLoadOptions } from './sets/set-loader.js';

export type { DataLoadOptions } from './sets/set-loader.js';

/**
 * Loads `data.dataset` in its real format through the registry
 * (sets/index.ts), checks it, and applies train_limit / test_limit (see
 * load-with.ts).
 */
export async function loadDataset(data: DataSpec, opts: DataLoadOptions): Promise<LoadedDataset> {
  const loader = Object.hasOwn(LOADERS, data.dataset) ? LOADERS[data.dataset] : undefined;
  if (!loader) throw new DataError(`unknown data set ${JSON.stringify(data.dataset)}`);
  return loadWith(loader, data, opts);
}
