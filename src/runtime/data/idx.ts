/**
 * The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
 * a big-endian header — two zero bytes, a type byte (0x08 = uint8), the number
 * of dimensions — then one uint32 per dimension, then the data. Files may be
 * gzipped (detected by content, not name).
 */
import { basename } from 'node:path';
import { FileReadError, MAX_DATA_FILE_BYTES, MAX_INFLATED_BYTES, gunzipBounded, readFileBounded } from '../../compiler/shared/bounded-read.js';
import type { ExampleSet } from '../contracts.js';
import { DataError } from './errors.js';
import { imageSet } from './example-set.js';

/** A parsed IDX tensor of unsigned bytes. */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/**
 * Reads a file, gunzipping it when it starts with the gzip magic bytes.
 * Regular files only, at most MAX_DATA_FILE_BYTES read and MAX_INFLATED_BYTES
 * inflated (a 3 MB gzip must not become 3 GB).
 */
export function readMaybeGzip(file: string, maxInflated: number = MAX_INFLATED_BYTES): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileBounded(file, { limit: MAX_DATA_FILE_BYTES, what: 'data file' });
  } catch (e) {
    throw new DataError(e instanceof FileReadError ? e.reason : `cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, file);
  }
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return gunzipBounded(raw, maxInflated, file);
    } catch (e) {
      const why = e instanceof FileReadError ? e.reason : (e as Error).message;
      throw new DataError(e instanceof FileReadError && e.code === 'EFBIG' ? why : `corrupt or truncated gzip data (${why})`, file);
    }
  }
  return raw;
}

/** Parses an IDX uint8 array with `wantDims` dimensions; `file` names it in errors. */
export function parseIdx(bytes: Uint8Array, wantDims: number, file: string): IdxArray {
  const want = 0x0800 | wantDims;
  if (bytes.length < 4) throw new DataError(`truncated: ${bytes.length} bytes, not even an IDX header`, file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== want) {
    throw new DataError(
      `bad magic number 0x${magic.toString(16).padStart(8, '0')} (want 0x${want.toString(16).padStart(8, '0')}: uint8 IDX with ${wantDims} dimension${wantDims > 1 ? 's' : ''})`,
      file,
    );
  }
  const headerLen = 4 + 4 * wantDims;
  if (bytes.length < headerLen) throw new DataError(`truncated header: ${bytes.length} bytes, want ${headerLen}`, file);
  const dims: number[] = [];
  for (let i = 0; i < wantDims; i++) dims.push(view.getUint32(4 + 4 * i));
  const size = dims.reduce((a, b) => a * b, 1);
  const have = bytes.length - headerLen;
  if (have !== size) {
    throw new DataError(
      `size mismatch: header says ${dims.join('×')} = ${size} bytes of data, file has ${have}${have < size ? ' (truncated)' : ' (trailing bytes)'}`,
      file,
    );
  }
  return { dims, data: bytes.subarray(headerLen) };
}

/**
 * Loads an IDX image file (3 dims: count×rows×cols) and its label file
 * (1 dim) as an image set with one channel; checks counts and label range.
 */
export function loadIdxPair(imagesFile: string, labelsFile: string, numClasses: number): ExampleSet {
  const img = parseIdx(readMaybeGzip(imagesFile), 3, imagesFile);
  const lab = parseIdx(readMaybeGzip(labelsFile), 1, labelsFile);
  const [count, rows, cols] = img.dims;
  if (lab.dims[0] !== count) {
    throw new DataError(`${lab.dims[0]} labels but ${basename(imagesFile)} has ${count} images`, labelsFile);
  }
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const l = lab.data[i];
    if (l >= numClasses) throw new DataError(`label ${l} of sample ${i} is out of range 0..${numClasses - 1}`, labelsFile);
    labels[i] = l;
  }
  // Copy so the set does not pin a larger (possibly gunzipped) buffer.
  return imageSet(new Uint8Array(img.data), labels, [rows, cols, 1], numClasses);
}

/** Encodes an IDX uint8 file (for tests and tools). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x0800 | dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
