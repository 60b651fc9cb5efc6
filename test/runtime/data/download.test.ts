import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { describe, expect, it } from 'vitest';
import type { DataSpec } from '../../../src/compiler/spec.js';
import { encodeCifarBatch } from '../../../src/runtime/data/cifar10.js';
import { defaultCacheDir, ensureFiles, ensureUnpacked, type FetchLike } from '../../../src/runtime/data/download.js';
import { DataError } from '../../../src/runtime/data/errors.js';
import { encodeIdx } from '../../../src/runtime/data/idx.js';
import { loadDataset } from '../../../src/runtime/data/load.js';
import { bytes, patternSet, tempDir, write } from './fixtures.js';

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const spec = (dataset: DataSpec['dataset']): DataSpec => ({ dataset, validation_split: 0, batch_size: 4, transforms: { train: [], eval: [] } });

/** A fake fetch serving `files` by URL, recording requests. */
function fakeFetch(files: Record<string, Uint8Array>): FetchLike & { calls: string[] } {
  const calls: string[] = [];
  const f = async (url: string) => {
    calls.push(url);
    const body = files[url];
    return { ok: body !== undefined, status: body ? 200 : 404, statusText: body ? 'OK' : 'Not Found', arrayBuffer: async () => (body ? Uint8Array.from(body).buffer : new ArrayBuffer(0)) };
  };
  return Object.assign(f, { calls });
}

const offline: FetchLike = async () => {
  throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } });
};

