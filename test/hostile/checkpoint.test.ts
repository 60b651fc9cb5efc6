/**
 * Fault corpus, root cause 3 (a checkpoint manifest could point anywhere;
 * trailing bytes ignored) and part of 8 (a resume state with a negative epoch
 * was trusted). Checkpoints are written by hand here, byte by byte, as an
 * attacker would.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/runtime/checkpoint/checkpoint.js';
import { fileLoadHandler } from '../../src/runtime/checkpoint/model-files.js';
import { trainStateProblem } from '../../src/runtime/checkpoint/safe-files.js';

let root: string;
let n = 0;

const WEIGHTS = [{ name: 'd/kernel', shape: [2, 2], dtype: 'float32' }];

async function checkpoint(paths: string[], weights: Uint8Array, extra: Record<string, string | Uint8Array> = {}): Promise<string> {
  const dir = path.join(root, `c${n++}`, 'last');
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify({ modelTopology: {}, format: 'layers-model', weightsManifest: [{ paths, weights: WEIGHTS }] }));
  await fs.writeFile(path.join(dir, 'weights.bin'), weights);
  for (const [k, v] of Object.entries(extra)) await fs.writeFile(path.join(dir, k), v);
  return dir;
}

const good = () => new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer);
const load = (dir: string) => fileLoadHandler(dir).load!();

function state(over: Record<string, unknown> = {}): string {
  return JSON.stringify({ format: 'dlc-checkpoint/1', epoch: 2, globalStep: 20, optimizerKind: 'sgd', schedule: {}, rng: { seed: 1, epoch: 2, step: 20 }, metrics: { loss: 0.5 }, ...over });
}

describe('checkpoint manifests from someone else', { timeout: 10_000 }, () => {
  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dlc-h7-ckpt-'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('loads a well-formed checkpoint (the control case)', async () => {
    const a = await load(await checkpoint(['./weights.bin'], good()));
    expect(a.weightSpecs!.map((s) => s.name)).toEqual(['d/kernel']);
  });

  it('refuses a .. path out of the checkpoint folder', async () => {
    const dir = await checkpoint(['../../../../../../../../etc/passwd'], good());
    await expect(load(dir)).rejects.toThrow(/leaves the checkpoint folder/);
  });

  it('refuses an absolute path', async () => {
    await expect(load(await checkpoint(['/etc/passwd'], good()))).rejects.toThrow(/not a path inside the checkpoint/);
  });

  it('refuses a symlink that leads out of the folder', async () => {
    const dir = await checkpoint(['./w2.bin'], good());
    await fs.writeFile(path.join(root, 'outside.bin'), good());
    await fs.symlink(path.join(root, 'outside.bin'), path.join(dir, 'w2.bin'));
    await expect(load(dir)).rejects.toThrow(/symbolic link out of the checkpoint folder/);
  });

  it('refuses /dev/zero behind a symlink and a FIFO without hanging', async () => {
    const dir = await checkpoint(['./zero.bin'], good());
    await fs.symlink('/dev/zero', path.join(dir, 'zero.bin'));
    await expect(load(dir)).rejects.toThrow(/symbolic link out|not a regular file/);
    const dir2 = await checkpoint(['./fifo.bin'], good());
    execFileSync('mkfifo', [path.join(dir2, 'fifo.bin')]);
    await expect(load(dir2)).rejects.toThrow(/not a regular file/);
  });

  it('refuses trailing bytes and a truncated file', async () => {
    const more = new Uint8Array(20);
    more.set(good());
    await expect(load(await checkpoint(['./weights.bin'], more))).rejects.toThrow(/weights are 20 bytes, model.json needs 16 \(trailing bytes/);
    await expect(load(await checkpoint(['./weights.bin'], good().subarray(0, 12)))).rejects.toThrow(/weights are 12 bytes, model.json needs 16 \(truncated/);
  });

  it('refuses NaN and Infinity weights, naming the weight', async () => {
    await expect(load(await checkpoint(['./weights.bin'], new Uint8Array(new Float32Array([1, NaN, 3, 4]).buffer)))).rejects.toThrow(/'d\/kernel' holds NaN at element 1/);
    await expect(load(await checkpoint(['./weights.bin'], new Uint8Array(new Float32Array([1, 2, 3, -Infinity]).buffer)))).rejects.toThrow(/holds -Infinity at element 3/);
  });
});

describe('state.json validation', () => {
  it('accepts a written state and rejects a negative epoch, a fractional step, a mismatched rng', () => {
    expect(trainStateProblem(JSON.parse(state()))).toBeUndefined();
    expect(trainStateProblem(JSON.parse(state({ epoch: -1 })))).toMatch(/epoch -1 is not a non-negative integer/);
    expect(trainStateProblem(JSON.parse(state({ globalStep: 1.5 })))).toMatch(/globalStep 1.5/);
    expect(trainStateProblem(JSON.parse(state({ rng: { seed: 1, epoch: 3, step: 20 } })))).toMatch(/disagrees/);
    expect(trainStateProblem([])).toMatch(/not a JSON object/);
  });

  it('loadCheckpoint refuses a bad state.json and an optimizer.bin of the wrong size', async () => {
    const root2 = await fs.mkdtemp(path.join(os.tmpdir(), 'dlc-h7-state-'));
    try {
      const dir = path.join(root2, 'last');
      await fs.mkdir(dir);
      await fs.writeFile(path.join(dir, 'state.json'), state({ epoch: -5, rng: { seed: 1, epoch: -5, step: 20 } }));
      await fs.writeFile(path.join(dir, 'optimizer.json'), JSON.stringify({ format: 'dlc-named-arrays/1', arrays: [] }));
      await fs.writeFile(path.join(dir, 'optimizer.bin'), new Uint8Array(0));
      await expect(loadCheckpoint(dir)).rejects.toThrow(/state.json: epoch -5/);
      await fs.writeFile(path.join(dir, 'state.json'), state());
      await expect(loadCheckpoint(dir)).resolves.toMatchObject({ state: { epoch: 2 } });
      await fs.writeFile(path.join(dir, 'optimizer.bin'), new Uint8Array(8));
      await expect(loadCheckpoint(dir)).rejects.toThrow(/optimizer.bin is 8 bytes; the checkpoint's index needs exactly 0/);
    } finally {
      await fs.rm(root2, { recursive: true, force: true });
    }
  });
});
