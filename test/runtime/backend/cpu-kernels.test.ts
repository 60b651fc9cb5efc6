/**
 * dlc's cpu kernel corrections: ResizeNearestNeighborGrad (upsampling2d's
 * gradient) on a batch equals the per-image gradients stacked — tfjs-cpu
 * 4.22's own kernel gives the later images another image's gradient — and
 * equals wasm's (whose kernel ignores half-pixel centres; tfjs's
 * upsampling2d never sets them).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, withBackend } from '../../../src/runtime/backend/select.js';
import { maxRelDiff, onBoth, seeded } from './helpers.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('cpu ResizeNearestNeighborGrad', () => {
  it.each([
    [[3, 3, 4, 2], [6, 8], false, false],
    [[2, 2, 3, 1], [4, 9], false, false],
    [[2, 3, 3, 2], [7, 5], true, false],
    [[2, 4, 3, 1], [5, 7], false, true],
  ] as const)('images %j → %j (align corners %s, half-pixel %s): batch = per image, = wasm', async ([n, h, w, c], size, align, half) => {
    const x = seeded(n * h * w * c, 3);
    const r = seeded(n * size[0] * size[1] * c, 4);
    const grad = (first: number, count: number) => () => {
      const xs = tf.tensor(x.slice(first * h * w * c, (first + count) * h * w * c), [count, h, w, c]);
      const rs = tf.tensor(r.slice(first * size[0] * size[1] * c, (first + count) * size[0] * size[1] * c), [count, size[0], size[1], c]);
      return [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(a as tf.Tensor4D, [...size], align, half), rs)))(xs)];
    };
    const batch = await onBoth(grad(0, n));
    const perImage = await withBackend('cpu', () => Array.from({ length: n }, (_, i) => grad(i, 1)()[0].dataSync() as Float32Array));
    const stacked = new Float32Array(perImage.reduce<number[]>((a, g) => [...a, ...g], []));
    expect(maxRelDiff([stacked], batch.cpu)).toBeLessThan(1e-6);
    // wasm's kernel takes no half-pixel flag (upsampling2d never sets it): compared without it only.
    if (!half) expect(maxRelDiff(batch.cpu, batch.wasm)).toBeLessThan(1e-5);
  });
});
