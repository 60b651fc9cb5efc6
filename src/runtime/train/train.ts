/**
 * `train(ir, options)`: the training run behind `dlc run` — ./run.ts's
 * `runTraining` with the runtime's own model builder, data loaders and
 * replica worker script. An emitted project calls the same `runTraining`
 * with its generated model.ts and data.ts instead.
 *
 * Everything random is a function of (seed, epoch, step), and the
 * checkpoint holds weights, optimizer slots, schedule and monitor state, so
 * a resumed run continues exactly where the last checkpoint left off.
 */
import type { IR } from '../../compiler/ir.js';
import { defaultCacheDir } from '../data/download.js';
import { loadDataset } from '../data/load.js';
import { buildModel } from '../model/build-model.js';
import type { TrainOptions, TrainResult } from './options.js';
import { replicaWorkerScript } from './replicas.js';
import { runTraining } from './run.js';

export type { TrainOptions, TrainResult, StopReason } from './options.js';

/** Trains the model of `ir` as its spec says; see ./run.ts. */
export async function train(ir: IR, options: TrainOptions = {}): Promise<TrainResult> {
  const spec = ir.spec;
  return runTraining(
    ir,
    {
      buildModel: (m) => buildModel(m, { seed: m.spec.seed }),
      loadData: async (log, saved) => options.dataset ?? (await loadDataset(spec.data, { cacheDir: options.cacheDir ?? defaultCacheDir(), log, seed: spec.seed, saved })),
      replicaWorker: options.replicaWorker ?? replicaWorkerScript(),
    },
    options,
  );
}
