/**
 * Reading a checkpoint that may come from someone else (issue 16): every
 * file it names must stay inside the checkpoint folder (no absolute path, no
 * `..`, no symlink out), be a regular file (never a FIFO or /dev/zero), have
 * exactly the size its index promises, and hold finite numbers. `state.json`
 * is checked field by field before a resumed run trusts it.
 *
 * Node built-ins and the shared errno words (compiler/shared/bounded-read.ts)
 * only: this file is copied into emitted projects with the rest of the
 * checkpoint code.
 */
import { promises as fs, constants } from 'node:fs';
import * as path from 'node:path';
import { describeIoError } from '../../compiler/shared/bounded-read.js';

/** Thrown for a checkpoint that is malformed or points outside itself; the message names the file. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  constructor(
    message: string,
    /** The errno code when a file could not be opened (ENOENT, EACCES, …). */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Largest JSON file of a checkpoint (model.json of a big model is a few MB). */
export const MAX_CHECKPOINT_JSON_BYTES = 64 * 1024 * 1024;

/**
 * The absolute path of `rel` inside `dir`, refusing anything that leaves it:
 * absolute paths, `..` segments that climb out, NUL bytes, and (once
 * resolved on disk) symbolic links whose target is outside `dir`.
 */
export async function insideDir(dir: string, rel: string): Promise<string> {
  if (typeof rel !== 'string' || rel === '' || rel.includes('\0') || path.isAbsolute(rel) || /^[a-zA-Z]:/.test(rel)) {
    throw new CheckpointError(`${dir}: the weights manifest names ${JSON.stringify(rel)}, which is not a path inside the checkpoint`);
  }
  const joined = path.resolve(dir, rel);
  const root = path.resolve(dir);
  if (!joined.startsWith(root + path.sep)) throw new CheckpointError(`${dir}: the weights manifest path ${JSON.stringify(rel)} leaves the checkpoint folder`);
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([fs.realpath(joined), fs.realpath(root)]);
  } catch (err) {
    throw new CheckpointError(`${dir}: cannot read ${rel}: ${describeIoError(err, joined)}`);
  }
  if (!real.startsWith(realRoot + path.sep)) throw new CheckpointError(`${dir}: ${rel} is a symbolic link out of the checkpoint folder`);
  return real;
}

/**
 * Reads a regular file of exactly `exact` bytes, or of at most `limit` bytes.
 * Never blocks on a FIFO (non-blocking open, then fstat) and never reads more
 * than the size asked for + 1.
 */
export async function readRegular(file: string, shown: string, size: { exact: number } | { limit: number }): Promise<Buffer> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw new CheckpointError(`cannot read ${shown}: ${describeIoError(err, file)}`, (err as NodeJS.ErrnoException).code);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new CheckpointError(`cannot read ${shown}: not a regular file`);
    const cap = 'exact' in size ? size.exact : size.limit;
    if ('exact' in size && st.size !== size.exact) throw new CheckpointError(`${shown} is ${st.size} bytes; the checkpoint's index needs exactly ${size.exact}`);
    if (st.size > cap) throw new CheckpointError(`${shown} is ${st.size} bytes; the limit is ${cap}`);
    const buf = Buffer.alloc(cap + 1);
    let got = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, got, buf.length - got, null);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got > cap) break;
    }
    if (got > cap) throw new CheckpointError(`${shown} is larger than ${cap} bytes`);
    if ('exact' in size && got !== size.exact) throw new CheckpointError(`${shown} is ${got} bytes; the checkpoint's index needs exactly ${size.exact}`);
    return buf.subarray(0, got);
  } finally {
    await handle.close();
  }
}

/** Parses a checkpoint JSON file (bounded), naming the file when it is not JSON. */
export async function readCheckpointJson(file: string, shown = file): Promise<unknown> {
  const text = (await readRegular(file, shown, { limit: MAX_CHECKPOINT_JSON_BYTES })).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CheckpointError(`${shown} is not valid JSON (${(err as Error).message})`);
  }
}

/** Throws when `values` holds a NaN or an infinity (a checkpoint never should). */
export function assertFinite(values: Float32Array, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new CheckpointError(`${what} holds ${Number.isNaN(values[i]) ? 'NaN' : values[i]! > 0 ? 'Infinity' : '-Infinity'} at element ${i}`);
  }
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Checks the fields of a `state.json` a resumed run relies on: non-negative
 * integer epoch and step, an rng record that agrees with them, a metrics
 * record, monitor records of the right shape. Returns the problem, or
 * undefined when the state is usable.
 */
export function trainStateProblem(state: unknown): string | undefined {
  if (!isObj(state)) return 'it is not a JSON object';
  if (state.format !== 'dlc-checkpoint/1') return `unknown checkpoint format ${JSON.stringify(state.format)}`;
  if (!isCount(state.epoch)) return `epoch ${JSON.stringify(state.epoch)} is not a non-negative integer`;
  if (!isCount(state.globalStep)) return `globalStep ${JSON.stringify(state.globalStep)} is not a non-negative integer`;
  if (typeof state.optimizerKind !== 'string') return 'optimizerKind is missing';
  const rng = state.rng;
  if (!isObj(rng) || !isCount(rng.seed) || !isCount(rng.epoch) || !isCount(rng.step)) return 'rng must hold non-negative integers seed, epoch and step';
  if (rng.epoch !== state.epoch || rng.step !== state.globalStep) return `rng (epoch ${String(rng.epoch)}, step ${String(rng.step)}) disagrees with epoch ${state.epoch}, step ${state.globalStep}`;
  if (!isObj(state.metrics)) return 'metrics must be a JSON object';
  for (const key of ['earlyStopping', 'bestCheckpoint'] as const) {
    const m = state[key];
    if (m === undefined) continue;
    if (!isObj(m) || typeof m.monitor !== 'string' || !(m.best === null || typeof m.best === 'number') || !Number.isSafeInteger(m.bestEpoch) || !isCount(m.wait)) return `${key} is malformed`;
  }
  return undefined;
}
