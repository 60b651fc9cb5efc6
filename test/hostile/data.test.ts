/**
 * Fault corpus, root causes 4 and 5 on the data side: a cache entry edited
 * behind dlc's back (flipped pixels, renamed classes, a moved train/test
 * boundary, a malformed header, a FIFO) is rebuilt with a message, never
 * used; a gzip bomb IDX, a FIFO image and a PNG declaring 30000×30000 pixels
 * are refused with a DataError naming the file.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/runtime/data/errors.js';
import { readMaybeGzip } from '../../src/runtime/data/idx.js';
import { decodeImageFile } from '../../src/runtime/data/image-decode.js';
import { loadImageFolder } from '../../src/runtime/data/image-folder.js';
import { encodePng, solid, tempDir, write } from '../runtime/data/fixtures.js';

const RED = [200, 30, 40] as const;
const BLUE = [20, 40, 220] as const;

function makeFolder(): string {
  const root = tempDir('dlc-h7-imgs-');
  for (const split of ['train', 'test']) {
    for (let i = 0; i < 2; i++) {
      write(join(root, split, 'red', `r${i}.png`), encodePng(solid(2, 2, RED), 2, 2, 3));
      write(join(root, split, 'blue', `b${i}.png`), encodePng(solid(2, 2, BLUE), 2, 2, 3));
    }
  }
  return root;
}

/** Loads once to make the cache; returns the cache file and a loader that records log lines. */
async function cached(): Promise<{ root: string; file: string; load: () => Promise<{ logs: string[]; pixels: number[]; classNames: readonly string[] }> }> {
  const root = makeFolder();
  const cacheDir = tempDir('dlc-h7-cache-');
  const load = async () => {
    const logs: string[] = [];
    const ds = await loadImageFolder({ root, cacheDir, log: (m) => logs.push(m), workers: 0 });
    return { logs, pixels: Array.from(ds.train.x.values as Uint8Array), classNames: ds.classNames };
  };
  const first = await load();
  expect(first.logs.join('\n')).toMatch(/decoding 8 images/);
  const dir = join(cacheDir, 'image_folder');
  return { root, file: join(dir, readdirSync(dir)[0]!), load };
}

/** The cache file's header JSON and where its body starts. */
function header(file: string): { json: Record<string, unknown>; body: number; buf: Buffer } {
  const buf = readFileSync(file);
  const len = buf.readUInt32LE(8);
  return { json: JSON.parse(buf.toString('utf8', 12, 12 + len)) as Record<string, unknown>, body: 12 + len, buf };
}

function rewriteHeader(file: string, change: (h: Record<string, unknown>) => void): void {
  const { json, body, buf } = header(file);
  change(json);
  const j = Buffer.from(JSON.stringify(json));
  const head = Buffer.alloc(12 + j.length);
  buf.copy(head, 0, 0, 8);
  head.writeUInt32LE(j.length, 8);
  j.copy(head, 12);
  writeFileSync(file, Buffer.concat([head, buf.subarray(body)]));
}

describe('the image cache cannot lie', { timeout: 20_000 }, () => {
  it('a second load uses the cache (control case)', async () => {
    const c = await cached();
    expect((await c.load()).logs.join('\n')).toMatch(/8 decoded images from cache/);
  });

  it('flipped pixels: rebuilt, with a message, and the real pixels are used', async () => {
    const c = await cached();
    const good = (await c.load()).pixels;
    const { body, buf } = header(c.file);
    buf[body + 1] ^= 0xff;
    writeFileSync(c.file, buf);
    const again = await c.load();
    expect(again.logs.join('\n')).toMatch(/is not usable \(its content does not match its checksum\); decoding again/);
    expect(again.pixels).toEqual(good);
  });

  it('renamed classes and a moved train/test boundary in the header: rebuilt', async () => {
    const c = await cached();
    rewriteHeader(c.file, (h) => (h.classNames = ['red', 'blue']));
    const a = await c.load();
    expect(a.logs.join('\n')).toMatch(/class names differ from the folder/);
    expect(a.classNames).toEqual(['blue', 'red']);
    rewriteHeader(c.file, (h) => ((h.trainCount = 6), (h.testCount = 2)));
    expect((await c.load()).logs.join('\n')).toMatch(/train\/test counts differ/);
  });

  it('a malformed header, a truncated file and a FIFO in place of the entry: rebuilt, no stack trace, no hang', async () => {
    const c = await cached();
    rewriteHeader(c.file, (h) => (h.shape = 'big'));
    expect((await c.load()).logs.join('\n')).toMatch(/malformed shape/);
    writeFileSync(c.file, Buffer.from('DLCIMGC2\xff\xff\xff\xff', 'latin1'));
    expect((await c.load()).logs.join('\n')).toMatch(/truncated header/);
    rmSync(c.file);
    execFileSync('mkfifo', [c.file]);
    const r = await c.load();
    expect(r.logs.join('\n')).toMatch(/not a regular file/);
  });
});

describe('sanity of an image folder', () => {
  it('an empty class folder in train/ is a DataError naming it, not a class that is never shown', async () => {
    const root = makeFolder();
    mkdirSync(join(root, 'train', 'green'));
    mkdirSync(join(root, 'test', 'green'));
    await expect(loadImageFolder({ root, workers: 0 })).rejects.toThrow(/train\/green: class folder "green" has no \.png\/\.jpg\/\.jpeg images/);
  });
});

describe('data files that inflate or decode too far', { timeout: 20_000 }, () => {
  it('a gzip IDX inflating past the limit is refused, naming the file', () => {
    // 16 MiB of zeros gzips to ~16 KB; the limit is lowered to 1 MiB here (1 GiB in use) to keep the test fast.
    const dir = tempDir('dlc-h7-idx-');
    const file = join(dir, 'train-images-idx3-ubyte.gz');
    writeFileSync(file, gzipSync(Buffer.alloc(16 * 1024 * 1024)));
    expect(() => readMaybeGzip(file, 1024 * 1024)).toThrow(DataError);
    expect(() => readMaybeGzip(file, 1024 * 1024)).toThrow(/train-images-idx3-ubyte\.gz: it inflates to more than 1 MiB/);
    expect(readMaybeGzip(file, 32 * 1024 * 1024).length).toBe(16 * 1024 * 1024);
  });

  it('a FIFO image and a 30000×30000 PNG header are refused before decoding', () => {
    const dir = tempDir('dlc-h7-img-');
    execFileSync('mkfifo', [join(dir, 'x.png')]);
    expect(() => decodeImageFile(join(dir, 'x.png'), { channels: 3 })).toThrow(/x\.png: it is a FIFO/);
    const png = Buffer.from(encodePng(solid(2, 2, RED), 2, 2, 3));
    png.writeUInt32BE(30_000, 16);
    png.writeUInt32BE(30_000, 20);
    writeFileSync(join(dir, 'bomb.png'), png);
    expect(() => decodeImageFile(join(dir, 'bomb.png'), { channels: 3 })).toThrow(/bomb\.png: its PNG header declares 30000×30000 pixels/);
  });
});
