/**
 * dlc's wasm Tile (block copies) against cpu's: the same values bit for bit,
 * over ranks 0–5, repeats of 1, every dtype tfjs tiles, and the batch-norm
 * gradient's own case; no leaked buffers (onBoth checks).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/runtime/backend/select.js';
import { tileInto } from '../../../src/runtime/backend/wasm-training/kernels/tile.js';
import { maxRelDiff, onBoth, seeded } from './helpers.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('tile, wasm vs cpu', () => {
  it.each([
    [[], []],
    [[5], [3]],
    [[5], [1]],
    [[2, 3], [2, 1]],
    [[2, 3], [1, 4]],
    [[1, 1, 1, 7], [4, 5, 6, 1]], // batch norm's gradient: [1,1,1,C] → [N,H,W,C]
    [[3, 1, 2, 2], [2, 3, 1, 2]],
    [[2, 3, 1, 2, 2], [1, 2, 3, 1, 2]],
  ] as Array<[number[], number[]]>)('shape %j × reps %j', async (shape, reps) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const { cpu, wasm } = await onBoth(() => [tf.tile(tf.tensor(seeded(size, 9), shape), reps)]);
    expect(wasm[0]!.length).toBe(size * reps.reduce((a, b) => a * b, 1));
    expect(Array.from(wasm[0]!)).toEqual(Array.from(cpu[0]!));
  });

  it('tiles int32 and bool exactly, and -0, NaN and ±Infinity as they are', async () => {
    const { cpu, wasm } = await onBoth(() => [
      tf.cast(tf.tile(tf.tensor2d([1, -2, 3, 1 << 20], [2, 2], 'int32'), [2, 3]), 'float32'),
      tf.cast(tf.tile(tf.tensor1d([true, false, true], 'bool'), [3]), 'float32'),
      tf.tile(tf.tensor1d([-0, NaN, Infinity, -Infinity]), [2]),
    ]);
    expect(wasm.map((a) => Array.from(a))).toEqual(cpu.map((a) => Array.from(a)));
    expect(Object.is(wasm[2]![4], -0)).toBe(true);
  });

  it('trains through batch norm with the same gradients as cpu', async () => {
    const { cpu, wasm } = await onBoth(() => {
      const x = tf.tensor4d(seeded(2 * 4 * 4 * 3, 3), [2, 4, 4, 3]);
      const bn = tf.layers.batchNormalization({ gammaInitializer: 'ones' });
      const f = (a: tf.Tensor) => tf.sum(tf.mul(bn.apply(a, { training: true }) as tf.Tensor, tf.tensor(seeded(96, 4), [2, 4, 4, 3])));
      const g = tf.grad(f)(x);
      bn.dispose();
      return [g];
    });
    // Other kernels of the gradient (sums, means) round differently on the two backends.
    expect(maxRelDiff(cpu, wasm)).toBeLessThan(1e-5);
  });

  it('fills every element exactly once by copying (tileInto on plain arrays)', () => {
    const src = Int32Array.from({ length: 6 }, (_, i) => i);
    const dst = new Int32Array(6 * 8).fill(-1);
    tileInto(src, dst, [3, 2], [2, 4]);
    const want: number[] = [];
    for (let r = 0; r < 6; r++) for (let c = 0; c < 8; c++) want.push(src[(r % 3) * 2 + (c % 2)]!);
    expect(Array.from(dst)).toEqual(want);
  });
});
