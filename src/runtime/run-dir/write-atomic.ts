/**
 * Files written whole or not at all, and the few file-system steps that
 * need: whether a path exists, an fsync of a file or directory, a file
 * written and fsynced. The one home of these for the run directory
 * (run-dir.ts, lock.ts), the checkpoint folders (checkpoint/atomic-dir.ts),
 * the metrics CSVs, the report pages and data (src/report) and the sweep
 * directory (src/sweep).
 */
import { promises as fs } from 'node:fs';

/** True when `p` exists (following symbolic links); any error counts as absent. */
export async function exists(p: string): Promise<boolean> {
  try {
    await fs.stat(p);
    return true;
  } catch {
    return false;
  }
}

/** Flushes file or directory `p` to disk. */
export async function fsyncPath(p: string): Promise<void> {
  const fh = await fs.open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes `data` to `file` (created or truncated) and fsyncs it. */
export async function writeSynced(file: string, data: string | Uint8Array): Promise<void> {
  const fh = await fs.open(file, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Numbers the temporaries of this process, so no two writes share one. */
let writes = 0;

/**
 * Writes `data` to `file` whole or not at all: into `<file>.<pid>.<n>.tmp`
 * (this write's own, so two writers of one file, in one process or two,
 * never share a temporary), fsync, rename. On failure the temporary is removed.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.${++writes}.tmp`;
  try {
    await writeSynced(tmp, data);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
