/**
 * Fault corpus, root cause 4 at the reader level: the bounded reader refuses
 * FIFOs, devices and directories without reading, never reads past limit + 1
 * (even where stat says 0, as for /proc files), gunzip stops at its output
 * limit, and image headers are checked against a pixel budget before decoding.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FileReadError, checkImagePixels, gunzipBounded, imageSize, readFileBounded } from '../../src/compiler/shared/bounded-read.js';

const dir = mkdtempSync(join(tmpdir(), 'dlc-h7-br-'));

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(FileReadError);
    return (e as FileReadError).code;
  }
}

describe('readFileBounded', { timeout: 10_000 }, () => {
  it('reads a small regular file whole', () => {
    writeFileSync(join(dir, 'a.txt'), 'hello');
    expect(readFileBounded(join(dir, 'a.txt'), { limit: 5 }).toString()).toBe('hello');
  });

  it('refuses a FIFO (without blocking), /dev/zero, /dev/urandom and a directory', () => {
    execFileSync('mkfifo', [join(dir, 'p')]);
    expect(codeOf(() => readFileBounded(join(dir, 'p'), { limit: 10 }))).toBe('ENOTREG');
    expect(codeOf(() => readFileBounded('/dev/zero', { limit: 10 }))).toBe('ENOTREG');
    expect(codeOf(() => readFileBounded('/dev/urandom', { limit: 10 }))).toBe('ENOTREG');
    expect(codeOf(() => readFileBounded(dir, { limit: 10 }))).toBe('EISDIR');
  });

  it('refuses a file one byte over the limit, and a /proc file whose stat size is 0 but whose content is larger', () => {
    writeFileSync(join(dir, 'b.txt'), '123456');
    expect(codeOf(() => readFileBounded(join(dir, 'b.txt'), { limit: 5 }))).toBe('EFBIG');
    expect(codeOf(() => readFileBounded('/proc/self/status', { limit: 16 }))).toBe('EFBIG');
  });

  it('names the file and the cause in the message', () => {
    expect(() => readFileBounded(join(dir, 'missing'), { limit: 1, display: 'data/x.idx', what: 'data file' })).toThrow("cannot read data file 'data/x.idx': no such file");
  });
});

describe('gunzipBounded', () => {
  it('inflates within the limit and refuses a bomb past it', () => {
    const small = gzipSync(Buffer.from('abc'));
    expect(gunzipBounded(small, 10, 'x.gz').toString()).toBe('abc');
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(20_000);
    expect(() => gunzipBounded(bomb, 1024 * 1024, 'train-images.gz')).toThrow(/inflates to more than 1 MiB/);
    expect(() => gunzipBounded(Buffer.from('not gzip'), 10, 'y.gz')).toThrow(/not valid gzip/);
  });
});

function png(w: number, h: number): Uint8Array {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(w, 16);
  b.writeUInt32BE(h, 20);
  return b;
}

function jpeg(w: number, h: number): Uint8Array {
  // SOI, an APP0 segment to walk past, then SOF0 (length, precision, height, width).
  const app0 = [0xff, 0xe0, 0x00, 0x04, 0x00, 0x00];
  const sof = [0xff, 0xc0, 0x00, 0x11, 0x08, h >> 8, h & 255, w >> 8, w & 255, 0x03];
  return Uint8Array.from([0xff, 0xd8, ...app0, ...sof]);
}

describe('image headers', () => {
  it('reads PNG and JPEG sizes from the header', () => {
    expect(imageSize(png(640, 480))).toEqual({ width: 640, height: 480, format: 'png' });
    expect(imageSize(jpeg(300, 200))).toEqual({ width: 300, height: 200, format: 'jpeg' });
    expect(imageSize(Uint8Array.from([1, 2, 3]))).toBeUndefined();
  });

  it('refuses 30000×30000 (a 250 KB PNG that decodes to 3.6 GB) and an empty image; accepts 32×32', () => {
    expect(() => checkImagePixels(png(30_000, 30_000), 'bomb.png')).toThrow(/declares 30000×30000 pixels, more than the limit/);
    expect(() => checkImagePixels(jpeg(65_000, 65_000), 'bomb.jpg')).toThrow(FileReadError);
    expect(() => checkImagePixels(png(0, 10), 'empty.png')).toThrow(/empty/);
    expect(() => checkImagePixels(png(32, 32), 'ok.png')).not.toThrow();
  });
});
