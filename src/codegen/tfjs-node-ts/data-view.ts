/**
 * The view of `src/data.ts`: the spec's (normalised) data section as a typed
 * literal, and the one runtime module holding its data set's loader
 * (runtime/data/sets/<name>.ts, copied into the project like every runtime
 * file it imports). The template is the same for every data set.
 */
import { DATASETS } from '../../compiler/datasets/index.js';
import type { IR } from '../../compiler/ir.js';
import type { DatasetName } from '../../compiler/spec.js';
import { jsString, tsLiteral } from './literals.js';

export interface DataView {
  /** `spec.data` as a literal (fields indented for top level). */
  readonly specLit: string;
  /** The loader module's import specifier, e.g. './lib/runtime/data/sets/cifar10.js'. */
  readonly loaderModuleLit: string;
  /** Where the data comes from (the data set's own Markdown paragraph), for the README. */
  readonly sourceText: string;
}

/** The runtime file holding the loader of data set `name` (relative to dlc's src/): sets/<name>.ts, dashes for underscores. */
export function loaderFile(name: DatasetName): string {
  return `runtime/data/sets/${name.replace(/_/g, '-')}.ts`;
}

/** The loader file of every data set (relative to dlc's src/). */
export const LOADER_FILES: Readonly<Record<DatasetName, string>> = Object.fromEntries(Object.keys(DATASETS).map((n) => [n, loaderFile(n as DatasetName)])) as Record<DatasetName, string>;

/** Builds the data view for `ir`. */
export function buildDataView(ir: IR): DataView {
  const d = ir.spec.data.dataset;
  if (!Object.hasOwn(DATASETS, d)) throw new Error(`codegen: unknown data set ${JSON.stringify(d)}`);
  return {
    specLit: tsLiteral(ir.spec.data),
    loaderModuleLit: jsString(`./lib/${loaderFile(d).replace(/\.ts$/, '.js')}`),
    sourceText: DATASETS[d].source,
  };
}
