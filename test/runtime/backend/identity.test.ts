/** dlc's wasm Identity shares the input's buffer (one more reference) instead of copying it. */
import { describe, it, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/runtime/backend/select.js';

describe('identity (clone) on wasm shares data safely', () => {
  it('a clone keeps its values after the original is disposed, and frees its buffer when disposed', async () => {
    await initBackend('wasm');
    const buffers = tf.backend().numDataIds();
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.clone(a);
    expect(tf.backend().numDataIds()).toBe(buffers + 1); // shared, not copied
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    b.dispose();
    expect(tf.backend().numDataIds()).toBe(buffers);
  });
});
