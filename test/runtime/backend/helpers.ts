/**
 * Shared helpers for the backend tests: seeded data, running the same
 * computation on cpu and wasm, and comparing results.
 */
import * as tf from '@tensorflow/tfjs';
import { withBackend, type BackendName } from '../../../src/runtime/backend/select.js';
import { mulberry32 } from '../../../src/runtime/data/random.js';

/** Deterministic values in [-1, 1) (mulberry32), so failures reproduce. */
export function seeded(size: number, seed: number): Float32Array {
  // The data layer's mulberry32, stretched to [-1, 1) (×2 is exact, so the values are unchanged).
  const next = mulberry32(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = next() * 2 - 1;
  return out;
}

/** Runs `fn` on `backend` and returns its tensors' values (read before switching back). */
export async function valuesOn(backend: BackendName, fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  return withBackend(backend, () => {
    if (tf.getBackend() !== backend) throw new Error(`expected backend ${backend}, got ${tf.getBackend()}`);
    // Tensors the engine knows, and data the backend holds: a kernel that forgot to
    // free an intermediate leaks backend data without any tensor showing it.
    const before = [tf.memory().numTensors, tf.backend().numDataIds()];
    const outs = tf.tidy(fn);
    const values = outs.map((t) => t.dataSync() as Float32Array);
    tf.dispose(outs);
    const after = [tf.memory().numTensors, tf.backend().numDataIds()];
    if (after[0] !== before[0]) throw new Error(`tensor leak on ${backend}: ${before[0]} → ${after[0]} tensors`);
    if (after[1] !== before[1]) throw new Error(`data leak on ${backend}: ${before[1]} → ${after[1]} backend buffers`);
    return values;
  });
}

/** Largest |a-b| relative to max(1, largest |a|), over all pairs. */
export function maxRelDiff(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i].length !== b[i].length) return Infinity;
    let scale = 1;
    for (const v of a[i]) scale = Math.max(scale, Math.abs(v));
    for (let j = 0; j < a[i].length; j++) {
      const d = Math.abs(a[i][j] - b[i][j]);
      if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : Math.max(worst, d / scale);
    }
  }
  return worst;
}

/** cpu and wasm results of the same computation. */
export async function onBoth(fn: () => tf.Tensor[]): Promise<{ cpu: Float32Array[]; wasm: Float32Array[] }> {
  return { cpu: await valuesOn('cpu', fn), wasm: await valuesOn('wasm', fn) };
}
