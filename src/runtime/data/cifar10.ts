/**
 * CIFAR-10's binary version (https://www.cs.toronto.edu/~kriz/cifar.html):
 * data_batch_1..5.bin and test_batch.bin, each a run of 3073-byte records —
 * one label byte, then 1024 red, 1024 green, 1024 blue bytes (CHW planar,
 * row-major) — converted here to HWC. batches.meta.txt lists class names.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CIFAR10_CLASSES } from '../../compiler/shared/class-names.js';
import type { ExampleSet, LoadedDataset } from '../contracts.js';
import { ensureUnpacked, type DownloadOptions } from './download.js';
import { FileReadError, MAX_DATA_FILE_BYTES, readFileBounded } from '../../compiler/shared/bounded-read.js';
import { DataError } from './errors.js';
import { imageSet } from './example-set.js';

export const CIFAR10_TRAIN_FILES = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'] as const;
export const CIFAR10_TEST_FILES = ['test_batch.bin'] as const;

const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD = 1 + 3 * PLANE;

/** Parses one or more CIFAR-10 binary batch files (in order) into one image set. */
export function loadCifarBatches(files: readonly string[]): ExampleSet {
  const buffers = files.map((file) => {
    let buf: Buffer;
    try {
      buf = readFileBounded(file, { limit: MAX_DATA_FILE_BYTES, what: 'data file' });
    } catch (e) {
      throw new DataError(e instanceof FileReadError ? e.reason : `cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, file);
    }
    if (buf.length === 0 || buf.length % RECORD !== 0) {
      throw new DataError(
        `size ${buf.length} is not a whole number of ${RECORD}-byte CIFAR-10 records (1 label + 3072 pixels)${buf.length % RECORD !== 0 ? `; ${buf.length % RECORD} bytes left over — truncated?` : ''}`,
        file,
      );
    }
    return { file, buf };
  });
  const count = buffers.reduce((n, b) => n + b.buf.length / RECORD, 0);
  const images = new Uint8Array(count * RECORD - count);
  const labels = new Int32Array(count);
  let n = 0;
  for (const { file, buf } of buffers) {
    for (let r = 0; r < buf.length; r += RECORD, n++) {
      const label = buf[r];
      if (label > 9) throw new DataError(`label ${label} of record ${r / RECORD} is out of range 0..9`, file);
      labels[n] = label;
      const out = n * 3 * PLANE;
      const src = r + 1;
      for (let p = 0; p < PLANE; p++) {
        images[out + 3 * p] = buf[src + p];
        images[out + 3 * p + 1] = buf[src + PLANE + p];
        images[out + 3 * p + 2] = buf[src + 2 * PLANE + p];
      }
    }
  }
  return imageSet(images, labels, [SIDE, SIDE, 3], CIFAR10_CLASSES.length);
}

/** Class names from batches.meta.txt (one per line) when present, else the official list. */
export function readCifarClassNames(dir: string): string[] {
  const file = join(dir, 'batches.meta.txt');
  if (!existsSync(file)) return [...CIFAR10_CLASSES];
  const names = readFileSync(file, 'utf8').split(/\r?\n/).map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length !== 10) throw new DataError(`lists ${names.length} class names, CIFAR-10 has 10`, file);
  return names;
}

/** Encodes an HWC uint8 image set as a CIFAR-10 binary batch (for tests and tools). */
export function encodeCifarBatch(set: ExampleSet): Uint8Array {
  const pixels = set.x.values;
  const out = new Uint8Array(set.count * RECORD);
  for (let n = 0; n < set.count; n++) {
    const r = n * RECORD;
    out[r] = set.labels[n];
    for (let p = 0; p < PLANE; p++) {
      for (let c = 0; c < 3; c++) out[r + 1 + c * PLANE + p] = pixels[n * 3 * PLANE + 3 * p + c];
    }
  }
  return out;
}

/** The official binary archive and its published MD5. */
export const CIFAR10_ARCHIVE = {
  name: 'cifar-10-binary.tar.gz',
  url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
  md5: 'c32a1d4ab5d03f1284b67883e8d87530',
} as const;
/** The directory the archive unpacks to. */
export const CIFAR10_UNPACKED = 'cifar-10-batches-bin';

/** Loads CIFAR-10 from a directory holding the .bin batches (or its cifar-10-batches-bin sub-folder). */
export function loadCifar10Dir(dir: string): LoadedDataset {
  const inner = join(dir, CIFAR10_UNPACKED);
  if (!existsSync(join(dir, CIFAR10_TEST_FILES[0])) && existsSync(inner)) dir = inner;
  const missing = [...CIFAR10_TRAIN_FILES, ...CIFAR10_TEST_FILES].filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) {
    throw new DataError(`cifar10: missing ${missing.join(', ')} in ${dir} (the binary version: ${CIFAR10_ARCHIVE.url}, unpacked)`, dir);
  }
  return {
    name: 'cifar10',
    classNames: readCifarClassNames(dir),
    train: loadCifarBatches(CIFAR10_TRAIN_FILES.map((f) => join(dir, f))),
    test: loadCifarBatches(CIFAR10_TEST_FILES.map((f) => join(dir, f))),
  };
}

/** CIFAR-10 from data.path, else from `cacheDir/cifar10` (downloaded and unpacked when missing). */
export async function loadCifar10(path: string | undefined, cacheDir: string, opts: DownloadOptions): Promise<LoadedDataset> {
  if (path !== undefined) return loadCifar10Dir(path);
  const dir = join(cacheDir, 'cifar10');
  const unpacked = await ensureUnpacked('cifar10', dir, CIFAR10_ARCHIVE, CIFAR10_UNPACKED, opts, [...CIFAR10_TRAIN_FILES, ...CIFAR10_TEST_FILES]);
  return loadCifar10Dir(unpacked);
}
