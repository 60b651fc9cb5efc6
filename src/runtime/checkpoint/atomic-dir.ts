/**
 * Atomic directory replacement, so a checkpoint on disk is always a whole
 * one: the new contents go into `<dir>.tmp`, every file and the directory
 * are fsynced, then the old directory is moved aside to `<dir>.prev`, the
 * new one renamed into place and the old one removed. A crash at any point
 * leaves either `<dir>` or `<dir>.prev` complete; `committedDir` finds it.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { exists, fsyncPath, writeSynced } from '../run-dir/write-atomic.js';

/** Test hooks: throwing from one simulates a crash at that point. */
export interface AtomicWriteHooks {
  /** After each file is written into the temporary directory. */
  afterFile?(name: string): void | Promise<void>;
  /** After the old directory was moved aside, before the new one is renamed into place. */
  beforeCommit?(): void | Promise<void>;
}

/** Replaces directory `dir` with exactly `files` (name → contents), atomically. */
export async function writeDirAtomic(
  dir: string,
  files: ReadonlyMap<string, string | Uint8Array>,
  hooks: AtomicWriteHooks = {},
): Promise<void> {
  const tmp = `${dir}.tmp`;
  const prev = `${dir}.prev`;
  await fs.mkdir(path.dirname(dir), { recursive: true });
  await fs.rm(tmp, { recursive: true, force: true });
  await fs.mkdir(tmp);
  for (const [name, data] of files) {
    await writeSynced(path.join(tmp, name), data);
    await hooks.afterFile?.(name);
  }
  await fsyncPath(tmp);
  if (await exists(dir)) {
    // `dir` is complete, so any `.prev` is stale; when `dir` is missing, `.prev` may be the only good copy.
    await fs.rm(prev, { recursive: true, force: true });
    await fs.rename(dir, prev);
  }
  await hooks.beforeCommit?.();
  await fs.rename(tmp, dir);
  await fsyncPath(path.dirname(dir));
  await fs.rm(prev, { recursive: true, force: true });
}

/** The complete directory for `dir`: itself, or `<dir>.prev` after a crash mid-swap; undefined if neither exists. */
export async function committedDir(dir: string): Promise<string | undefined> {
  if (await exists(dir)) return dir;
  if (await exists(`${dir}.prev`)) return `${dir}.prev`;
  return undefined;
}
