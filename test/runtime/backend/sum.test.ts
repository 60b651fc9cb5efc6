/**
 * dlc's wasm Sum (leading axes, float64 accumulation) against cpu's, and
 * the cases it hands to the original kernel.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/runtime/backend/select.js';
import { maxRelDiff, onBoth, seeded } from './helpers.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('sum, wasm vs cpu', () => {
  it.each([
    [[64, 8, 8, 16], [0, 1, 2], false],
    [[64, 8, 8, 16], [2, 0, 1], true],
    [[64, 10], 0, false],
    [[64, 10], [0, 1], false],
    [[5, 7], null, true],
    [[4, 6, 3], [1, 2], false], // trailing axes: original kernel
    [[4, 6, 3], [0, 2], true], // not a run: original kernel
    [[7], 0, false],
  ] as Array<[number[], number | number[] | null, boolean]>)('shape %j, axis %j, keepDims %s', async (shape, axis, keepDims) => {
    const size = shape.reduce((a, b) => a * b, 1);
    let shapeSeen: number[] = [];
    const { cpu, wasm } = await onBoth(() => {
      const y = tf.sum(tf.tensor(seeded(size, 4), shape), axis ?? undefined, keepDims);
      shapeSeen = y.shape;
      return [y];
    });
    const want = tf.tidy(() => tf.sum(tf.zeros(shape), axis ?? undefined, keepDims).shape);
    expect(shapeSeen).toEqual(want);
    expect(maxRelDiff(cpu, wasm)).toBeLessThan(1e-5);
  });

  it('sums int32 tensors exactly (original kernel)', async () => {
    const { cpu, wasm } = await onBoth(() => [tf.cast(tf.sum(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32'), 0), 'float32')]);
    expect(Array.from(wasm[0])).toEqual([9, 12]);
    expect(Array.from(cpu[0])).toEqual([9, 12]);
  });
});

/** Σ over rows of each column of a [rows, cols] matrix, in row order in float64, rounded once. */
function columnSumsF64(values: Float32Array, cols: number): number[] {
  const acc = new Float64Array(cols);
  for (let i = 0; i < values.length; i++) acc[i % cols] += values[i];
  return Array.from(Float32Array.from(acc));
}

describe('sum over leading axes, exact', () => {
  // The kernel's paths: columns in groups of eight, leftover columns, several
  // row blocks (≈16K elements each) with a partial last one, one row per block.
  it.each([
    [[9, 3]], // leftover columns only
    [[40, 8]], // one group
    [[33, 10]], // a group and two leftovers
    [[3, 500, 16]], // 1500 rows: a full block of 1024 and a partial one
    [[3, 20000]], // one row per block
    [[20000, 1]], // one column, two blocks
  ] as Array<[number[]]>)('shape %j, bit-identical to a float64 column sum in row order', async (shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const cols = shape[shape.length - 1];
    // Magnitudes from 1e-3 to 1e3: a different summation order would change low bits.
    const values = seeded(size, 9).map((v, i) => v * 10 ** ((i % 7) - 3));
    const axes = shape.slice(0, -1).map((_, i) => i);
    const { cpu, wasm } = await onBoth(() => [tf.sum(tf.tensor(values, shape), axes)]);
    const want = columnSumsF64(values, cols);
    expect(Array.from(wasm[0])).toEqual(want);
    expect(Array.from(cpu[0])).toEqual(want);
  });
});
