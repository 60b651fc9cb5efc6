import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DataSpec } from '../../../src/compiler/spec.js';
import { CIFAR10_TEST_FILES, CIFAR10_TRAIN_FILES, encodeCifarBatch, loadCifarBatches } from '../../../src/runtime/data/cifar10.js';
import { DataError } from '../../../src/runtime/data/errors.js';
import { subset } from '../../../src/runtime/data/example-set.js';
import { loadDataset } from '../../../src/runtime/data/load.js';
import { bytes, patternSet, tempDir, write } from './fixtures.js';

const spec = (over: Partial<DataSpec>): DataSpec => ({ dataset: 'cifar10', validation_split: 0, batch_size: 4, transforms: { train: [], eval: [] }, ...over });

describe('CIFAR-10 binary loader', () => {
  it('converts CHW planar records to HWC', () => {
    const rec = new Uint8Array(3073);
    rec[0] = 7;
    rec[1 + 0 * 1024 + 33] = 10; // red at (y=1, x=1)
    rec[1 + 1 * 1024 + 33] = 20; // green
    rec[1 + 2 * 1024 + 33] = 30; // blue
    const f = write(join(tempDir(), 'one.bin'), rec);
    const set = loadCifarBatches([f]);
    expect(set.shape).toEqual([32, 32, 3]);
    expect(set.labels[0]).toBe(7);
    const at = (1 * 32 + 1) * 3;
    expect([...set.x.values.subarray(at, at + 3)]).toEqual([10, 20, 30]);
    expect(bytes(set).reduce((a, b) => a + b, 0)).toBe(60);
  });

  it('loads a directory of batches (train = data_batch_1..5 in order, test = test_batch) with meta names', async () => {
    const dir = tempDir();
    const all = patternSet(12, 32, 32, 3, 10);
    CIFAR10_TRAIN_FILES.forEach((f, i) => write(join(dir, f), encodeCifarBatch(subset(all, [2 * i, 2 * i + 1]))));
    write(join(dir, CIFAR10_TEST_FILES[0]), encodeCifarBatch(subset(all, [10, 11])));
    write(join(dir, 'batches.meta.txt'), 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n');
    const ds = await loadDataset(spec({ path: dir }), { cacheDir: tempDir() });
    expect(ds.classNames).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
    expect(ds.train.count).toBe(10);
    expect([...ds.train.x.values]).toEqual([...all.x.values.subarray(0, 10 * 3072)]);
    expect([...ds.test.labels]).toEqual([0, 1]);
  });

  it('rejects a truncated batch, naming the file', () => {
    const f = write(join(tempDir(), 'data_batch_1.bin'), new Uint8Array(3073 * 2 - 5));
    expect(() => loadCifarBatches([f])).toThrow(DataError);
    expect(() => loadCifarBatches([f])).toThrow(/data_batch_1\.bin: size 6141 is not a whole number of 3073-byte.*3068 bytes left over/);
  });

  it('rejects a label out of range', () => {
    const rec = new Uint8Array(3073 * 2);
    rec[3073] = 12;
    const f = write(join(tempDir(), 'test_batch.bin'), rec);
    expect(() => loadCifarBatches([f])).toThrow(/test_batch\.bin: label 12 of record 1 is out of range 0\.\.9/);
  });

  it('lists the missing batch files', async () => {
    const dir = tempDir();
    write(join(dir, 'data_batch_1.bin'), new Uint8Array(3073));
    await expect(loadDataset(spec({ path: dir }), { cacheDir: tempDir() })).rejects.toThrow(/missing data_batch_2\.bin, .*test_batch\.bin in/);
  });
});
