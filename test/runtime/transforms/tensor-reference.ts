/**
 * The tensor twin of the input pipeline's transforms (src/runtime/transforms/host.ts):
 * the same transforms as tf ops on float32 [n, h, w, c] in [0, 1]. Production
 * code uses only host.ts; this reference lives with the tests, which check the
 * two agree bit for bit and pin the tf semantics (bilinear with half-pixel
 * centres, zero fill outside the image).
 */
import * as tf from '@tensorflow/tfjs';
import type { TransformSpec } from '../../../src/compiler/spec.js';
import { rngFor, STREAM } from '../../../src/runtime/data/random.js';
import { DataError } from '../../../src/runtime/data/errors.js';
import { checkTransform, type TransformContext } from '../../../src/runtime/transforms/apply.js';
import { cropMap, cutoutMask, flipMap, rotateMap, translateMap, type IndexMap } from '../../../src/runtime/transforms/index-maps.js';

export type { TransformContext };

function gatherMap(x: tf.Tensor4D, m: IndexMap): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  // One all-zero row at the end stands for "outside the image".
  const flat = tf.concat([tf.reshape(x, [n * h * w, c]), tf.zeros([1, c])], 0);
  return tf.reshape(tf.gather(flat, tf.tensor1d(m.map, 'int32')), [n, m.outH, m.outW, c]);
}

/**
 * Applies `transforms` in order to xs (float32 [n,h,w,c] in [0,1]). Returns
 * a new tensor (xs itself when nothing applies); the caller still owns xs.
 */
export function applyTransforms(xs: tf.Tensor4D, transforms: readonly TransformSpec[], ctx: TransformContext): tf.Tensor4D {
  if (transforms.length === 0) return xs;
  return tf.tidy(() => {
    let x = xs;
    transforms.forEach((t, i) => {
      const [n, h, w, c] = x.shape;
      checkTransform(t, [h, w, c]);
      const rng = rngFor(ctx.seed, STREAM.augment, ctx.epoch, ctx.batch, i);
      switch (t.kind) {
        case 'normalize': {
          const mean = tf.tensor1d(t.mean.length === 1 ? new Array(c).fill(t.mean[0]) : [...t.mean]);
          const std = tf.tensor1d(t.std.length === 1 ? new Array(c).fill(t.std[0]) : [...t.std]);
          x = tf.div(tf.sub(x, mean), std);
          break;
        }
        case 'rescale':
          x = tf.add(tf.mul(x, t.scale), t.offset);
          break;
        case 'resize':
          if (t.size[0] !== h || t.size[1] !== w) x = tf.image.resizeBilinear(x, [t.size[0], t.size[1]], false, true);
          break;
        case 'random_flip':
          if (ctx.training) x = gatherMap(x, flipMap(n, h, w, t.mode, rng));
          break;
        case 'random_crop':
          if (ctx.training) x = gatherMap(x, cropMap(n, h, w, t.size, t.padding, rng));
          else if (t.size !== h || t.size !== w) x = gatherMap(x, cropMap(n, h, w, t.size, t.padding, 'center'));
          break;
        case 'random_rotation':
          if (ctx.training && t.degrees > 0) x = gatherMap(x, rotateMap(n, h, w, t.degrees, rng));
          break;
        case 'random_translation':
          if (ctx.training && t.max_pixels > 0) x = gatherMap(x, translateMap(n, h, w, t.max_pixels, rng));
          break;
        case 'cutout':
          if (ctx.training && t.size > 0) x = tf.mul(x, tf.tensor4d(cutoutMask(n, h, w, t.size, rng), [n, h, w, 1]));
          break;
        default: {
          const never: never = t;
          throw new DataError(`unknown transform ${JSON.stringify(never)}`);
        }
      }
    });
    return x;
  });
}
