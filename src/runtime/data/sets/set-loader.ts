/**
 * The runtime side of a data set: one module per set under sets/, keyed by
 * the spec's data-set name (sets/index.ts). The compiler's side, the set's
 * static facts, is compiler/datasets/<name>.ts.
 */
import type { DataSpec, DatasetName } from '../../../compiler/spec.js';
import type { LoadedDataset, LoadOptions } from '../../contracts.js';
import type { FetchLike } from '../download.js';

/** LoadOptions plus what tests and the train loop may add. */
export interface DataLoadOptions extends LoadOptions {
  /** The spec's seed (synthetic data is generated from it). Default 0. */
  readonly seed?: number;
  /** Injected fetch (tests); default: the global fetch. */
  readonly fetch?: FetchLike;
  /** image_folder decoding threads (0 = this thread); default by size and cores. */
  readonly workers?: number;
  /**
   * A run's saved preprocessing (preprocessing.json), when re-loading the data
   * of a trained run (`dlc eval`): text uses its vocabulary instead of
   * fitting one again.
   */
  readonly saved?: { readonly kind: string };
}

/** Loads one data set in its real format; load-with.ts checks the result and applies the limits. */
export interface DataSetLoader<N extends DatasetName = DatasetName> {
  readonly name: N;
  load(data: DataSpec, opts: DataLoadOptions): LoadedDataset | Promise<LoadedDataset>;
}
