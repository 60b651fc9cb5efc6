/**
 * Training throughput, three ways, interleaved in one run:
 *
 *  - dlc: the real `train()` path (data pipeline with the spec's train
 *    transforms, prefetch, the step, dlc's optimizer, the schedule) on a
 *    LoadedDataset of random uint8 images of the spec's real input shape.
 *    One `train()` call of 1 + reps epochs; epoch 1 is warm-up and not
 *    counted; each later epoch's `samples_per_second` (EpochRecord: training
 *    batches only — validation, checkpoints and the test pass come after its
 *    clock stops) is one repetition.
 *  - hand-written tfjs loop on the same backend (./handwritten.js).
 *  - PyTorch CPU (../torch/throughput.py --serve), as many threads as cores,
 *    and (opts.torch.oneThread) also with 1 thread: on a busy machine
 *    PyTorch's OpenMP threads spin-wait for each other and its multi-thread
 *    figure collapses, while the 1-thread one stays meaningful.
 *
 * After each dlc epoch (from `onEpoch`) the hand-written loop and PyTorch
 * each run the same number of steps, so the three see the same machine
 * load; ratios are medians of the per-repetition ratios.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { compileFile } from '../../dist/compiler/compile.js';
import { train } from '../../dist/runtime/train/train.js';
import { initBackend } from '../../dist/runtime/backend/select.js';
import { planReplicas } from '../../dist/runtime/train/replicas.js';
import { imageSet } from '../../dist/runtime/data/example-set.js';
import { handwrittenLoop } from './handwritten.js';
import { startTorch } from './torch.js';
import { median } from './stats.js';

const sink = { write: () => true, isTTY: false };

/** Smallest training set dlc gets here (see measureThroughput). */
export const MIN_SAMPLES = 640;

/**
 * The spec as benchmarked: its model, batch size, transforms and schedule,
 * with three changes that keep the comparison about dlc's machinery —
 * no validation split and no early stopping (a bench epoch is training
 * only, and must not stop early on random labels), and SGD with momentum
 * 0.9 and no weight decay, the update the hand-written loop and PyTorch do.
 */
export function benchIr(ir) {
  const { spec } = ir;
  const optimizer = { kind: 'sgd', learning_rate: spec.optimizer.learning_rate, momentum: 0.9, nesterov: false, weight_decay: 0 };
  return {
    ...ir,
    spec: {
      ...spec,
      data: { ...spec.data, validation_split: 0, train_limit: undefined, test_limit: undefined },
      train: { ...spec.train, early_stopping: undefined },
      optimizer,
    },
  };
}

/** Random uint8 images of `shape` with random labels: the data set dlc trains on here. */
export function randomDataset(shape, numClasses, trainCount, testCount, seed = 1) {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const set = (count) => {
    const per = shape[0] * shape[1] * shape[2];
    const images = new Uint8Array(count * per);
    for (let i = 0; i < images.length; i++) images[i] = (rand() * 256) | 0;
    const labels = new Int32Array(count);
    for (let i = 0; i < count; i++) labels[i] = i % numClasses; // every class present
    return imageSet(images, labels, [...shape], numClasses);
  };
  return {
    name: 'random',
    classNames: Array.from({ length: numClasses }, (_, k) => `c${k}`),
    train: set(trainCount),
    test: set(testCount),
  };
}

/**
 * Measures one spec on one backend. Options: reps, targetSeconds (per
 * repetition of dlc, sets the steps per epoch), minSteps, maxSteps, torch
 * ({threads} or null to skip), log.
 */
