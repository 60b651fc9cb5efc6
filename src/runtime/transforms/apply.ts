/**
 * Applying a spec's transform list to a batch: tensor ops on float32
 * [n, h, w, c] that arrive already scaled to [0, 1]. Random transforms draw
 * their per-sample parameters from a PRNG keyed by (seed, epoch, batch,
 * position in the list), so a batch is augmented the same way on any backend
 * and when a run is resumed.
 *
 * Eval mode (validation, test, predict) applies only deterministic
 * transforms: random_flip, random_rotation, random_translation and cutout
 * are skipped, and random_crop becomes a centre crop of the padded image (an
 * identity when size equals the image size), so eval inputs have the shape
 * the model was trained on. Eval lists should therefore hold deterministic
 * transforms (normalize, rescale, resize); random ones there are harmless.
 */
import * as tf from '@tensorflow/tfjs';
import type { TransformSpec } from '../../compiler/spec.js';
import { DataError } from '../data/errors.js';
import { rngFor, STREAM } from '../data/random.js';
import { cropMap, cutoutMask, flipMap, rotateMap, translateMap, type IndexMap } from './index-maps.js';

export interface TransformContext {
  /** true: random transforms apply; false: eval semantics (see the module doc). */
  readonly training: boolean;
  readonly seed: number;
  readonly epoch: number;
  /** Batch index within the epoch. */
  readonly batch: number;
}

/** The [h, w, c] a transform list turns `shape` into (crop and resize change it). */
export function transformedShape(shape: readonly [number, number, number], transforms: readonly TransformSpec[]): [number, number, number] {
  let [h, w, c] = shape;
  for (const t of transforms) {
    checkTransform(t, [h, w, c]);
    if (t.kind === 'random_crop') [h, w] = [t.size, t.size];
    else if (t.kind === 'resize') [h, w] = [t.size[0], t.size[1]];
  }
  return [h, w, c];
}

/** Throws a DataError naming the spec location when a transform cannot apply to images of `shape`. */
export function checkTransform(t: TransformSpec, shape: readonly [number, number, number]): void {
  const [h, w, c] = shape;
  const fail = (msg: string) => {
    throw new DataError(`${t.path}: ${t.kind} ${msg}`);
  };
  switch (t.kind) {
    case 'normalize':
      if (t.mean.length !== t.std.length) fail(`has ${t.mean.length} means but ${t.std.length} stds`);
      if (t.mean.length !== 1 && t.mean.length !== c) fail(`has ${t.mean.length} means/stds for ${c}-channel images (give 1 or ${c})`);
      if (t.std.some((s) => !(s > 0))) fail('needs every std > 0');
      break;
    case 'random_crop':
      if (t.size > h + 2 * t.padding || t.size > w + 2 * t.padding) fail(`size ${t.size} is larger than the padded ${h + 2 * t.padding}×${w + 2 * t.padding} image`);
      break;
    case 'resize':
      if (!(t.size[0] > 0 && t.size[1] > 0)) fail(`needs a positive size, got ${t.size.join('×')}`);
      break;
    default:
      break;
  }
}

/** True for transforms that draw random numbers (skipped or made deterministic in eval). */
export function isRandomTransform(t: TransformSpec): boolean {
  return t.kind === 'random_flip' || t.kind === 'random_crop' || t.kind === 'random_rotation' || t.kind === 'random_translation' || t.kind === 'cutout';
}

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
