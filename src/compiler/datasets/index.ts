/**
 * The compiler's data-set registry: every data-set name of the spec has its
 * definition here (a missing or extra one fails tsc). The runtime's loaders
 * are keyed by the same names (runtime/data/sets/index.ts).
 *
 * Adding a data set: its name in spec.ts `DatasetName`, a module here, a
 * loader in runtime/data/sets/<name>.ts (dashes for underscores), its schema
 * keys in front/schema/sections.ts.
 */
import type { Schema } from '../front/schema/helpers.js';
import type { DataSpec, DatasetName } from '../spec.js';
import { cifar10 } from './cifar10.js';
import { csv } from './csv.js';
import type { DatasetDef, DatasetOwnKey, TargetKind } from './dataset-def.js';
import { fashion_mnist } from './fashion-mnist.js';
import { image_folder } from './image-folder.js';
import { mnist } from './mnist.js';
import { synthetic } from './synthetic.js';
import { text } from './text.js';

export type { CommonDataKey, DatasetContext, DatasetDef, DatasetOwnKey, InputKind, SetFacts, TargetKind } from './dataset-def.js';

export const DATASETS: { readonly [N in DatasetName]: DatasetDef<N> } = { mnist, fashion_mnist, cifar10, image_folder, synthetic, csv, text };

/** Every data-set name, in registry order. */
export const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];

/** The definition of `name`, or undefined for a name that is not registered. */
export function datasetDef(name: string): DatasetDef | undefined {
  return Object.hasOwn(DATASETS, name) ? DATASETS[name as DatasetName] : undefined;
}

/** The target kind of a data section, from the spec alone (no data read): the set's `targetKindOf`, else its `target`. */
export function specTargetKind(data: DataSpec): TargetKind {
  const def = datasetDef(data.dataset);
  return def?.targetKindOf?.(data) ?? def?.target ?? 'class';
}

/** Every set-specific data-section key, in registry order (the order `dlc config` prints them in). */
export function datasetOwnKeys(): DatasetOwnKey[] {
  return [...new Set(DATASET_NAMES.flatMap((name) => DATASETS[name].keys))];
}

/**
 * Keys that exactly one data set accepts, with that set (a key several sets
 * share, like `path`, is not in the table): for "'channels' applies to
 * dataset image_folder only".
 */
export function keysOfOneDataset(): ReadonlyMap<DatasetOwnKey, DatasetName> {
  const owners = new Map<DatasetOwnKey, DatasetName[]>();
  for (const name of DATASET_NAMES) for (const key of DATASETS[name].keys) owners.set(key, [...(owners.get(key) ?? []), name]);
  return new Map([...owners].filter(([, names]) => names.length === 1).map(([key, names]) => [key, names[0]]));
}

/** Keys that several (not all) data sets accept, with those sets: for "'target' applies to datasets csv, text only". */
export function keysOfSomeDatasets(): ReadonlyMap<DatasetOwnKey, readonly DatasetName[]> {
  const owners = new Map<DatasetOwnKey, DatasetName[]>();
  for (const name of DATASET_NAMES) for (const key of DATASETS[name].keys) owners.set(key, [...(owners.get(key) ?? []), name]);
  return new Map([...owners].filter(([, names]) => names.length > 1 && names.length < DATASET_NAMES.length));
}

/** The schema of every set-specific key the data sets define, in registry order (a key defined twice is an error). */
export function datasetKeySchemas(): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const name of DATASET_NAMES) {
    for (const [key, schema] of Object.entries(DATASETS[name].schema ?? {})) {
      if (key in out) throw new Error(`data set ${name} defines '${key}' again`);
      out[key] = schema as Schema;
    }
  }
  return out;
}