export async function measureThroughput(specPath, backend, opts) {
  const { reps, targetSeconds, minSteps, maxSteps, log } = opts;
  const compiled = compileFile(specPath);
  if (!compiled.ir) throw new Error(`${specPath} does not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  const ir = benchIr(compiled.ir);
  const batch = ir.spec.data.batch_size;
  // One XNNPACK thread: with data-parallel replicas each process computes on one core (see the
  // module comment); the hand-written loop and dlc's 1-replica run get the same backend.
  const info = await initBackend(backend, { threads: 1 });
  const plan = planReplicas(ir, info.name, undefined);

  // Probe with the hand-written loop to size an epoch (~targetSeconds of dlc).
  const hand = handwrittenLoop(ir, { batch });
  hand.run(2); // warm-up: allocations, kernel set-up
  const probe = hand.run(2);
  // At least MIN_SAMPLES per epoch: dlc prepares batches in a worker thread only for sets of 512
  // or more (src/runtime/data/batches.ts), and every real data set is far larger than that.
  const steps = Math.max(minSteps, Math.ceil(MIN_SAMPLES / batch), Math.min(maxSteps, Math.round((targetSeconds * probe) / batch)));
  log(`  ${ir.spec.name} on ${info.name}: batch ${batch}, ${steps} steps per repetition, ${reps} repetitions (+1 warm-up epoch)`);

  let torch;
  let torch1;
  let torchNote;
  if (opts.torch) {
    try {
      torch = await startTorch(compiled.ir, { batch, threads: opts.torch.threads, tmpDir: opts.tmpDir });
      if (opts.torch.oneThread && opts.torch.threads !== 1) torch1 = await startTorch(compiled.ir, { batch, threads: 1, tmpDir: opts.tmpDir });
    } catch (e) {
      torchNote = `PyTorch failed: ${e.message}`;
      log(`  ${torchNote}`);
    }
  } else {
    torchNote = opts.torchSkipReason;
  }

  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'dlc-bench-runs-'));
  const dlcRuns = [];
  const dlc1Runs = [];
  const handRuns = [];
  const torchRuns = [];
  const torch1Runs = [];
  const torchAloneRuns = [];
  const torchDefaultRuns = [];
  let loadBeforeAlone = null;
  const loadAtStart = os.loadavg()[0];
  const dataset = randomDataset(ir.inputShape, ir.numClasses, steps * batch, batch);
  const runOptions = { backend, dataset, runsDir, epochs: 1 + reps, stdout: sink, stderr: sink, progress: 'none' };
  // With replicas, dlc on one replica runs too, epoch by epoch between the others: the overhead is measured on it.
  const single = plan.count > 1 ? steppedTrain(ir, { ...runOptions, replicas: 1 }) : undefined;
  try {
    await train(ir, {
      ...runOptions,
      replicas: plan.count,
      onEpoch: async (record) => {
        if (record.epoch === 1) {
          hand.run(1);
          await single?.nextEpoch();
          return; // warm-up epoch
        }
        dlcRuns.push(record.samples_per_second);
        dlc1Runs.push(single ? (await single.nextEpoch()).samples_per_second : record.samples_per_second);
        handRuns.push(hand.run(steps));
        if (torch) torchRuns.push((await torch.run(steps)).samples_per_s);
        if (torch1) torch1Runs.push((await torch1.run(steps)).samples_per_s);
        const i = dlcRuns.length - 1;
        log(`    rep ${i + 1}: dlc ${dlcRuns[i].toFixed(1)}${single ? `  dlc 1 replica ${dlc1Runs[i].toFixed(1)}` : ''}  hand-written ${handRuns[i].toFixed(1)}${torch ? `  torch ${torchRuns[i].toFixed(1)}` : ''}${torch1 ? `  torch 1 thread ${torch1Runs[i].toFixed(1)}` : ''} samples/s`);
      },
    });
    await single?.finish();
    // PyTorch alone: the same worker, now that dlc and the hand-written loop are idle. The
    // interleaved figure can be lower than this (PyTorch's threads wake up after dlc's epoch).
    if (torch) {
      loadBeforeAlone = os.loadavg()[0];
      for (let i = 0; i < reps; i++) torchAloneRuns.push((await torch.run(steps)).samples_per_s);
      log(`    PyTorch alone: ${torchAloneRuns.map((x) => x.toFixed(1)).join(', ')} samples/s (load ${loadBeforeAlone.toFixed(2)})`);
      // The same alone, with glibc's default allocator settings, as a plain PyTorch script runs: its
      // step can pay thousands of page faults (bench/README.md §6). The reference of the issues' first figures.
      const plain = await startTorch(compiled.ir, { batch, threads: opts.torch.threads, tmpDir: opts.tmpDir, mallocTuning: false });
      try {
        for (let i = 0; i < reps; i++) torchDefaultRuns.push((await plain.run(steps)).samples_per_s);
      } finally {
        plain.close();
      }
      log(`    PyTorch alone, glibc malloc defaults: ${torchDefaultRuns.map((x) => x.toFixed(1)).join(', ')} samples/s`);
    }
  } finally {
    await single?.abandon();
    hand.dispose();
    torch?.close();
    torch1?.close();
    rmSync(runsDir, { recursive: true, force: true });
  }
  // Time-per-sample ratios, paired per repetition.
  const overheads = dlc1Runs.map((d, i) => handRuns[i] / d - 1);
  const torchRatios = torch ? dlcRuns.map((d, i) => torchRuns[i] / d) : [];
  const torch1Ratios = torch1 ? dlcRuns.map((d, i) => torch1Runs[i] / d) : [];
  const loadAtEnd = os.loadavg()[0];
  return {
    spec: ir.spec.name,
    backend: info.name,
    backend_reason: info.reason,
    batch_size: batch,
    steps_per_rep: steps,
    reps,
    replicas: plan.count,
    replicas_reason: plan.reason,
    dlc_samples_per_s: dlcRuns,
    dlc_1_replica_samples_per_s: dlc1Runs,
    handwritten_samples_per_s: handRuns,
    torch_samples_per_s: torch ? torchRuns : null,
    torch_threads: torch ? torch.info.threads : null,
    torch_1_thread_samples_per_s: torch1 ? torch1Runs : null,
    torch_note: torchNote ?? null,
    torch_alone_samples_per_s: torch ? torchAloneRuns : null,
    torch_alone_glibc_default_samples_per_s: torch ? torchDefaultRuns : null,
    // 1-minute load averages: at the spec's start, before PyTorch alone, at its end.
    loadavg_1m: { start: +loadAtStart.toFixed(2), torch_alone: loadBeforeAlone === null ? null : +loadBeforeAlone.toFixed(2), end: +loadAtEnd.toFixed(2) },
    median: {
      dlc: median(dlcRuns),
      dlc_1_replica: median(dlc1Runs),
      handwritten: median(handRuns),
      torch: torch ? median(torchRuns) : null,
      dlc_overhead: median(overheads),
      x_torch_time_per_sample: torch ? median(torchRatios) : null,
      torch_1_thread: torch1 ? median(torch1Runs) : null,
      x_torch_1_thread_time_per_sample: torch1 ? median(torch1Ratios) : null,
      torch_alone: torch ? median(torchAloneRuns) : null,
      // dlc's median time per sample over PyTorch alone's median (not paired: they ran at different times).
      x_torch_alone_time_per_sample: torch ? median(torchAloneRuns) / median(dlcRuns) : null,
      torch_alone_glibc_default: torch ? median(torchDefaultRuns) : null,
      x_torch_alone_glibc_default_time_per_sample: torch ? median(torchDefaultRuns) / median(dlcRuns) : null,
    },
  };
}

/**
 * A second train() run that advances one epoch per nextEpoch() call and
 * waits in between (inside its onEpoch), so two dlc configurations can be
 * interleaved epoch by epoch in one process.
 */
function steppedTrain(ir, options) {
  let resume;
  let deliver;
  let done;
  const start = () =>
    train(ir, {
      ...options,
      onEpoch: (record) =>
        new Promise((r) => {
          resume = r;
          deliver(record);
        }),
    });
  return {
    nextEpoch() {
      return new Promise((resolve, reject) => {
        deliver = resolve;
        if (!done) {
          done = start();
          done.catch(reject);
        } else {
          const r = resume;
          resume = undefined;
          r();
        }
      });
    },
    /** Lets the run finish its last epoch's bookkeeping and the test pass. */
    async finish() {
      const r = resume;
      resume = undefined;
      r?.();
      await done;
    },
    /** On error: release a paused run so the process can end. */
    async abandon() {
      const r = resume;
      resume = undefined;
      r?.();
      await done?.catch(() => undefined);
    },
  };
}
