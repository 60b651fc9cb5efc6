/**
 * Reproducible dropout with built-in layers. tfjs's Dropout draws its mask
 * from `layer.seed` on every call, so a fixed seed repeats the same mask at
 * every step (and no seed is not reproducible). The train loop therefore
 * sets each Dropout layer's seed to seed(specSeed, layer, step) before every
 * step: masks differ per step, and a resumed run draws the same ones.
 */
import type * as tf from '@tensorflow/tfjs';
import { deriveSeed } from './seeds.js';

interface SeededLayer {
  seed?: number;
}

/** Dropout layers of a model (by tfjs class name). */
export function dropoutLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => l.getClassName() === 'Dropout');
}

/** Points every dropout layer at the mask for `step`. */
export function setDropoutStep(layers: readonly tf.layers.Layer[], specSeed: number, step: number): void {
  for (const l of layers) (l as unknown as SeededLayer).seed = deriveSeed(specSeed, l.name, 'dropout', step);
}
