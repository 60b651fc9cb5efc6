/**
 * Fetching data set files from their official addresses into the cache
 * directory: checksum-verified, written atomically (temporary name, then
 * rename), archives unpacked into a temporary directory that is renamed into
 * place — so an interrupted download never leaves a half-written file where a
 * later run would trust it. `fetch` is injectable: tests serve bytes they
 * build, never the network.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import * as tar from 'tar';
import { DataError } from './errors.js';

/** The subset of the WHATWG fetch API the downloader needs. */
export type FetchLike = (url: string) => Promise<{
  readonly ok: boolean;
  readonly status: number;
  readonly statusText?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

/** A file at an official address with its published checksum. */
export interface RemoteFile {
  /** File name in the cache directory. */
  readonly name: string;
  readonly url: string;
  readonly md5?: string;
  readonly sha256?: string;
}

export interface DownloadOptions {
  readonly fetch?: FetchLike;
  readonly log?: (message: string) => void;
}

/** `$DLC_CACHE`, else `$XDG_CACHE_HOME/dlc`, else `~/.cache/dlc`. */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.DLC_CACHE) return env.DLC_CACHE;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'dlc');
  return join(env.HOME ?? homedir(), '.cache', 'dlc');
}

/** Throws a DataError when `bytes` do not match the file's published checksum. */
export function verifyChecksum(bytes: Uint8Array, file: RemoteFile, where: string): void {
  for (const algo of ['sha256', 'md5'] as const) {
    const want = file[algo];
    if (!want) continue;
    const got = createHash(algo).update(bytes).digest('hex');
    if (got !== want.toLowerCase()) {
      throw new DataError(`${algo} checksum mismatch: got ${got}, want ${want} (corrupt or incomplete download?)`, where);
    }
  }
}

/** Writes bytes to `path` atomically: a temporary sibling, then rename. */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Fetches one file's bytes, turning network failures and HTTP errors into a DataError. */
async function fetchBytes(file: RemoteFile, opts: DownloadOptions): Promise<Uint8Array> {
  const fetchFn: FetchLike = opts.fetch ?? ((url) => fetch(url));
  let res: Awaited<ReturnType<FetchLike>>;
  try {
    res = await fetchFn(file.url);
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new DataError(`cannot download ${file.url}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
  }
  if (!res.ok) throw new DataError(`cannot download ${file.url}: HTTP ${res.status} ${res.statusText ?? ''}`.trim());
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * Makes sure every file is in `dir`, downloading the missing ones. Files
 * already there (placed by hand, or downloaded earlier) are trusted as they
 * are — they were checksummed when written by us. If any download fails, the
 * error lists exactly which files to place in which directory.
 */
export async function ensureFiles(dataset: string, dir: string, files: readonly RemoteFile[], opts: DownloadOptions): Promise<void> {
  const missing = files.filter((f) => !existsSync(join(dir, f.name)));
  if (missing.length === 0) return;
  mkdirSync(dir, { recursive: true });
  for (const file of missing) {
    opts.log?.(`${dataset}: downloading ${file.url}`);
    let bytes: Uint8Array;
    try {
      bytes = await fetchBytes(file, opts);
    } catch (e) {
      throw offlineError(dataset, dir, missing, (e as Error).message);
    }
    verifyChecksum(bytes, file, file.url);
    writeFileAtomic(join(dir, file.name), bytes);
  }
}

/**
 * Makes sure `archive` is unpacked as `dir/<unpackedName>`: downloads the
 * archive into `dir` if it is not already there (a hand-placed archive is
 * verified the same way), extracts it into a temporary directory and renames
 * the result into place.
 */
export async function ensureUnpacked(
  dataset: string,
  dir: string,
  archive: RemoteFile,
  unpackedName: string,
  opts: DownloadOptions,
  expectedFiles: readonly string[],
): Promise<string> {
  const target = join(dir, unpackedName);
  if (existsSync(target)) return target;
  mkdirSync(dir, { recursive: true });
  const archivePath = join(dir, archive.name);
  let bytes: Uint8Array;
  if (existsSync(archivePath)) {
    bytes = readFileSync(archivePath);
  } else {
    opts.log?.(`${dataset}: downloading ${archive.url}`);
    try {
      bytes = await fetchBytes(archive, opts);
    } catch (e) {
      throw new DataError(
        `${(e as Error).message}\n` +
          `Without network, download ${archive.url} elsewhere and put ${archive.name} in ${dir} ` +
          `(it is unpacked on the next run), or put its unpacked files (${expectedFiles.join(', ')}) in ${target}, ` +
          `or point data.path at a directory holding them.`,
      );
    }
  }
  const placed = existsSync(archivePath);
  try {
    verifyChecksum(bytes, archive, placed ? archivePath : archive.url);
  } catch (e) {
    if (!placed) throw e;
    throw new DataError(`${(e as Error).message}; delete it to download again, or replace it with the file from ${archive.url}`);
  }
  if (!placed) writeFileAtomic(archivePath, bytes);
  opts.log?.(`${dataset}: unpacking ${archive.name}`);
  const tmp = mkdtempSync(join(dir, '.unpack-'));
  try {
    try {
      await tar.x({ file: archivePath, cwd: tmp, strict: true });
    } catch (e) {
      throw new DataError(`cannot unpack (${(e as Error).message})`, archivePath);
    }
    const unpacked = join(tmp, unpackedName);
    for (const f of expectedFiles) {
      if (!existsSync(join(unpacked, f))) throw new DataError(`archive has no ${unpackedName}/${f}`, archivePath);
    }
    if (!existsSync(target)) renameSync(unpacked, target);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  // The archive has served its purpose; the unpacked copy is what loads.
  rmSync(archivePath, { force: true });
  return target;
}

function offlineError(dataset: string, dir: string, files: readonly RemoteFile[], reason: string): DataError {
  const list = files.map((f) => `  ${f.name}   (${f.url})`).join('\n');
  return new DataError(
    `${dataset}: ${reason}\n` +
      `Without network, download these files elsewhere and put them in ${dir}:\n${list}\n` +
      `or point data.path at a directory holding them.`,
  );
}

