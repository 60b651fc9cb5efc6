import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TransformSpec } from '../../../src/compiler/spec.js';
import { DataError } from '../../../src/runtime/data/errors.js';
import { transformedShape } from '../../../src/runtime/transforms/apply.js';
import { applyTransforms, type TransformContext } from './tensor-reference.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const train: TransformContext = { training: true, seed: 1, epoch: 0, batch: 0 };
const evalCtx: TransformContext = { ...train, training: false };

/** [n, h, w, 1] with value = 1 + sample*100 + y*10 + x, so moves are readable. */
function grid(n: number, h: number, w: number): tf.Tensor4D {
  const v = new Float32Array(n * h * w);
  for (let s = 0; s < n; s++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) v[(s * h + y) * w + x] = 1 + s * 100 + y * 10 + x;
  return tf.tensor4d(v, [n, h, w, 1]);
}

const run = (x: tf.Tensor4D, t: TransformSpec[], ctx = train) => {
  const y = applyTransforms(x, t, ctx);
  const out = y.arraySync().map((s) => s.map((row) => row.map((px) => px[0])));
  if (y !== x) y.dispose();
  return out;
};

const T = {
  flip: (mode: 'horizontal' | 'vertical' | 'both'): TransformSpec => ({ kind: 'random_flip', mode, path: '/p' }),
  crop: (size: number, padding: number): TransformSpec => ({ kind: 'random_crop', size, padding, path: '/p' }),
  rot: (degrees: number): TransformSpec => ({ kind: 'random_rotation', degrees, path: '/p' }),
  shift: (max_pixels: number): TransformSpec => ({ kind: 'random_translation', max_pixels, path: '/p' }),
  cutout: (size: number): TransformSpec => ({ kind: 'cutout', size, path: '/p' }),
};

