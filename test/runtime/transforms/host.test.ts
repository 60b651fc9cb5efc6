import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TransformSpec } from '../../../src/compiler/spec.js';
import { rngFor, STREAM } from '../../../src/runtime/data/random.js';
import { applyTransforms, type TransformContext } from './tensor-reference.js';
import { hostTransforms } from '../../../src/runtime/transforms/host.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const LIB = { rngFor, augmentStream: STREAM.augment };

/** Random-looking but fixed data in [0,1]. */
function data(n: number, h: number, w: number, c: number): Float32Array {
  const r = rngFor(99);
  return Float32Array.from({ length: n * h * w * c }, () => Math.round(r() * 255) / 255);
}

const cases: [string, TransformSpec[]][] = [
  ['flip both', [{ kind: 'random_flip', mode: 'both', path: '/p' }]],
  ['flip horizontal', [{ kind: 'random_flip', mode: 'horizontal', path: '/p' }]],
  ['crop with padding', [{ kind: 'random_crop', size: 6, padding: 2, path: '/p' }]],
  ['crop smaller', [{ kind: 'random_crop', size: 4, padding: 1, path: '/p' }]],
  ['rotation', [{ kind: 'random_rotation', degrees: 40, path: '/p' }]],
  ['translation', [{ kind: 'random_translation', max_pixels: 2, path: '/p' }]],
  ['cutout', [{ kind: 'cutout', size: 3, path: '/p' }]],
  ['normalize', [{ kind: 'normalize', mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616], path: '/p' }]],
  ['rescale', [{ kind: 'rescale', scale: 2, offset: -1, path: '/p' }]],
  ['resize up and down', [{ kind: 'resize', size: [9, 4], path: '/p' }]],
  [
    'the CIFAR recipe and more, chained',
    [
      { kind: 'random_crop', size: 6, padding: 1, path: '/p' },
      { kind: 'random_flip', mode: 'horizontal', path: '/p' },
      { kind: 'random_translation', max_pixels: 1, path: '/p' },
      { kind: 'random_rotation', degrees: 15, path: '/p' },
      { kind: 'normalize', mean: [0.5, 0.4, 0.3], std: [0.2, 0.3, 0.25], path: '/p' },
      { kind: 'cutout', size: 2, path: '/p' },
    ],
  ],
];

describe('host (JS) transforms equal the tensor-op transforms', () => {
  for (const training of [true, false]) {
    for (const [name, transforms] of cases) {
      it(`${name} (${training ? 'train' : 'eval'})`, () => {
        const shape: [number, number, number, number] = [5, 6, 6, 3];
        const x = data(...shape);
        const ctx: TransformContext = { training, seed: 3, epoch: 2, batch: 7 };
        const host = hostTransforms(x.slice(), shape, transforms, ctx, LIB);
        const t = tf.tensor4d(x, shape);
        const y = applyTransforms(t, transforms, ctx);
        expect(host.shape).toEqual(y.shape);
        const got = Array.from(y.dataSync());
        // Bit-identical: same parameters, same float32 arithmetic.
        expect(Array.from(host.pixels)).toEqual(got);
        if (y !== t) y.dispose();
        t.dispose();
      });
    }
  }
});