describe('downloads', () => {
  it('defaultCacheDir: DLC_CACHE, then XDG_CACHE_HOME, then ~/.cache/dlc', () => {
    expect(defaultCacheDir({ DLC_CACHE: '/x/c', HOME: '/h' })).toBe('/x/c');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/xdg', HOME: '/h' })).toBe('/xdg/dlc');
    expect(defaultCacheDir({ HOME: '/h' })).toBe('/h/.cache/dlc');
  });

  it('downloads missing files, verifies md5, and does not fetch present ones again', async () => {
    const dir = join(tempDir(), 'ds');
    const a = new Uint8Array([1, 2, 3]);
    const b = new Uint8Array([4, 5]);
    const fetch = fakeFetch({ 'https://e.org/a': a, 'https://e.org/b': b });
    const files = [
      { name: 'a.bin', url: 'https://e.org/a', md5: md5(a) },
      { name: 'b.bin', url: 'https://e.org/b', sha256: createHash('sha256').update(b).digest('hex') },
    ];
    await ensureFiles('demo', dir, files, { fetch });
    expect([...readFileSync(join(dir, 'a.bin'))]).toEqual([1, 2, 3]);
    expect(fetch.calls).toHaveLength(2);
    await ensureFiles('demo', dir, files, { fetch });
    expect(fetch.calls).toHaveLength(2);
    expect(readdirSync(dir).sort()).toEqual(['a.bin', 'b.bin']); // no temp files left
  });

  it('rejects a checksum mismatch and writes nothing', async () => {
    const dir = join(tempDir(), 'ds');
    const fetch = fakeFetch({ 'https://e.org/a': new Uint8Array([9]) });
    const err = await ensureFiles('demo', dir, [{ name: 'a.bin', url: 'https://e.org/a', md5: md5(new Uint8Array([1])) }], { fetch }).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toMatch(/https:\/\/e\.org\/a: md5 checksum mismatch/);
    expect(existsSync(join(dir, 'a.bin'))).toBe(false);
  });

  it('fashion_mnist: served files with the wrong bytes fail the official checksum', async () => {
    const fetch = fakeFetch(new Proxy({}, { get: () => gzipSync(encodeIdx([1], new Uint8Array([1]))) }) as Record<string, Uint8Array>);
    await expect(loadDataset(spec('fashion_mnist'), { cacheDir: tempDir(), fetch })).rejects.toThrow(/train-images-idx3-ubyte\.gz: md5 checksum mismatch/);
  });

  it('fashion_mnist offline: names every file and the directory to put them in', async () => {
    const cacheDir = tempDir();
    const err = await loadDataset(spec('fashion_mnist'), { cacheDir, fetch: offline }).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toContain(`put them in ${join(cacheDir, 'fashion_mnist')}`);
    for (const f of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) {
      expect(err.message).toContain(f);
    }
    expect(err.message).toContain('ENOTFOUND');
    expect(err.message).toContain('http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/');
  });

  it('fashion_mnist: files placed in the cache directory load without any fetch', async () => {
    const cacheDir = tempDir();
    const dir = join(cacheDir, 'fashion_mnist');
    const set = patternSet(3, 28, 28, 1, 10);
    write(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(encodeIdx([3, 28, 28], bytes(set))));
    write(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(encodeIdx([3], Uint8Array.from(set.labels))));
    write(join(dir, 't10k-images-idx3-ubyte'), encodeIdx([3, 28, 28], bytes(set)));
    write(join(dir, 't10k-labels-idx1-ubyte'), encodeIdx([3], Uint8Array.from(set.labels)));
    const ds = await loadDataset(spec('fashion_mnist'), { cacheDir, fetch: offline });
    expect(ds.train.count).toBe(3);
    expect(ds.classNames[9]).toBe('Ankle boot');
  });

  it('unpacks a downloaded tar.gz atomically and removes the archive', async () => {
    const src = tempDir();
    write(join(src, 'inner', 'x.bin'), new Uint8Array([7, 7]));
    write(join(src, 'inner', 'y.bin'), new Uint8Array([8]));
    const archivePath = join(tempDir(), 'a.tar.gz');
    await tar.c({ gzip: true, file: archivePath, cwd: src }, ['inner']);
    const bytes = readFileSync(archivePath);
    const fetch = fakeFetch({ 'https://e.org/a.tar.gz': bytes });
    const dir = join(tempDir(), 'cache', 'demo');
    const archive = { name: 'a.tar.gz', url: 'https://e.org/a.tar.gz', md5: md5(bytes) };
    const out = await ensureUnpacked('demo', dir, archive, 'inner', { fetch }, ['x.bin', 'y.bin']);
    expect(out).toBe(join(dir, 'inner'));
    expect([...readFileSync(join(out, 'x.bin'))]).toEqual([7, 7]);
    expect(readdirSync(dir)).toEqual(['inner']); // no archive, no temp dir
    await ensureUnpacked('demo', dir, archive, 'inner', { fetch }, ['x.bin']);
    expect(fetch.calls).toHaveLength(1);
    // An archive without the expected files is rejected, and nothing is left in place.
    const dir2 = join(tempDir(), 'demo');
    await expect(ensureUnpacked('demo', dir2, archive, 'inner', { fetch }, ['z.bin'])).rejects.toThrow(/archive has no inner\/z\.bin/);
    expect(existsSync(join(dir2, 'inner'))).toBe(false);
  });

  it('cifar10: official archive served by a fake fetch fails its md5; offline names the archive and directory', async () => {
    const cacheDir = tempDir();
    const fetch = fakeFetch({ 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz': new Uint8Array([1, 2, 3]) });
    await expect(loadDataset(spec('cifar10'), { cacheDir, fetch })).rejects.toThrow(/md5 checksum mismatch.*want c32a1d4ab5d03f1284b67883e8d87530/);
    const err = await loadDataset(spec('cifar10'), { cacheDir, fetch: offline }).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toContain(`put cifar-10-binary.tar.gz in ${join(cacheDir, 'cifar10')}`);
    expect(err.message).toContain('data_batch_1.bin');
    expect(err.message).toContain('test_batch.bin');
  });

  it('cifar10: an unpacked copy in the cache directory loads offline', async () => {
    const cacheDir = tempDir();
    const dir = join(cacheDir, 'cifar10', 'cifar-10-batches-bin');
    const one = encodeCifarBatch(patternSet(1, 32, 32, 3, 10));
    for (const f of ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin']) write(join(dir, f), one);
    const ds = await loadDataset(spec('cifar10'), { cacheDir, fetch: offline });
    expect(ds.train.count).toBe(5);
    expect(ds.classNames[0]).toBe('airplane');
  });

  it('cifar10: a hand-placed archive with the wrong bytes is named, with what to do', async () => {
    const cacheDir = tempDir();
    const placed = write(join(cacheDir, 'cifar10', 'cifar-10-binary.tar.gz'), new Uint8Array([1, 2, 3]));
    const err = await loadDataset(spec('cifar10'), { cacheDir, fetch: offline }).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toContain(`${placed}: md5 checksum mismatch`);
    expect(err.message).toContain('delete it to download again');
  });
});
