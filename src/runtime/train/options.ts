/** Options and result of `train()` (the library API `dlc run` is a thin shell over). */
import type * as tf from '@tensorflow/tfjs';
import type { BackendChoice, BackendInfo } from '../backend/select.js';
import type { IR } from '../../compiler/ir.js';
import type { LoadedDataset, MetricsReport } from '../contracts.js';
import type { ProgressMode, ProgressStream } from '../progress/progress.js';
import type { EpochRecord } from '../run-dir/run-dir.js';

export interface TrainOptions {
  /** Default 'auto'. `null`: keep whatever backend tfjs already has (tests that set it themselves). */
  readonly backend?: BackendChoice | null;
  /** Parent of `<name>/<timestamp>/` run directories (default "runs"). */
  readonly runsDir?: string;
  /** Use exactly this (new or empty) directory as the run directory instead of one under `runsDir`. */
  readonly runDir?: string;
  /** Continue the run in this directory from its `checkpoints/last`. */
  readonly resume?: string;
  /** Data set cache ($DLC_CACHE); default: the data layer's default. */
  readonly cacheDir?: string;
  /** Overrides spec.train.epochs (total epochs of the run, including resumed ones). */
  readonly epochs?: number;
  /** Final tables go here (default: process.stdout). */
  readonly stdout?: ProgressStream;
  /** Progress and log lines go here (default: process.stderr). */
  readonly stderr?: ProgressStream;
  /** Default 'auto' (bar on a TTY, plain lines otherwise). */
  readonly progress?: ProgressMode;
  /** Plain progress: a line every this many batches. */
  readonly logEvery?: number;
  /**
   * Called after each epoch, once its checkpoint and metrics lines are on
   * disk. Throwing from it ends the run there (tests use it to simulate a kill).
   */
  readonly onEpoch?: (record: EpochRecord, ctx: { readonly model: tf.LayersModel; readonly runDir: string }) => void | Promise<void>;
  /** Called after every optimizer step with its training loss and learning rate (report.html's per-step curves). */
  readonly onStep?: (step: { readonly step: number; readonly loss: number; readonly lr: number }) => void;
  /** Use this data set instead of loading spec.data (tests, benchmarks; `train()` only). */
  readonly dataset?: LoadedDataset;
  /**
   * The resolved spec as the user writes it (extends merged, --set applied,
   * defaults filled in), for the run directory's spec.yaml. The runtime does
   * not read YAML: callers make it with the compiler's denormalize. Default:
   * the normalised Spec as JSON (which is YAML too).
   */
  readonly specYaml?: string;
  /**
   * Data-parallel replicas (worker threads) to split each batch over; 1
   * trains on this thread only. Default: `DLC_REPLICAS`, else one per core
   * on the wasm backend when the model allows it (see replicas.ts). Ignored
   * (1) when `backend` is null unless given.
   */
  readonly replicas?: number;
  /** The compiled replica worker script (tests that run dlc from its TypeScript sources); default: the build's (`train()` only). */
  readonly replicaWorker?: URL;
  /** Clock for the run directory's timestamp. */
  readonly now?: () => Date;
  /**
   * A saved preprocessing (a run's preprocessing.json, read with
   * preprocessing-file.ts) to encode the data with instead of fitting one on
   * the training split: csv tables, windows and text vocabularies. Written to
   * the new run's preprocessing.json. A resumed run uses its own.
   */
  readonly preprocessing?: { readonly kind: string };
  /**
   * A run's preprocessing.json to encode the data with (dlc run --preprocessing FILE): read and
   * checked against the spec before any run directory exists (errors name the file), and copied
   * byte for byte as the new run's preprocessing.json. Not with `preprocessing` or `resume`.
   */
  readonly preprocessingFile?: string;
  /**
   * Start from the weights in this tfjs layers model directory (model.json +
   * weights.bin: a converted model, a run's checkpoint) instead of the
   * spec's seeded initial weights; checked against the model (initial-weights.ts).
   * Not with `resume` (a resumed run has its own).
   */
  readonly initialWeights?: string;
}

export type StopReason = 'completed' | 'early_stopping' | 'non_finite_loss';

export interface TestEvaluation {
  readonly loss: number;
  readonly report: MetricsReport;
}

export interface TrainResult {
  readonly runDir: string;
  readonly backend: BackendInfo;
  /** Every epoch of the run, resumed ones included. */
  readonly history: readonly EpochRecord[];
  readonly stopReason: StopReason;
  /** A human-readable line for non-`completed` stops. */
  readonly message?: string;
  readonly globalStep: number;
  /** Final test-split evaluation (absent after a non-finite loss). */
  readonly test?: TestEvaluation;
  readonly classNames: readonly string[];
}

/** What differs between `dlc run` and an emitted project: where the model and the data come from. */
export interface TrainingParts {
  /** Builds the spec's model with its seeded initial weights (the same weights `dlc run` starts from). */
  readonly buildModel: (ir: IR) => tf.LayersModel;
  /**
   * Loads the data set's train and test splits (limits applied); `log` gets
   * info lines; `saved`: a preprocessing to use instead of fitting one (TrainOptions.preprocessing).
   */
  readonly loadData: (log: (line: string) => void, saved?: { readonly kind: string }) => Promise<LoadedDataset>;
  /** A compiled worker script that calls `serveReplica` with the same model builder; absent: one replica only. */
  readonly replicaWorker?: URL;
}
