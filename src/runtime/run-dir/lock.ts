/**
 * One writer per run directory (issue 16: two `--resume`s of one run raced
 * on `last.tmp`). `dlc run` and `--resume` hold `<run>/.lock` (O_EXCL, with
 * the owner's pid and host) while they write; a second one is refused with
 * the owner named. A lock whose process is gone (killed with -9) is stale and
 * taken over. Also: the leftovers of a kill mid-checkpoint are cleaned up on
 * resume (`.tmp` removed; `.prev` removed, or renamed back when it is the
 * only complete copy).
 */
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { RunError } from '../train/errors.js';
import { exists } from './write-atomic.js';

export const LOCK_FILE = '.lock';

interface LockInfo {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** True when process `pid` exists on this host (EPERM: it exists, owned by someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock of run directory `dir`; returns its release. Throws RunError when another live process holds it. */
export async function lockRunDir(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(file, JSON.stringify(mine), { flag: 'wx' });
      return async () => {
        // Only our own lock: never remove one a later run took over.
        try {
          const now = JSON.parse(await fs.readFile(file, 'utf8')) as LockInfo;
          if (now.pid === mine.pid && now.host === mine.host) await fs.rm(file, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let held: Partial<LockInfo> = {};
    try {
      held = JSON.parse(await fs.readFile(file, 'utf8')) as LockInfo;
    } catch {
      // unreadable or half-written: treat as stale
    }
    const sameHost = held.host === undefined || held.host === hostname();
    if (typeof held.pid === 'number' && held.pid !== process.pid && (!sameHost || alive(held.pid))) {
      throw new RunError(`${dir} is in use by another dlc run (process ${held.pid}${sameHost ? '' : ` on ${held.host}`}, since ${held.since ?? '?'}); wait for it to finish, or remove ${file} if it is gone`);
    }
    await fs.rm(file, { force: true });
  }
  throw new RunError(`cannot lock ${dir}: ${file} keeps reappearing`);
}

/**
 * Cleans the checkpoint folders of `runDir` after a kill: `<c>.tmp` is
 * removed (never committed); `<c>.prev` is removed when `<c>` is complete,
 * or renamed back to `<c>` when it is the only complete copy. Returns what
 * was done, one line each.
 */
export async function recoverCheckpoints(runDir: string): Promise<string[]> {
  const done: string[] = [];
  const root = path.join(runDir, 'checkpoints');
  for (const which of ['last', 'best']) {
    const dir = path.join(root, which);
    if (await exists(`${dir}.tmp`)) {
      await fs.rm(`${dir}.tmp`, { recursive: true, force: true });
      done.push(`removed the unfinished checkpoint ${which}.tmp`);
    }
    if (await exists(`${dir}.prev`)) {
      if (await exists(dir)) {
        await fs.rm(`${dir}.prev`, { recursive: true, force: true });
        done.push(`removed the stale ${which}.prev`);
      } else {
        await fs.rename(`${dir}.prev`, dir);
        done.push(`restored ${which} from ${which}.prev`);
      }
    }
  }
  return done;
}
