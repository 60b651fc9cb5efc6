/**
 * Checking a spec's transform list against the images it will see, and the
 * context the transforms run in. The shape rules are the compiler's own
 * (compiler/shared/transform-shape.ts), so a list `dlc check` accepts is one
 * the pipeline runs; the transforms themselves are applied in host.ts.
 *
 * Eval mode (validation, test, predict) applies only deterministic
 * transforms: random_flip, random_rotation, random_translation and cutout
 * are skipped, and random_crop becomes a centre crop of the padded image (an
 * identity when size equals the image size), so eval inputs have the shape
 * the model was trained on. Eval lists should therefore hold deterministic
 * transforms (normalize, rescale, resize); random ones there are harmless.
 */
import { firstTransformProblem, isRandomTransform, transformedShape as shapeAfter, transformStep, type ImageShape } from '../../compiler/shared/transform-shape.js';
import type { TransformSpec } from '../../compiler/spec.js';
import { DataError } from '../data/errors.js';

export { isRandomTransform };

export interface TransformContext {
  /** true: random transforms apply; false: eval semantics (see the module doc). */
  readonly training: boolean;
  readonly seed: number;
  readonly epoch: number;
  /** Batch index within the epoch. */
  readonly batch: number;
}

/** Throws a DataError naming the spec location when a transform cannot apply to images of `shape`. */
export function checkTransform(t: TransformSpec, shape: ImageShape): void {
  const { problem } = transformStep(t, shape);
  if (problem) throw new DataError(`${t.path}: ${problem.message}`);
}

/**
 * The [h, w, c] a transform list turns `shape` into (crop and resize change
 * it); throws a DataError at the first transform that cannot apply.
 */
export function transformedShape(shape: ImageShape, transforms: readonly TransformSpec[]): [number, number, number] {
  const bad = firstTransformProblem(shape, transforms);
  if (bad) throw new DataError(`${bad.transform.path}: ${bad.problem.message}`);
  return shapeAfter(shape, transforms);
}