describe('transforms', () => {
  it('normalize: per-channel (x - mean) / std; rescale: x * scale + offset', () => {
    const x = tf.tensor4d([0, 0.5, 1, 1], [1, 1, 2, 2]);
    const y = applyTransforms(x, [{ kind: 'normalize', mean: [0.5, 0.25], std: [0.5, 0.25], path: '/p' }], train);
    expect(Array.from(y.dataSync())).toEqual([-1, 1, 1, 3]);
    const z = applyTransforms(x, [{ kind: 'rescale', scale: 2, offset: -1, path: '/p' }], train);
    expect(Array.from(z.dataSync())).toEqual([-1, 0, 1, 1]);
    tf.dispose([x, y, z]);
  });

  it('random_flip horizontal mirrors rows of the chosen samples, leaves the others', () => {
    const x = grid(16, 2, 3);
    const out = run(x, [T.flip('horizontal')]);
    const orig = run(x, []);
    let flipped = 0;
    out.forEach((s, i) => {
      const mirrored = orig[i].map((row) => [...row].reverse());
      if (JSON.stringify(s) === JSON.stringify(mirrored)) flipped++;
      else expect(s).toEqual(orig[i]);
    });
    expect(flipped).toBeGreaterThan(2);
    expect(flipped).toBeLessThan(14);
    x.dispose();
  });

  it('random_flip vertical reverses row order', () => {
    const x = grid(16, 3, 2);
    const out = run(x, [T.flip('vertical')]);
    const orig = run(x, []);
    const flipped = out.filter((s, i) => JSON.stringify(s) === JSON.stringify([...orig[i]].reverse())).length;
    expect(flipped).toBeGreaterThan(2);
    expect(flipped).toBeLessThan(14);
    x.dispose();
  });

  it('random_crop: padded window, so each sample is the original shifted with zero fill', () => {
    const x = grid(8, 4, 4);
    const out = run(x, [T.crop(4, 2)]);
    const orig = run(x, []);
    let shifted = 0;
    out.forEach((s, i) => {
      // Find the shift from one surviving pixel, then check every pixel against it.
      const v = s.flat().find((p) => p !== 0)!;
      const sy = Math.floor(((v - 1) % 100) / 10);
      const sx = (v - 1) % 10;
      const pos = s.flat().indexOf(v);
      const dy = Math.floor(pos / 4) - sy;
      const dx = (pos % 4) - sx;
      expect(Math.abs(dy)).toBeLessThanOrEqual(2);
      expect(Math.abs(dx)).toBeLessThanOrEqual(2);
      if (dy || dx) shifted++;
      for (let y = 0; y < 4; y++) for (let xx = 0; xx < 4; xx++) {
        const from = [y - dy, xx - dx];
        const want = from[0] >= 0 && from[0] < 4 && from[1] >= 0 && from[1] < 4 ? orig[i][from[0]][from[1]] : 0;
        expect(s[y][xx]).toBe(want);
      }
    });
    expect(shifted).toBeGreaterThan(3);
    x.dispose();
  });

  it('random_crop to a smaller size; eval takes the centre crop', () => {
    const x = grid(2, 4, 4);
    expect(run(x, [T.crop(2, 0)])[0]).toHaveLength(2);
    expect(run(x, [T.crop(2, 0)], evalCtx)[0]).toEqual([[12, 13], [22, 23]]);
    expect(run(x, [T.crop(4, 4)], evalCtx)).toEqual(run(x, []));
    expect(transformedShape([4, 4, 3], [T.crop(2, 0), { kind: 'resize', size: [8, 6], path: '/p' }])).toEqual([8, 6, 3]);
    x.dispose();
  });

  it('random_translation shifts within ±max and fills with zeros', () => {
    const x = grid(6, 5, 5);
    const out = run(x, [T.shift(1)]);
    out.forEach((s, i) => {
      const centre = s[2][2];
      const dy = 2 - Math.floor(((centre - 1 - i * 100) / 10));
      const dx = 2 - ((centre - 1) % 10);
      expect(Math.abs(dy)).toBeLessThanOrEqual(1);
      expect(Math.abs(dx)).toBeLessThanOrEqual(1);
      if (dy === 1) expect(s[0].every((p) => p === 0)).toBe(true);
    });
    x.dispose();
  });

  it('random_rotation keeps the centre pixel; 90-degree bound includes rotations that move corners', () => {
    const x = grid(8, 5, 5);
    const out = run(x, [T.rot(90)]);
    const orig = run(x, []);
    out.forEach((s, i) => expect(s[2][2]).toBe(orig[i][2][2]));
    expect(out.some((s, i) => JSON.stringify(s) !== JSON.stringify(orig[i]))).toBe(true);
    expect(run(x, [T.rot(90)], evalCtx)).toEqual(orig);
    x.dispose();
  });

  it('cutout zeroes one square (clipped at edges) per sample and nothing else', () => {
    const x = tf.ones([6, 8, 8, 2]) as tf.Tensor4D;
    const y = applyTransforms(x, [T.cutout(3)], train);
    const v = y.arraySync();
    for (const s of v) {
      const zeros: [number, number][] = [];
      s.forEach((row, r) => row.forEach((px, c) => {
        expect(px[0]).toBe(px[1]); // same mask on every channel
        if (px[0] === 0) zeros.push([r, c]);
      }));
      expect(zeros.length).toBeGreaterThan(0);
      expect(zeros.length).toBeLessThanOrEqual(9);
      const rows = new Set(zeros.map((z) => z[0]));
      const cols = new Set(zeros.map((z) => z[1]));
      expect(rows.size * cols.size).toBe(zeros.length); // a rectangle
    }
    tf.dispose([x, y]);
  });

  it('resize uses bilinear with half-pixel centres', () => {
    const x = tf.tensor4d([0, 1, 2, 3], [1, 1, 4, 1]);
    const y = applyTransforms(x, [{ kind: 'resize', size: [1, 2], path: '/p' }], train);
    expect(Array.from(y.dataSync())).toEqual([0.5, 2.5]);
    tf.dispose([x, y]);
  });

  it('is reproducible per (seed, epoch, batch) and varies with each', () => {
    const x = grid(8, 6, 6);
    const t = [T.flip('both'), T.crop(6, 2), T.rot(30), T.shift(2), T.cutout(2)];
    const a = run(x, t);
    expect(run(x, t)).toEqual(a);
    expect(run(x, t, { ...train, seed: 2 })).not.toEqual(a);
    expect(run(x, t, { ...train, epoch: 1 })).not.toEqual(a);
    expect(run(x, t, { ...train, batch: 1 })).not.toEqual(a);
    expect(run(x, t, evalCtx)).toEqual(run(x, []));
    x.dispose();
  });

  it('leaks no tensors', () => {
    const x = grid(4, 6, 6);
    const t: TransformSpec[] = [T.flip('both'), T.crop(4, 1), T.rot(30), T.shift(2), T.cutout(2), { kind: 'normalize', mean: [0.5], std: [0.5], path: '/p' }, { kind: 'resize', size: [3, 3], path: '/p' }];
    const before = tf.memory().numTensors;
    const y = applyTransforms(x, t, train);
    expect(tf.memory().numTensors).toBe(before + 1);
    y.dispose();
    x.dispose();
  });

  it('rejects transforms that cannot apply, naming the spec path', () => {
    const x = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
    expect(() => applyTransforms(x, [{ kind: 'normalize', mean: [0.5, 0.5], std: [1, 1], path: '/data/transforms/train/2' }], train)).toThrow(DataError);
    expect(() => applyTransforms(x, [{ kind: 'normalize', mean: [0.5, 0.5], std: [1, 1], path: '/data/transforms/train/2' }], train)).toThrow(/\/data\/transforms\/train\/2: normalize mean has 2 values, but the images have 3 channels/);
    expect(() => applyTransforms(x, [T.crop(9, 2)], train)).toThrow(/random_crop of 9×9 does not fit 4×4 images padded by 2/);
    x.dispose();
  });
});
