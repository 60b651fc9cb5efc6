/** Helpers that write tiny data sets in their real formats into temp dirs. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ExampleSet } from '../../../src/runtime/contracts.js';
import { imageSet } from '../../../src/runtime/data/example-set.js';

const require = createRequire(import.meta.url);
const jpeg = require('jpeg-js') as { encode(img: { data: Uint8Array; width: number; height: number }, q: number): { data: Buffer } };
const { PNG } = require('pngjs') as typeof import('pngjs');

export function tempDir(prefix = 'dlc-data-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function write(path: string, bytes: Uint8Array | string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

/** A tiny image set whose pixel values encode (sample, y, x, channel), so layouts can be checked exactly. */
export function patternSet(count: number, h: number, w: number, c: number, classes: number): ExampleSet {
  const images = new Uint8Array(count * h * w * c);
  for (let n = 0, o = 0; n < count; n++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) images[o++] = (n * 7 + y * 5 + x * 3 + k * 11) & 0xff;
  const labels = Int32Array.from({ length: count }, (_, i) => i % classes);
  return imageSet(images, labels, [h, w, c], classes);
}

/** PNG bytes from RGB (c=3) or gray (c=1) pixels. */
export function encodePng(pixels: Uint8Array, w: number, h: number, c: 1 | 3): Buffer {
  const png = new PNG({ width: w, height: h });
  for (let p = 0; p < w * h; p++) {
    for (let k = 0; k < 3; k++) png.data[4 * p + k] = pixels[p * c + (c === 1 ? 0 : k)];
    png.data[4 * p + 3] = 255;
  }
  return PNG.sync.write(png);
}

/** JPEG bytes (quality 100) from RGB pixels. */
export function encodeJpeg(rgb: Uint8Array, w: number, h: number): Buffer {
  const rgba = new Uint8Array(w * h * 4);
  for (let p = 0; p < w * h; p++) {
    rgba[4 * p] = rgb[3 * p];
    rgba[4 * p + 1] = rgb[3 * p + 1];
    rgba[4 * p + 2] = rgb[3 * p + 2];
    rgba[4 * p + 3] = 255;
  }
  return jpeg.encode({ data: rgba, width: w, height: h }, 100).data;
}

/** A solid-colour RGB image. */
export function solid(w: number, h: number, rgb: readonly [number, number, number]): Uint8Array {
  const out = new Uint8Array(w * h * 3);
  for (let p = 0; p < w * h; p++) out.set(rgb, 3 * p);
  return out;
}

/** The uint8 pixels of an image set (fails the test on another input dtype). */
export function bytes(set: ExampleSet): Uint8Array {
  if (set.x.dtype !== 'uint8') throw new Error(`expected uint8 inputs, got ${set.x.dtype}`);
  return set.x.values;
}
