/**
 * The shape rules of the image transforms, stated once: how each transform
 * changes an [h, w, c] image and when it cannot apply. The compiler's DLC115
 * check (lower/datasets.ts) and the runtime's input pipeline
 * (runtime/transforms/apply.ts, runtime/data/batches.ts) both use these.
 *
 * `resize` sets height×width; `random_crop` pads by `padding` then crops to
 * size×size (so it keeps the size only when size equals it); every other
 * transform keeps the shape.
 *
 * Pure and dependency-free (a type-only import of spec.ts): the runtime may
 * import it and it is copied into emitted projects, so it must stay that way.
 */
import type { TransformSpec } from '../spec.js';

export type ImageShape = readonly [number, number, number];

/** Why a transform cannot apply: the offending key (for a diagnostic's path), a message and maybe a fix. */
export interface TransformProblem {
  readonly key: string;
  readonly message: string;
  readonly hint?: string;
}

export interface TransformStep {
  /** The shape after the transform (the input shape when it cannot apply). */
  readonly shape: ImageShape;
  readonly problem?: TransformProblem;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The output shape of one transform on images of `shape`, or why it does not fit them. */
export function transformStep(t: TransformSpec, shape: ImageShape): TransformStep {
  const [h, w, c] = shape;
  const fail = (problem: TransformProblem): TransformStep => ({ shape, problem });
  switch (t.kind) {
    case 'resize':
      if (!(t.size[0] > 0 && t.size[1] > 0)) return fail({ key: 'size', message: `resize needs a positive size, got ${t.size.join('×')}` });
      return { shape: [t.size[0], t.size[1], c] };
    case 'random_crop':
      if (t.size > h + 2 * t.padding || t.size > w + 2 * t.padding)
        return fail({ key: 'size', message: `random_crop of ${t.size}×${t.size} does not fit ${h}×${w} images padded by ${t.padding}`, hint: `use a size of at most ${Math.min(h, w) + 2 * t.padding}` });
      return { shape: [t.size, t.size, c] };
    case 'normalize': {
      for (const key of ['mean', 'std'] as const) {
        const n = t[key].length;
        if (n !== 1 && n !== c) return fail({ key, message: `normalize ${key} has ${n} values, but the images have ${plural(c, 'channel')}`, hint: `give ${plural(c, 'value')} (one per channel) or one for all` });
      }
      if (t.mean.length !== t.std.length) return fail({ key: 'std', message: `normalize has ${t.mean.length} means but ${t.std.length} stds`, hint: 'give mean and std the same number of values' });
      if (t.std.some((s) => !(s > 0))) return fail({ key: 'std', message: 'normalize needs every std > 0' });
      return { shape };
    }
    case 'cutout':
      if (t.size > Math.min(h, w)) return fail({ key: 'size', message: `cutout of ${t.size}×${t.size} is larger than the ${h}×${w} images` });
      return { shape };
    case 'random_translation':
      if (t.max_pixels >= Math.min(h, w)) return fail({ key: 'max_pixels', message: `random_translation by up to ${t.max_pixels} pixels would move ${h}×${w} images entirely out of frame` });
      return { shape };
    case 'rescale':
    case 'random_flip':
    case 'random_rotation':
      return { shape };
  }
}

/** The shape a transform list turns `shape` into, ignoring problems (each step that fails keeps its input shape). */
export function transformedShape(shape: ImageShape, transforms: readonly TransformSpec[]): [number, number, number] {
  let s = shape;
  for (const t of transforms) s = transformStep(t, s).shape;
  return [s[0], s[1], s[2]];
}

/** The first transform of the list that cannot apply, with its problem, or undefined when all fit. */
export function firstTransformProblem(shape: ImageShape, transforms: readonly TransformSpec[]): { transform: TransformSpec; problem: TransformProblem } | undefined {
  let s = shape;
  for (const t of transforms) {
    const r = transformStep(t, s);
    if (r.problem) return { transform: t, problem: r.problem };
    s = r.shape;
  }
  return undefined;
}

/** Which transforms draw random numbers (skipped, or made deterministic, outside training). */
const RANDOM: { readonly [K in TransformSpec['kind']]: boolean } = {
  normalize: false,
  rescale: false,
  resize: false,
  random_flip: true,
  random_crop: true,
  random_rotation: true,
  random_translation: true,
  cutout: true,
};

/** True for transforms that draw random numbers (skipped, or made deterministic, outside training). */
export function isRandomTransform(t: TransformSpec): boolean {
  return RANDOM[t.kind];
}
