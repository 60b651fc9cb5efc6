/** The shared shape of the built-in image sets with fixed facts (MNIST, Fashion-MNIST, CIFAR-10). */
import type { DatasetName } from '../spec.js';
import type { DatasetDef } from './dataset-def.js';

/** A data set of fixed [h, w, c] images and named classes, read from data.path or its default place. */
export function fixedImageSet<N extends DatasetName>(name: N, description: string, shape: readonly [number, number, number], classNames: readonly string[], downloads: boolean, source: string): DatasetDef<N> {
  return {
    name,
    description,
    keys: ['path'],
    requires: [],
    input: 'image',
    target: 'class',
    downloads,
    source,
    facts: () => ({ shape, numClasses: classNames.length, classNames, classesFrom: `${name} has` }),
    hints: { shape: `${name} images are ${shape.join('×')}`, classes: `${name} has ${classNames.length} classes` },
  };
}
