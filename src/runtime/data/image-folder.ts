/**
 * The image_folder data set: root/train/<class>/*.{png,jpg,jpeg} and
 * root/test/<class>/…, class names = sorted sub-folder names of train/.
 * Decoding tens of thousands of JPEGs takes seconds, so the decoded tensors
 * are cached in the cache directory, keyed by a hash of the listing (names,
 * sizes, mtimes), the image size and the channel count: change any image and
 * the key changes.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
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
// v2: the header carries the sources key and a checksum of the content (issue 16: a cache that cannot lie).
const CACHE_MAGIC = 'DLCIMGC2';
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
      const images = readdirSync(dir).filter((f) => IMAGE_EXT.test(f) && isRegular(join(dir, f))).sort();
      // An empty class folder would train a class it never shows (issue 16): say so instead.
      if (images.length === 0 && split === 'train') throw new DataError(`class folder "${cls}" has no .png/.jpg/.jpeg images`, dir);
      for (const name of images) {
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
  /** cacheKey of the folder it was decoded from (paths, sizes, mtimes, classes, size options). */
  readonly sources: string;
  /** sha256 of the pixels and labels that follow the header. */
  readonly checksum: string;
}

/** sha256 over the parts, in order. */
function checksumOf(parts: readonly Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p);
  return hash.digest('hex');
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Why a parsed cache header is not one this loader wrote for `listing` (undefined when it is). */
function headerMismatch(header: unknown, listing: Listing, shape: readonly number[], sources: string): string | undefined {
  const hd = header as Partial<CacheHeader> | null;
  if (!hd || typeof hd !== 'object') return 'malformed header';
  if (!Array.isArray(hd.classNames) || hd.classNames.some((n) => typeof n !== 'string')) return 'malformed class names';
  if (!Array.isArray(hd.shape) || hd.shape.length !== 3 || hd.shape.some((d) => !isCount(d) || d === 0)) return 'malformed shape';
  if (!isCount(hd.trainCount) || !isCount(hd.testCount)) return 'malformed counts';
  if (typeof hd.sources !== 'string' || typeof hd.checksum !== 'string') return 'no sources key or checksum';
  if (hd.sources !== sources) return 'its sources key differs from the folder';
  if (hd.classNames.join('\0') !== listing.classNames.join('\0')) return 'its class names differ from the folder';
  if (hd.trainCount !== listing.train.files.length || hd.testCount !== listing.test.files.length) return 'its train/test counts differ from the folder';
  if (hd.shape.join(',') !== shape.join(',')) return 'its image shape differs';
  return undefined;
}

/** Layout: magic, uint32 JSON length, JSON header, pixels (train, test), int32 labels (train, test). */
function writeCache(file: string, header: Omit<CacheHeader, 'checksum'>, train: ExampleSet, test: ExampleSet): void {
  const labelsAll = new Int32Array(train.count + test.count);
  labelsAll.set(train.labels, 0);
  labelsAll.set(test.labels, train.count);
  const checksum = checksumOf([train.x.values as Uint8Array, test.x.values as Uint8Array, new Uint8Array(labelsAll.buffer)]);
  const json = Buffer.from(JSON.stringify({ ...header, checksum }));
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

/**
 * The cached decode of `listing`, or why it cannot be used. Never trusted:
 * the header must match the folder (sources key, classes, counts, shape),
 * the labels must be the folder's, and the content must match its checksum.
 */
function readCache(file: string, listing: Listing, shape: readonly number[], sources: string): { header: CacheHeader; train: ExampleSet; test: ExampleSet } | { stale: string } | undefined {
  if (!existsSync(file)) return undefined;
  const per = shape[0]! * shape[1]! * shape[2]!;
  const total = listing.train.files.length + listing.test.files.length;
  // The most a valid entry can be: the header (at most 16 MiB of JSON) plus pixels and labels.
  const buf = readIntoSharedMemory(file, 12 + 16 * 1024 * 1024 + total * (per + 4));
  if (typeof buf === 'string') return { stale: buf };
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== CACHE_MAGIC) return { stale: 'not a current cache file' };
  const len = buf.readUInt32LE(8);
  if (12 + len > buf.length) return { stale: 'truncated header' };
  let header: CacheHeader;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + len)) as CacheHeader;
  } catch {
    return { stale: 'damaged header' };
  }
  const why = headerMismatch(header, listing, shape, sources);
  if (why) return { stale: why };
  let o = 12 + len;
  const trainImages = buf.subarray(o, (o += header.trainCount * per));
  const testImages = buf.subarray(o, (o += header.testCount * per));
  if (buf.length !== o + 4 * total) return { stale: 'truncated or has trailing bytes' };
  const labels = new Int32Array(total);
  for (let i = 0; i < total; i++) labels[i] = buf.readInt32LE(o + 4 * i);
  const want = [...listing.train.labels, ...listing.test.labels];
  if (want.some((l, i) => labels[i] !== l)) return { stale: "its labels differ from the folder's" };
  if (checksumOf([buf.subarray(12 + len)]) !== header.checksum) return { stale: 'its content does not match its checksum' };
  return {
    header,
    train: imageSet(trainImages, labels.subarray(0, header.trainCount), header.shape, header.classNames.length),
    test: imageSet(testImages, labels.subarray(header.trainCount), header.shape, header.classNames.length),
  };
}

/** Reads a whole file into shared memory (the batch worker then reads the pixels without a copy). */
function readIntoSharedMemory(file: string, limit: number): Buffer | string {
  // Non-blocking open + fstat: a FIFO or device put in the cache folder is refused, never read.
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return 'not a regular file';
    const size = st.size;
    if (size > limit) return `${size} bytes, more than the folder's images can fill`;
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
  let sources = '';
  if (opts.cacheDir) {
    const dir = join(opts.cacheDir, 'image_folder');
    sources = cacheKey(listing, h, w, c, resize);
    cacheFile = join(dir, `${sources}.bin`);
    const hit = readCache(cacheFile, listing, [h, w, c], sources);
    if (hit && 'stale' in hit) opts.log?.(`image_folder: cache ${cacheFile} is not usable (${hit.stale}); decoding again`);
    else if (hit) {
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
    writeCache(cacheFile, { classNames: listing.classNames, shape, trainCount: train.count, testCount: test.count, sources }, train, test);
  }
  return { name: 'image_folder', classNames: listing.classNames, train, test };
}
