/**
 * Fault corpus, root cause 7: a run directory has one writer at a time (a
 * second --resume is refused with the owner named; a lock left by a killed
 * process is taken over), and a kill mid-checkpoint leaves nothing stale
 * behind once the run is resumed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, lockRunDir, recoverCheckpoints } from '../../src/runtime/run-dir/lock.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'dlc-h7-rd-'));

describe('run directory lock', () => {
  it('a second writer is refused while the first holds it; released, it can be taken', async () => {
    const dir = fresh();
    const release = await lockRunDir(dir);
    // Another live process's lock (our parent stands in for a second dlc run).
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, host: hostname(), since: 'then' }));
    await expect(lockRunDir(dir)).rejects.toThrow(new RegExp(`in use by another dlc run \\(process ${process.ppid}`));
    await release(); // not ours any more: must not remove the other's lock
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
  });

  it('a lock left by a killed process is stale and taken over', async () => {
    const dir = fresh();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: Number(dead.stdout), host: hostname(), since: 'then' }));
    const release = await lockRunDir(dir);
    await release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('a half-written lock file is stale', async () => {
    const dir = fresh();
    writeFileSync(join(dir, LOCK_FILE), '{"pid": ');
    await (await lockRunDir(dir))();
  });
});

describe('checkpoint leftovers after a kill', () => {
  it('removes .tmp, removes .prev beside a complete checkpoint, restores .prev when it is the only copy', async () => {
    const run = fresh();
    const c = join(run, 'checkpoints');
    for (const d of ['last', 'last.prev', 'last.tmp', 'best.prev']) mkdirSync(join(c, d), { recursive: true });
    const done = await recoverCheckpoints(run);
    expect(done).toEqual(['removed the unfinished checkpoint last.tmp', 'removed the stale last.prev', 'restored best from best.prev']);
    expect(readdirSync(c).sort()).toEqual(['best', 'last']);
    expect(await recoverCheckpoints(run)).toEqual([]);
  });
});
