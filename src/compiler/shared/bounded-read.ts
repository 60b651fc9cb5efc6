/**
 * Reading files that a spec, a run directory or a data folder names, without
 * trusting them. Every reader here:
 *  - opens the file once and checks the opened descriptor is a regular file
 *    (a FIFO, /dev/zero, a socket or a directory is refused before any read;
 *    the FIFO is opened non-blocking so the open itself cannot hang);
 *  - reads at most `limit + 1` bytes, so a file whose `stat` size lies (0 for
 *    /proc files, or a file still growing) can never be read past the limit;
 *  - throws a FileReadError whose message names the file and the cause.
 * It also holds the two other decoders that turn a few bytes into a lot of
 * memory: gunzip (with an output limit) and image decoding (a pixel budget
 * checked on the PNG/JPEG header before any pixel is decoded).
 *
 * A pure module (node built-ins only), shared by the compiler and the runtime.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** What went wrong, as a short code: an errno (ENOENT, EACCES, …) or one of ours. */
export type FileReadCode = 'ENOTREG' | 'EFBIG' | 'EBADGZ' | 'EPIXELS' | string;

/** A file that cannot be read as asked; `message` is one clear line naming the file. */
export class FileReadError extends Error {
  override readonly name = 'FileReadError';
  constructor(
    message: string,
    readonly code: FileReadCode,
    /** The file as shown to the user. */
    readonly file: string,
    /** Just the cause, without the file name ("a FIFO, not a regular file"). */
    readonly reason: string,
  ) {
    super(message);
  }
}

/**
 * Human words for the errno codes ordinary file systems produce: the one
 * table for every message dlc prints about a file-system fault (the bounded
 * readers here and the CLI's describeErrno in src/cli/io.ts).
 */
const ERRNO_WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ELOOP: 'too many levels of symbolic links (a symlink loop?)',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  EBUSY: 'the file is busy',
  ETXTBSY: 'the file is busy',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'the directory is not empty',
  EXDEV: 'cannot move across file systems',
};

/**
 * The cause of an I/O error in a few words ("permission denied"); a dangling
 * symbolic link is told apart from a missing file when `path` is given.
 */
export function describeIoError(err: unknown, path?: string): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' && path !== undefined) {
    try {
      if (lstatSync(path).isSymbolicLink()) return 'a symbolic link to something that does not exist';
    } catch {
      // not there at all: plain ENOENT
    }
  }
  if (code && ERRNO_WORDS[code]) return ERRNO_WORDS[code];
  if (err instanceof FileReadError) return err.reason;
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0];
}

/** True for errors that come from the file system (an errno code Node attaches). */
export function isIoError(err: unknown): err is NodeJS.ErrnoException {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) && (err as NodeJS.ErrnoException).syscall !== undefined;
}

