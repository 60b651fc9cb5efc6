/**
 * Backend selection: auto falls back to wasm when tfjs-node is absent and
 * says why; an explicit tensorflow request fails clearly; tfjs stays quiet.
 */
import { createRequire } from 'node:module';
import { describe, it, expect, vi, afterEach } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError, initBackend, withBackend } from '../../../src/runtime/backend/select.js';

function tfjsNodeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('initBackend', () => {
  // First in the file: the cpu backend prints its banner on its first allocation only.
  it('prints nothing (no "install tfjs-node" banner) when the cpu backend first allocates', async () => {
    const log = vi.spyOn(console, 'log');
    const warn = vi.spyOn(console, 'warn');
    const stdout = vi.spyOn(process.stdout, 'write');
    await initBackend('cpu');
    tf.tidy(() => tf.add(tf.ones([2]), tf.ones([2])).dataSync());
    expect(log).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
    expect(stdout).not.toHaveBeenCalled();
  });

  it('auto picks the fastest backend that loads and says why', async () => {
    const info = await initBackend('auto');
    expect(tf.getBackend()).toBe(info.name);
    if (tfjsNodeInstalled()) {
      expect(info.name).toBe('tensorflow');
    } else {
      expect(info.name).toBe('wasm');
      expect(info.reason).toMatch(/^tfjs-node not installed; using wasm \(XNNPACK, (SIMD|no SIMD), (\d+ threads|1 thread.*)\)$/);
    }
  });

  it.skipIf(tfjsNodeInstalled())('tensorflow fails with a clear error when tfjs-node is absent', async () => {
    const err = await initBackend('tensorflow').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as BackendUnavailableError).backend).toBe('tensorflow');
    expect((err as Error).message).toMatch(/not installed/);
    expect((err as Error).message).toMatch(/npm install @tensorflow\/tfjs-node/);
    expect((err as Error).message).toMatch(/--backend wasm/);
  });

  it('wasm and cpu can be chosen explicitly and train a conv layer', async () => {
    for (const name of ['wasm', 'cpu'] as const) {
      const info = await initBackend(name);
      expect(info.name).toBe(name);
      expect(tf.getBackend()).toBe(name);
      const g = tf.tidy(() => tf.grad((w: tf.Tensor) => tf.sum(tf.conv2d(tf.ones([1, 4, 4, 2]) as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')))(tf.ones([3, 3, 2, 1])));
      expect(g.shape).toEqual([3, 3, 2, 1]);
      g.dispose();
    }
  });

});

describe('withBackend', () => {
  it('runs on the chosen backend and restores the previous one', async () => {
    await initBackend('cpu');
    const seen = await withBackend('wasm', () => tf.getBackend());
    expect(seen).toBe('wasm');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('restores the previous backend when the function throws', async () => {
    await initBackend('wasm');
    await expect(withBackend('cpu', () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(tf.getBackend()).toBe('wasm');
  });
});
