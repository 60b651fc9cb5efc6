/**
 * Every registered data set, both sides: the compiler's facts
 * (compiler/datasets/) and the runtime's loader (runtime/data/sets/) agree on
 * the input shape, dtype, target kind and classes, on tiny files this test
 * writes in each set's real format. A data set without a row here fails
 * tsc (the table is keyed by DatasetName) and the key check below.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loaderFile } from '../../../src/codegen/tfjs-node-ts/data-view.js';
import { DATASET_NAMES, DATASETS } from '../../../src/compiler/datasets/index.js';
import { resolveDataFacts } from '../../../src/compiler/lower/datasets.js';
import type { DataSpec, DatasetName } from '../../../src/compiler/spec.js';
import { encodeCifarBatch, CIFAR10_TEST_FILES, CIFAR10_TRAIN_FILES } from '../../../src/runtime/data/cifar10.js';
import { encodeIdx } from '../../../src/runtime/data/idx.js';
import { loadDataset } from '../../../src/runtime/data/load.js';
import { IDX_FILES } from '../../../src/runtime/data/mnist.js';
import { LOADERS } from '../../../src/runtime/data/sets/index.js';
import { fakeCtx } from '../../compiler/helpers/spec-builder.js';
import { bytes, encodePng, patternSet, solid, tempDir, write } from './fixtures.js';

const SRC = join(import.meta.dirname, '../../../src');

const spec = (over: Partial<DataSpec> & Pick<DataSpec, 'dataset'>): DataSpec => ({ validation_split: 0, batch_size: 4, transforms: { train: [], eval: [] }, ...over });

/** Four IDX files of `count` 28×28 images with labels 0..9 round-robin. */
function writeIdx(dir: string, count = 12): void {
  const set = patternSet(count, 28, 28, 1, 10);
  write(join(dir, IDX_FILES.trainImages), encodeIdx([count, 28, 28], bytes(set)));
  write(join(dir, IDX_FILES.trainLabels), encodeIdx([count], Uint8Array.from(set.labels)));
  write(join(dir, IDX_FILES.testImages), encodeIdx([count, 28, 28], bytes(set)));
  write(join(dir, IDX_FILES.testLabels), encodeIdx([count], Uint8Array.from(set.labels)));
}

/** How to get a small instance of each set: a data section, after writing its files into `dir` when it needs files. */
const INSTANCES: { readonly [N in DatasetName]: (dir: string) => DataSpec } = {
  mnist: (dir) => (writeIdx(dir), spec({ dataset: 'mnist', path: dir })),
  fashion_mnist: (dir) => (writeIdx(dir), spec({ dataset: 'fashion_mnist', path: dir })),
  cifar10: (dir) => {
    const batch = encodeCifarBatch(patternSet(10, 32, 32, 3, 10));
    for (const f of [...CIFAR10_TRAIN_FILES, ...CIFAR10_TEST_FILES]) write(join(dir, f), batch);
    return spec({ dataset: 'cifar10', path: dir });
  },
  image_folder: (dir) => {
    for (const split of ['train', 'test']) {
      write(join(dir, split, 'red', 'a.png'), encodePng(solid(5, 4, [200, 10, 10]), 5, 4, 3));
      write(join(dir, split, 'blue', 'b.png'), encodePng(solid(5, 4, [10, 10, 200]), 5, 4, 3));
    }
    return spec({ dataset: 'image_folder', path: dir, image_size: [4, 5], channels: 3 });
  },
  synthetic: () => spec({ dataset: 'synthetic', synthetic: { train_samples: 12, test_samples: 6, shape: [6, 5, 2], classes: 3 } }),
  csv: (dir) => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i % 2 ? 'x' : 'y'},${i === 3 ? '' : i * 1.5},${['a', 'b', 'c'][i % 3]}`);
    write(join(dir, 't.csv'), Buffer.from(['kind,size,label', ...rows].join('\n')));
    return spec({ dataset: 'csv', path: join(dir, 't.csv'), features: ['kind', 'size'], target: 'label' });
  },
  text: (dir) => {
    for (const [cls, words] of [['ham', 'meeting notes attached'], ['spam', 'win money now']]) for (let i = 0; i < 5; i++) write(join(dir, cls, `${i}.txt`), Buffer.from(`${words} ${i}`));
    return spec({ dataset: 'text', path: dir, max_length: 6, vocab_size: 8 });
  },
};

describe('the data-set registries', () => {
  it('have one entry per data-set name on both sides, and this test a row for each', () => {
    expect(Object.keys(LOADERS).sort()).toEqual([...DATASET_NAMES].sort());
    expect(Object.keys(INSTANCES).sort()).toEqual([...DATASET_NAMES].sort());
    for (const name of DATASET_NAMES) {
      expect(DATASETS[name].name).toBe(name);
      expect(LOADERS[name].name).toBe(name);
      // The one file an emitted project imports for this set.
      expect(existsSync(join(SRC, loaderFile(name))), loaderFile(name)).toBe(true);
    }
  });

  for (const name of DATASET_NAMES) {
    it(`${name}: the compiler's facts are what the loader yields`, async () => {
      const data = INSTANCES[name](tempDir());
      const listDir = (p: string) => (existsSync(p) ? readdirSync(p) : undefined);
      const { facts, diagnostics } = resolveDataFacts(data, fakeCtx(listDir));
      expect(diagnostics).toEqual([]);
      const def = DATASETS[name];
      const ds = await loadDataset(data, { cacheDir: tempDir(), seed: 5 });
      for (const set of [ds.train, ds.test]) {
        expect(set.shape).toEqual(facts!.sourceShape);
        expect(set.target.kind).toBe(def.target);
        expect(set.x.dtype).toBe(def.input === 'image' ? 'uint8' : def.input);
        if (set.target.kind === 'class') expect(set.target.classes).toBe(facts!.numClasses);
      }
      expect(ds.classNames).toEqual(facts!.classNames);
      expect(facts!.inputDType).toBe(def.input === 'int32' ? 'int32' : 'float32');
      expect(facts!.target).toEqual({ kind: def.target, width: facts!.numClasses });
    });
  }
});
