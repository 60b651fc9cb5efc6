import { readdirSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DataSpec } from '../../../src/compiler/spec.js';
import { DataError } from '../../../src/runtime/data/errors.js';
import { decodeImageFile } from '../../../src/runtime/data/image-decode.js';
import { loadImageFolder } from '../../../src/runtime/data/image-folder.js';
import { loadDataset } from '../../../src/runtime/data/load.js';
import { encodeJpeg, encodePng, solid, tempDir, write } from './fixtures.js';

const RED = [200, 30, 40] as const;
const BLUE = [20, 40, 220] as const;

/** root/{train,test}/{blue,red}: PNGs for red, JPEGs for blue, 4×4 pixels. */
function makeFolder(): string {
  const root = tempDir('dlc-imgs-');
  for (const split of ['train', 'test']) {
    for (let i = 0; i < (split === 'train' ? 3 : 1); i++) {
      write(join(root, split, 'red', `r${i}.png`), encodePng(solid(4, 4, RED), 4, 4, 3));
      write(join(root, split, 'blue', `b${i}.JPG`), encodeJpeg(solid(4, 4, BLUE), 4, 4));
    }
  }
  write(join(root, 'train', 'red', 'notes.txt'), 'ignored');
  return root;
}

const spec = (path: string, over: Partial<DataSpec> = {}): DataSpec => ({
  dataset: 'image_folder', path, validation_split: 0, batch_size: 4, transforms: { train: [], eval: [] }, ...over,
});

const near = (got: ArrayLike<number>, want: readonly number[], tol: number) =>
  Array.from(got).every((v, i) => Math.abs(v - want[i % want.length]) <= tol);

