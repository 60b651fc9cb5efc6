/**
 * The one whole-or-nothing file write (runtime/run-dir/write-atomic.ts) that
 * the run directory, the checkpoints, the report and the sweep share, and the
 * errno handling of the run directory's metrics reader.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointError, readRegular } from '../../../src/runtime/checkpoint/safe-files.js';
import { readEpochRecords } from '../../../src/runtime/run-dir/run-dir.js';
import { exists, writeFileAtomic } from '../../../src/runtime/run-dir/write-atomic.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'dlc-write-atomic-'));

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temporary behind', async () => {
    const dir = fresh();
    const file = join(dir, 'a.json');
    writeFileSync(file, 'old');
    await writeFileAtomic(file, '{"x":1}');
    expect(readFileSync(file, 'utf8')).toBe('{"x":1}');
    await writeFileAtomic(file, new Uint8Array([104, 105]));
    expect(readFileSync(file, 'utf8')).toBe('hi');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('concurrent writes of one file each land whole (the last rename wins)', async () => {
    const dir = fresh();
    const file = join(dir, 'report.html');
    const a = 'a'.repeat(200_000);
    const b = 'b'.repeat(300_000);
    await Promise.all([writeFileAtomic(file, a), writeFileAtomic(file, b)]);
    expect([a, b]).toContain(readFileSync(file, 'utf8'));
  });

  it('fails with the errno of the cause and removes its temporary', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'taken'));
    // Renaming a file onto a directory fails (EISDIR); the written temporary must not stay.
    await expect(writeFileAtomic(join(dir, 'taken'), 'x')).rejects.toMatchObject({ code: 'EISDIR' });
    expect(readdirSync(dir)).toEqual(['taken']);
    await expect(writeFileAtomic(join(dir, 'missing', 'f'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('exists follows links: a dangling one is absent', async () => {
    const dir = fresh();
    symlinkSync(join(dir, 'gone'), join(dir, 'link'));
    expect(await exists(dir)).toBe(true);
    expect(await exists(join(dir, 'link'))).toBe(false);
  });
});

describe('missing files in a run directory', () => {
  it('readRegular names the cause in the shared words and keeps the errno code', async () => {
    const dir = fresh();
    const err = await readRegular(join(dir, 'nope.bin'), 'nope.bin', { limit: 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as CheckpointError).code).toBe('ENOENT');
    expect((err as Error).message).toBe('cannot read nope.bin: no such file or directory');
    symlinkSync(join(dir, 'gone'), join(dir, 'dangling.bin'));
    const dangling = await readRegular(join(dir, 'dangling.bin'), 'dangling.bin', { limit: 10 }).catch((e: unknown) => e);
    expect((dangling as Error).message).toBe('cannot read dangling.bin: a symbolic link to something that does not exist');
  });

  it('readEpochRecords: no metrics.jsonl is no epochs; one that cannot be read is an error', async () => {
    const dir = fresh();
    expect(await readEpochRecords(dir)).toEqual([]);
    writeFileSync(join(dir, 'metrics.jsonl'), '{"epoch":1,"loss":0.5}\n{"epoch":2,"lo');
    expect(await readEpochRecords(dir)).toEqual([{ epoch: 1, loss: 0.5 }]);
    const other = fresh();
    mkdirSync(join(other, 'metrics.jsonl'));
    await expect(readEpochRecords(other)).rejects.toThrow(/cannot read metrics\.jsonl \(cannot read metrics\.jsonl: not a regular file\)/);
  });
});
