/**
 * Every transform kind, by name (`data.transforms.train` / `eval` items).
 * How each changes the image shape: compiler/shared/transform-shape.ts
 * (used by the DLC115 check and the runtime); how each is applied:
 * runtime/transforms/host.ts.
 */
import type { TransformSpec } from '../../spec.js';
import type { Family } from '../kind.js';
import { cutout } from './cutout.js';
import { normalize } from './normalize.js';
import { randomCrop } from './random-crop.js';
import { randomFlip } from './random-flip.js';
import { randomRotation } from './random-rotation.js';
import { randomTranslation } from './random-translation.js';
import { rescale } from './rescale.js';
import { resize } from './resize.js';

export const TRANSFORMS = {
  normalize,
  rescale,
  random_flip: randomFlip,
  random_crop: randomCrop,
  random_rotation: randomRotation,
  random_translation: randomTranslation,
  cutout,
  resize,
} as const satisfies Family<TransformSpec>;
