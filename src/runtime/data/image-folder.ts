/**
 * The image_folder data set: root/train/<class>/*.{png,jpg,jpeg} and
 * root/test/<class>/…, class names = sorted sub-folder names of train/.
 * Decoding tens of thousands of JPEGs takes seconds, so the decoded tensors
 * are cached in the cache directory, keyed by a hash of the listing (names,
 * sizes, mtimes), the image size and the channel count: change any image and
 * the key changes.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ExampleSet, LoadedDataset } from '../contracts.js';
import { MAX_IMAGE_FILE_BYTES, readFileBounded } from '../../compiler/shared/bounded-read.js';
import { DataError } from './errors.js';
import { imageSet } from './example-set.js';
import { imageDimensions } from './image-decode.js';
import { decodeFiles } from './image-folder-workers.js';

const IMAGE_EXT = /\.(png|jpe?g)$/i;

/** True for a regular file (following symlinks); false for FIFOs, devices, dangling links. */
function isRegular(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
const CACHE_MAGIC = 'DLCIMGC1';
/** Bump when the decoder's output changes, so old caches are not reused. */
const DECODER_VERSION = 1;

export interface ImageFolderOptions {
  readonly root: string;
  readonly imageSize?: readonly [number, number];
  /** Default 3. */
  readonly channels?: 1 | 3;
  /** Where the decoded cache goes; no caching when absent. */
  readonly cacheDir?: string;
  readonly log?: (message: string) => void;
  /** Decoding threads (0 = this thread); default by file count and cores. */
  readonly workers?: number;
}

interface Listing {
  readonly classNames: string[];
  readonly train: { files: string[]; labels: number[] };
  readonly test: { files: string[]; labels: number[] };
}

function listDirs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name).sort();
}

/** Lists train/ and test/ (class sub-folders, image files sorted by name). */
export function listImageFolder(root: string): Listing {
  if (!existsSync(root)) throw new DataError('image folder does not exist', root);
  for (const split of ['train', 'test']) {
    if (!existsSync(join(root, split))) {
      throw new DataError(`no ${split}/ sub-folder: an image folder holds train/<class>/*.png|jpg and test/<class>/…`, root);
    }
  }
  const classNames = listDirs(join(root, 'train'));
  if (classNames.length === 0) throw new DataError('no class sub-folders in train/', join(root, 'train'));
  const listSplit = (split: string) => {
    const files: string[] = [];
    const labels: number[] = [];
    for (const cls of listDirs(join(root, split))) {
      const label = classNames.indexOf(cls);
      if (label < 0) throw new DataError(`class folder "${cls}" has no counterpart in train/ (classes: ${classNames.join(', ')})`, join(root, split, cls));
      const dir = join(root, split, cls);
      // Regular files only (a FIFO or a device named x.png would block or never end the read).
      for (const name of readdirSync(dir).filter((f) => IMAGE_EXT.test(f) && isRegular(join(dir, f))).sort()) {
        files.push(join(dir, name));
        labels.push(label);
      }
    }
    if (files.length === 0) throw new DataError(`no .png/.jpg/.jpeg images under ${split}/`, join(root, split));
    return { files, labels };
  };
  return { classNames, train: listSplit('train'), test: listSplit('test') };
}