/** What kind of non-regular file `st` is, in words. */
function kindOf(st: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** "1.5 MiB" style size for messages. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? Math.round(v) : Number(v.toFixed(1))} ${units[i]}`;
}

export interface BoundedReadOptions {
  /** Most bytes accepted; a longer file is refused (EFBIG) after reading limit + 1 bytes at most. */
  readonly limit: number;
  /** The file as shown in messages (default: the path). */
  readonly display?: string;
  /** What the file is, for messages ("spec", "image", "weights file"). Default "file". */
  readonly what?: string;
}

/**
 * Reads a whole regular file of at most `limit` bytes. Throws FileReadError
 * (never hangs, never reads more than limit + 1 bytes).
 */
export function readFileBounded(path: string, options: BoundedReadOptions): Buffer {
  const display = options.display ?? path;
  const what = options.what ?? 'file';
  const fail = (code: string, reason: string): never => {
    throw new FileReadError(`cannot read ${what} '${display}': ${reason}`, code, display, reason);
  };
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    return fail(code, describeIoError(err, path));
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return fail(st.isDirectory() ? 'EISDIR' : 'ENOTREG', `it is ${kindOf(st)}, not a regular file`);
    if (st.size > options.limit) return fail('EFBIG', `it is ${formatBytes(st.size)}; the limit for a ${what} is ${formatBytes(options.limit)}`);
    // The stat size is only a hint (0 for /proc files): read until EOF or limit + 1.
    const chunks: Buffer[] = [];
    let total = 0;
    const cap = options.limit + 1;
    for (;;) {
      const want = Math.min(Math.max(st.size - total, 64 * 1024), cap - total);
      if (want <= 0) break;
      const buf = Buffer.allocUnsafe(want);
      let n: number;
      try {
        n = readSync(fd, buf, 0, want, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') break;
        return fail(code ?? 'EIO', describeIoError(err));
      }
      if (n === 0) break;
      chunks.push(n === want ? buf : buf.subarray(0, n));
      total += n;
    }
    if (total > options.limit) return fail('EFBIG', `it is larger than the limit for a ${what} (${formatBytes(options.limit)})`);
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/**
 * Inflates gzip data, refusing output larger than `maxOutput` bytes (a small
 * gzip can inflate to gigabytes). Throws FileReadError naming `display`.
 */
export function gunzipBounded(data: Uint8Array, maxOutput: number, display: string): Buffer {
  try {
    return gunzipSync(data, { maxOutputLength: maxOutput });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      const reason = `it inflates to more than ${formatBytes(maxOutput)} (the limit for this file)`;
      throw new FileReadError(`cannot read '${display}': ${reason}`, 'EFBIG', display, reason);
    }
    const reason = `not valid gzip data (${describeIoError(err)})`;
    throw new FileReadError(`cannot read '${display}': ${reason}`, 'EBADGZ', display, reason);
  }
}

/** Width and height an image header declares, or undefined when it is neither PNG nor JPEG (or is cut short). */
export function imageSize(bytes: Uint8Array): { width: number; height: number; format: 'png' | 'jpeg' } | undefined {
  const u32 = (i: number) => ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
  const u16 = (i: number) => (bytes[i]! << 8) | bytes[i + 1]!;
  // PNG: 8-byte signature, then the IHDR chunk (length, "IHDR", width, height).
  if (bytes.length >= 24 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    if (String.fromCharCode(bytes[12]!, bytes[13]!, bytes[14]!, bytes[15]!) !== 'IHDR') return undefined;
    return { width: u32(16), height: u32(20), format: 'png' };
  }
  // JPEG: walk the marker segments to the first SOFn (frame header: precision, height, width).
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let i = 2;
    while (i + 4 <= bytes.length) {
      if (bytes[i] !== 0xff) return undefined;
      const marker = bytes[i + 1]!;
      if (marker === 0xff) {
        i++;
        continue;
      }
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        i += 2;
        continue;
      }
      const len = u16(i + 2);
      const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isSof) {
        if (i + 9 > bytes.length) return undefined;
        return { width: u16(i + 7), height: u16(i + 5), format: 'jpeg' };
      }
      if (len < 2) return undefined;
      i += 2 + len;
    }
  }
  return undefined;
}

/** Largest data file read (an IDX or CIFAR batch; MNIST's largest is 47 MB). */
export const MAX_DATA_FILE_BYTES = 1024 * 1024 * 1024;
/** Most bytes a gzipped data file may inflate to. */
export const MAX_INFLATED_BYTES = 1024 * 1024 * 1024;
/** Largest image file read (an encoded PNG/JPEG; decoding is bounded by MAX_IMAGE_PIXELS). */
export const MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024;

/** Most pixels an image file may declare (64 megapixels: ~256 MB as RGBA bytes). */
export const MAX_IMAGE_PIXELS = 64 * 1024 * 1024;

/**
 * Refuses an image whose header declares more than `maxPixels` pixels (or
 * zero), before it is decoded. Unknown formats pass (the decoder reports them).
 */
export function checkImagePixels(bytes: Uint8Array, display: string, maxPixels: number = MAX_IMAGE_PIXELS): void {
  const size = imageSize(bytes);
  if (!size) return;
  const pixels = size.width * size.height;
  if (pixels > maxPixels || pixels === 0) {
    const reason = pixels === 0 ? `its ${size.format.toUpperCase()} header declares an empty ${size.width}×${size.height} image` : `its ${size.format.toUpperCase()} header declares ${size.width}×${size.height} pixels, more than the limit of ${maxPixels}`;
    throw new FileReadError(`cannot read image '${display}': ${reason}`, 'EPIXELS', display, reason);
  }
}
