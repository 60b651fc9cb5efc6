/**
 * What one data set tells the compiler: the data-section keys it accepts or
 * needs, the kind of inputs and targets it yields, and its static facts
 * (input shape before transforms, classes) — known before any data is
 * loaded. One module per set (compiler/datasets/<name>.ts), collected in
 * index.ts; the runtime's loader for the same name is
 * runtime/data/sets/<name>.ts.
 */
import type { Schema } from '../front/schema/helpers.js';
import type { DataSpec, DatasetName } from '../spec.js';

/** Data-section keys every data set has; the others belong to some sets only. */
export type CommonDataKey = 'dataset' | 'input_shape' | 'num_classes' | 'validation_split' | 'batch_size' | 'train_limit' | 'test_limit' | 'transforms';

/** Data-section keys that belong to some data sets only. */
export type DatasetOwnKey = Exclude<keyof DataSpec, CommonDataKey>;

/** What a data set may look at while working out its facts. */
export interface DatasetContext {
  /** Entries of a directory (resolved against the spec file), undefined when unreadable. */
  listDir?(path: string): string[] | undefined;
  /** The spec file's folder, which relative data paths are taken from (default: the working directory). */
  readonly specDir?: string;
}

/** What a data set says about itself before loading; a missing field is unknowable from the spec alone. */
export interface SetFacts {
  /** Per-sample input shape as stored / resized by the loader, before transforms. */
  readonly shape?: readonly number[];
  readonly numClasses?: number;
  readonly classNames?: readonly string[];
  /** Where the class count came from, for messages: "<from> 10 classes". */
  readonly classesFrom?: string;
  /** The target kind when it depends on the spec (csv: class or real); default the definition's `target`. */
  readonly targetKind?: TargetKind;
  /**
   * What is wrong with the data the spec names: a column the file lacks
   * (DLC130, with did-you-mean among `candidates`), or a file that cannot be
   * read as a table (DLC131).
   */
  readonly problems?: readonly { readonly kind: 'column' | 'file'; readonly pointer: string; readonly message: string; readonly word?: string; readonly candidates?: readonly string[] }[];
}

/** The inputs a set yields: images (bytes scaled to [0, 1], transforms apply), float32 features, or int32 token ids. */
export type InputKind = 'image' | 'float32' | 'int32';

/** The targets a set yields: a class index, a multi-label 0/1 vector, or real values. */
export type TargetKind = 'class' | 'multi_label' | 'real';

export interface DatasetDef<N extends DatasetName = DatasetName> {
  readonly name: N;
  /** One line for docs and hovers. */
  readonly description: string;
  /** The data-section keys of DatasetOwnKey this set accepts. */
  readonly keys: readonly DatasetOwnKey[];
  /**
   * JSON Schema of the keys only this set defines (a key several sets share,
   * like `path`, is in front/schema/sections.ts); the data section's schema
   * collects them in registry order.
   */
  readonly schema?: Readonly<Partial<Record<DatasetOwnKey, Schema>>>;
  /** Keys the set cannot do without (DLC014), with the message and a fix. */
  readonly requires: readonly { readonly key: DatasetOwnKey; readonly message: string; readonly hint?: string }[];
  readonly input: InputKind;
  readonly target: TargetKind;
  /** True when the loader downloads into the cache directory when data.path is not given. */
  readonly downloads: boolean;
  /** The set's own facts for `data` (this set's section). */
  facts(data: DataSpec, ctx: DatasetContext): SetFacts;
  /**
   * The target kind when the spec alone decides it (csv: target_type / window;
   * synthetic: synthetic.target), without reading data; default `target`.
   * Normalisation reads it (through `specTargetKind`) for target-dependent defaults.
   */
  targetKindOf?(data: DataSpec): TargetKind;
  /**
   * Where the data comes from, as a Markdown paragraph (lines of at most 78
   * characters) for an emitted project's README.
   */
  readonly source: string;
  /** How a user states the facts `facts` could not find (DLC118 hints). */
  readonly hints: { readonly shape: string; readonly classes: string };
}