describe('image_folder loader', () => {
  it('reads PNG and JPEG, class names = sorted sub-folders, RGB by default', async () => {
    const root = makeFolder();
    const ds = await loadDataset(spec(root), { cacheDir: tempDir() });
    expect(ds.classNames).toEqual(['blue', 'red']);
    expect(ds.train.shape).toEqual([4, 4, 3]);
    expect(ds.train.count).toBe(6);
    expect(ds.test.count).toBe(2);
    expect([...ds.train.labels]).toEqual([0, 0, 0, 1, 1, 1]);
    const per = 48;
    expect(near(ds.train.x.values.subarray(0, per), BLUE, 3)).toBe(true); // JPEG: lossy, close
    expect(Array.from(ds.train.x.values.subarray(3 * per, 4 * per))).toEqual(Array.from(solid(4, 4, RED))); // PNG: exact
  });

  it('converts to grayscale (PIL luma) and resizes bilinearly', async () => {
    const root = makeFolder();
    const ds = await loadDataset(spec(root, { channels: 1, image_size: [2, 3] }), { cacheDir: tempDir() });
    expect(ds.train.shape).toEqual([2, 3, 1]);
    const lumaRed = Math.round(RED[0] * 0.299 + RED[1] * 0.587 + RED[2] * 0.114);
    expect(near(ds.train.x.values.subarray(3 * 6, 4 * 6), [lumaRed], 1)).toBe(true);
    expect(ds.train.x.values.length).toBe(6 * 6);
  });

  it('resizes a gradient with half-pixel-centre bilinear interpolation', () => {
    const px = new Uint8Array(4 * 1 * 3);
    [0, 100, 200, 240].forEach((v, x) => px.fill(v, 3 * x, 3 * x + 3));
    const f = write(join(tempDir(), 'g.png'), encodePng(px, 4, 1, 3));
    const { pixels, shape } = decodeImageFile(f, { size: [1, 2], channels: 1 });
    expect(shape).toEqual([1, 2, 1]);
    expect([...pixels]).toEqual([50, 220]); // sample points x=0.5 and x=2.5
  });

  it('caches decoded images: a second load hits the cache, a changed file misses it', async () => {
    const root = makeFolder();
    const cacheDir = tempDir();
    const logs: string[] = [];
    const log = (m: string) => logs.push(m);
    const first = await loadImageFolder({ root, cacheDir, log });
    expect(logs.some((l) => l.includes('decoding 8 images'))).toBe(true);
    logs.length = 0;
    const second = await loadImageFolder({ root, cacheDir, log });
    expect(logs.some((l) => l.includes('from cache'))).toBe(true);
    expect([...second.train.x.values]).toEqual([...first.train.x.values]);
    expect([...second.test.labels]).toEqual([...first.test.labels]);
    expect(second.classNames).toEqual(first.classNames);
    // Touching a file changes its mtime, so the cache key changes.
    utimesSync(join(root, 'train', 'red', 'r0.png'), new Date(), new Date(Date.now() + 5000));
    logs.length = 0;
    await loadImageFolder({ root, cacheDir, log });
    expect(logs.some((l) => l.includes('decoding'))).toBe(true);
    // Different channels → different key too.
    logs.length = 0;
    await loadImageFolder({ root, cacheDir, log, channels: 1 });
    expect(logs.some((l) => l.includes('decoding'))).toBe(true);
  });

  it('decodes in worker threads with the same result as on the main thread', async () => {
    const root = makeFolder();
    const local = await loadImageFolder({ root, workers: 0 });
    const threaded = await loadImageFolder({ root, workers: 2 });
    expect([...threaded.train.x.values]).toEqual([...local.train.x.values]);
    expect([...threaded.test.x.values]).toEqual([...local.test.x.values]);
  });

  for (const workers of [0, 2]) {
    it(`names an undecodable image (${workers ? 'worker' : 'main'} thread)`, async () => {
      const root = makeFolder();
      const bad = join(root, 'train', 'red', 'r1.png');
      writeFileSync(bad, Buffer.from('definitely not a png'));
      const err = await loadImageFolder({ root, workers }).catch((e) => e);
      expect(err).toBeInstanceOf(DataError);
      expect(err.message).toContain('r1.png');
      expect(err.message).toMatch(/not a PNG or JPEG/);
      const png = encodePng(solid(4, 4, RED), 4, 4, 3);
      writeFileSync(bad, png.subarray(0, 40)); // truncated PNG
      await expect(loadImageFolder({ root, workers })).rejects.toThrow(/r1\.png: undecodable PNG/);
    });
  }

  it('asks for image_size when sizes differ, and explains a missing test/ folder', async () => {
    const root = makeFolder();
    write(join(root, 'train', 'red', 'r9.png'), encodePng(solid(5, 5, RED), 5, 5, 3));
    await expect(loadImageFolder({ root })).rejects.toThrow(/r9\.png: image is 5x5, others are 4x4 \(set data\.image_size/);
    const ok = await loadImageFolder({ root, imageSize: [4, 4] });
    expect(ok.train.count).toBe(7);
    const noTest = tempDir();
    write(join(noTest, 'train', 'a', 'x.png'), encodePng(solid(2, 2, RED), 2, 2, 3));
    await expect(loadImageFolder({ root: noTest })).rejects.toThrow(/no test\/ sub-folder/);
  });

  it('rebuilds a damaged or truncated cache file instead of failing', async () => {
    const root = makeFolder();
    const cacheDir = tempDir();
    const first = await loadImageFolder({ root, cacheDir });
    const dir = join(cacheDir, 'image_folder');
    const [file] = readdirSync(dir);
    expect(readdirSync(dir)).toHaveLength(1); // no temp files left behind
    truncateSync(join(dir, file), 100);
    const logs: string[] = [];
    const again = await loadImageFolder({ root, cacheDir, log: (m) => logs.push(m) });
    expect(logs.some((l) => l.includes('decoding'))).toBe(true);
    expect([...again.train.x.values]).toEqual([...first.train.x.values]);
    writeFileSync(join(dir, file), 'DLCIMGC1\x10\x00\x00\x00{not json');
    const third = await loadImageFolder({ root, cacheDir });
    expect([...third.test.labels]).toEqual([...first.test.labels]);
  });
});