function cacheKey(listing: Listing, h: number, w: number, c: number, resize: boolean): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ v: DECODER_VERSION, h, w, c, resize, classes: listing.classNames }));
  for (const f of [...listing.train.files, ...listing.test.files]) {
    const st = statSync(f);
    hash.update(`${f}\0${st.size}\0${st.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 32);
}

interface CacheHeader {
  readonly classNames: string[];
  readonly shape: [number, number, number];
  readonly trainCount: number;
  readonly testCount: number;
}

/** Layout: magic, uint32 JSON length, JSON header, pixels (train, test), int32 labels (train, test). */
function writeCache(file: string, header: CacheHeader, train: ExampleSet, test: ExampleSet): void {
  const json = Buffer.from(JSON.stringify(header));
  const head = Buffer.alloc(12 + json.length);
  head.write(CACHE_MAGIC, 0, 'latin1');
  head.writeUInt32LE(json.length, 8);
  json.copy(head, 12);
  const labels = new Int32Array(train.count + test.count);
  labels.set(train.labels, 0);
  labels.set(test.labels, train.count);
  const labelBytes = new Uint8Array(labels.buffer);
  // Parts written one after another (no 2× memory for one big buffer); temp name, then rename.
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      for (const part of [head, train.x.values as Uint8Array, test.x.values as Uint8Array, labelBytes]) {
        for (let o = 0; o < part.length; ) o += writeSync(fd, part, o, Math.min(part.length - o, 1 << 26));
      }
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

function readCache(file: string): { header: CacheHeader; train: ExampleSet; test: ExampleSet } | undefined {
  if (!existsSync(file)) return undefined;
  const buf = readIntoSharedMemory(file);
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== CACHE_MAGIC) return undefined;
  const len = buf.readUInt32LE(8);
  let header: CacheHeader;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + len)) as CacheHeader;
  } catch {
    return undefined; // damaged: decode again (and overwrite it)
  }
  const per = header.shape[0] * header.shape[1] * header.shape[2];
  let o = 12 + len;
  const trainImages = buf.subarray(o, (o += header.trainCount * per));
  const testImages = buf.subarray(o, (o += header.testCount * per));
  const total = header.trainCount + header.testCount;
  if (buf.length !== o + 4 * total) return undefined; // truncated or foreign: decode again
  const labels = new Int32Array(total);
  for (let i = 0; i < total; i++) labels[i] = buf.readInt32LE(o + 4 * i);
  return {
    header,
    train: imageSet(trainImages, labels.subarray(0, header.trainCount), header.shape, header.classNames.length),
    test: imageSet(testImages, labels.subarray(header.trainCount), header.shape, header.classNames.length),
  };
}

/** Reads a whole file into shared memory (the batch worker then reads the pixels without a copy). */
function readIntoSharedMemory(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const sab = new SharedArrayBuffer(size);
    const view = new Uint8Array(sab);
    for (let o = 0; o < size; ) {
      const got = readSync(fd, view, o, Math.min(size - o, 1 << 26), o);
      if (got === 0) break;
      o += got;
    }
    return Buffer.from(sab);
  } finally {
    closeSync(fd);
  }
}

/** Loads an image folder, from the decoded cache when the listing is unchanged. */
export async function loadImageFolder(opts: ImageFolderOptions): Promise<LoadedDataset> {
  // Absolute paths: the same folder named relatively or absolutely shares one cache entry.
  const listing = listImageFolder(resolve(opts.root));
  const c = opts.channels ?? 3;
  let h: number;
  let w: number;
  if (opts.imageSize) [h, w] = opts.imageSize;
  else {
    const first = listing.train.files[0];
    const d = imageDimensions(readFileBounded(first, { limit: MAX_IMAGE_FILE_BYTES, what: 'image' }), first);
    [h, w] = [d.height, d.width];
  }
  const resize = opts.imageSize !== undefined;

  let cacheFile: string | undefined;
  if (opts.cacheDir) {
    const dir = join(opts.cacheDir, 'image_folder');
    cacheFile = join(dir, `${cacheKey(listing, h, w, c, resize)}.bin`);
    const hit = readCache(cacheFile);
    if (hit) {
      opts.log?.(`image_folder: ${hit.header.trainCount + hit.header.testCount} decoded images from cache ${cacheFile}`);
      return { name: 'image_folder', classNames: hit.header.classNames, train: hit.train, test: hit.test };
    }
    mkdirSync(dir, { recursive: true });
  }

  const files = [...listing.train.files, ...listing.test.files];
  opts.log?.(`image_folder: decoding ${files.length} images from ${opts.root}`);
  const pixels = await decodeFiles({ files, h, w, c, allowResize: resize, workers: opts.workers });
  const per = h * w * c;
  const nTrain = listing.train.files.length;
  const shape: [number, number, number] = [h, w, c];
  const classes = listing.classNames.length;
  const train = imageSet(pixels.subarray(0, nTrain * per), Int32Array.from(listing.train.labels), shape, classes);
  const test = imageSet(pixels.subarray(nTrain * per), Int32Array.from(listing.test.labels), shape, classes);
  if (cacheFile) {
    writeCache(cacheFile, { classNames: listing.classNames, shape, trainCount: train.count, testCount: test.count }, train, test);
  }
  return { name: 'image_folder', classNames: listing.classNames, train, test };
}
