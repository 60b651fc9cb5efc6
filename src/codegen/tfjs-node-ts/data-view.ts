/**
 * The view of `src/data.ts`: the spec's (normalised) data section as a typed
 * literal, and which loader the data set uses. The per-data-set choice is a
 * set of precomputed booleans so the template only has `{{#if}}` blocks.
 */
import type { IR } from '../../compiler/ir.js';
import type { DatasetName } from '../../compiler/spec.js';
import { tsLiteral } from './literals.js';

export interface DataView {
  /** `spec.data` as a literal (fields indented for top level). */
  readonly specLit: string;
  readonly isMnist: boolean;
  readonly isFashionMnist: boolean;
  readonly isCifar10: boolean;
  readonly isImageFolder: boolean;
  readonly isSynthetic: boolean;
  /** True when the data set downloads into a cache directory (needs cacheDir). */
  readonly downloads: boolean;
}

const DATASETS: readonly DatasetName[] = ['mnist', 'fashion_mnist', 'cifar10', 'image_folder', 'synthetic'];

/** The runtime file holding each data set's loader (relative to dlc's src/). */
export const LOADER_FILES: Readonly<Record<DatasetName, string>> = {
  mnist: 'runtime/data/mnist.ts',
  fashion_mnist: 'runtime/data/mnist.ts',
  cifar10: 'runtime/data/cifar10.ts',
  image_folder: 'runtime/data/image-folder.ts',
  synthetic: 'runtime/data/synthetic.ts',
};

/** Builds the data view for `ir`. */
export function buildDataView(ir: IR): DataView {
  const d = ir.spec.data.dataset;
  if (!DATASETS.includes(d)) throw new Error(`codegen: unknown data set ${JSON.stringify(d)}`);
  return {
    specLit: tsLiteral(ir.spec.data),
    isMnist: d === 'mnist',
    isFashionMnist: d === 'fashion_mnist',
    isCifar10: d === 'cifar10',
    isImageFolder: d === 'image_folder',
    isSynthetic: d === 'synthetic',
    downloads: d === 'fashion_mnist' || d === 'cifar10' || d === 'image_folder',
  };
}
