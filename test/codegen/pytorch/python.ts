/**
 * Running the PyTorch target's Python runtime (templates/pytorch/dlc_runtime) from tests.
 * The interpreter is the first of $DLC_PYTHON, /usr/bin/python3, python3 that imports
 * torch and numpy; without one, the tests that need it skip and say why.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const DLC_ROOT = resolve(import.meta.dirname, '../../..');
export const RUNTIME_DIR = resolve(DLC_ROOT, 'templates/pytorch');

function probe(): { python?: string; reason: string } {
  const candidates = [process.env.DLC_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => !!c);
  const tried: string[] = [];
  for (const c of candidates) {
    const r = spawnSync(c, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8', timeout: 60_000 });
    if (r.status === 0) return { python: c, reason: `${c} (torch ${r.stdout.trim()})` };
    tried.push(`${c}: ${r.error ? r.error.message : (r.stderr || '').trim().split('\n').pop()}`);
  }
  return { reason: `no Python with torch and numpy (tried ${tried.join('; ')}); install python3-torch` };
}

const found = probe();
/** The interpreter, or undefined (then `skipReason` says why). */
export const PYTHON = found.python;
export const skipReason = found.reason;
if (!PYTHON) console.warn(`[pytorch tests skipped] ${skipReason}`);

/** Runs `code` with dlc_runtime importable; `input` arrives as JSON in the variable INPUT; the code prints one JSON document. */
export function runPython<T = unknown>(code: string, input: unknown = null, opts: { env?: Record<string, string>; cwd?: string } = {}): T {
  const prelude = 'import json, sys\nINPUT = json.loads(sys.stdin.read())\n';
  const r = spawnSync(PYTHON!, ['-c', prelude + code], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    cwd: opts.cwd,
    env: { ...process.env, PYTHONPATH: RUNTIME_DIR, PYTHONDONTWRITEBYTECODE: '1', OMP_NUM_THREADS: '1', ...opts.env },
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

/** Float32Array ↔ base64 of its little-endian bytes (bit-exact transport). */
export function f32FromBase64(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

export function bytesToBase64(a: ArrayBufferView): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** Python side of the transport. */
export const PY_B64 = `
import base64
import numpy as np
def b64(a):
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode()
def unb64(s, dtype):
    return np.frombuffer(base64.b64decode(s), dtype=dtype)
`;

/** Writes a rendered project (relative path → text) under `dir`. */
export function writeFiles(dir: string, files: ReadonlyMap<string, string>): void {
  for (const [rel, text] of files) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}
