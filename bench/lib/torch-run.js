/**
 * `dlc run --backend torch` against a hand-written PyTorch loop, interleaved.
 *
 *  - dlc: runTorch (what `dlc run --backend torch` calls: the spec emitted into a cached project,
 *    `train.py --progress json` in a child Python, every event parsed by this Node process) for
 *    2 epochs; the second epoch's `samples_per_second` (training steps only, as dlc reports it) is one
 *    repetition. The spec as written (schedule, train transforms, loss, clipping), except its data:
 *    synthetic images of the spec's input shape and classes (`samples` of them, no validation split,
 *    no disk I/O), no early stopping, and SGD with momentum 0.9 without weight decay for its optimizer
 *    (the hand-written loop's update, as in the tfjs throughput section).
 *  - hand-written, same work (the reference of the target): bench/torch/emitted_overhead.py --hand-only
 *    --synthetic --augment on the same emitted model — each pass shuffles the same synthetic images, gathers
 *    each batch of uint8 pixels, scales it and applies the spec's train transforms with torch ops
 *    (bench/torch/hand_augment.py), CrossEntropyLoss, SGD momentum 0.9 at the spec's learning rate, the same batch size, thread count and
 *    allocator settings (dlc_runtime's tune_malloc), one warm-up pass of the same steps, then the measured pass.
 *  - hand-written, model only (a bound): the same without --augment — one batch made once (the first batch
 *    of the same data, eval transforms) for every step: no data work at all, which no loop that reads and
 *    augments data reaches; dlc / it shows what the data work costs.
 *
 * Each repetition starts its own Pythons (torch's import is not timed: every figure is training
 * steps only); the order alternates (dlc, same work, model only; model only, same work, dlc; …) so a
 * drifting load weighs on all. ratio = dlc / hand-written samples/s per repetition; the results are the
 * medians of those ratios (target ≥ 0.95 against the same-work loop), with their spread and the
 * 1-minute load average around each repetition.
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFile } from '../../dist/compiler/compile.js';
import { emitCached, runTorch } from '../../dist/codegen/pytorch/run.js';
import { median } from './stats.js';
import { PYTHON } from './torch.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const HAND = path.join(here, '..', 'torch', 'emitted_overhead.py');

/** The spec of `specPath` on synthetic data of its input shape (see the module comment). */
export function benchTorchIR(specPath, samples) {
  const r = compileFile(specPath);
  if (!r.ir) throw new Error(`${specPath} does not compile: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  const ir = r.ir;
  if (ir.inputShape.length !== 3) throw new Error(`${specPath}: not an image model (input [${ir.inputShape.join(', ')}])`);
  const { path: _path, ...data } = ir.spec.data;
  return {
    ...ir,
    spec: {
      ...ir.spec,
      data: { ...data, dataset: 'synthetic', validation_split: 0, synthetic: { train_samples: samples, test_samples: ir.numClasses, shape: [...ir.inputShape], classes: ir.numClasses } },
      train: { ...ir.spec.train, epochs: 2, early_stopping: null },
      // The update the hand-written loop does (as the tfjs throughput section): the spec's Adam or weight decay
      // would count as dlc overhead otherwise. The schedule (a learning rate set every step) stays.
      optimizer: { kind: 'sgd', learning_rate: ir.spec.optimizer.learning_rate, momentum: 0.9, nesterov: false, weight_decay: 0 },
    },
  };
}

/**
 * Measures `reps` interleaved repetitions of the three; resolves to
 * {spec, batch_size, samples, threads, dlc: [...], hand: [...], hand_model_only: [...], ratios: [...],
 * ratios_model_only: [...], load_1m: [[before, after], ...], median: {dlc, hand, hand_model_only, ratio, ratio_model_only},
 * spread: {same keys: {min, max}}} — hand / ratio against the same-work loop.
 */
export async function measureTorchRun(specPath, { reps = 3, samples = 640, threads = 2, tmpDir, log = () => {}, python = PYTHON }) {
  // Whole batches, at least one: both sides then run the same steps per epoch.
  const batch = compileFile(specPath).ir?.spec.data.batch_size ?? 1;
  samples = Math.max(1, Math.ceil(samples / batch)) * batch;
  const ir = benchTorchIR(specPath, samples);
  const cacheDir = path.join(tmpDir, 'torch-cache');
  const origin = { specFile: path.basename(specPath) };
  const project = emitCached(ir, origin, cacheDir);
  const env = { OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  const dlc = [];
  const hand = [];
  const handModelOnly = [];
  const load = [];
  const runDlc = async () => {
    let last;
    const done = await runTorch(ir, { origin, cacheDir, python, device: 'cpu', runsDir: path.join(tmpDir, 'torch-runs'), env, onEvent: (e) => e.event === 'epoch' && (last = e.record) });
    if (done.stop_reason === 'non_finite_loss' || !last) throw new Error(`dlc run --backend torch on ${specPath}: ${done.message ?? done.stop_reason}`);
    dlc.push(last.samples_per_second);
  };
  const runHand = (augment, into) => () => {
    const args = [HAND, project, '--hand-only', '--synthetic', ...(augment ? ['--augment'] : []), '--reps', '1', '--samples', String(samples), '--threads', String(threads)];
    const h = spawnSync(python, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 20 });
    if (h.status !== 0) throw new Error(`emitted_overhead.py --hand-only${augment ? ' --augment' : ''} failed: ${(h.stderr || '').trim().split('\n').slice(-3).join(' | ')}`);
    into.push(...JSON.parse(h.stdout.trim().split('\n').pop()).hand_samples_per_s);
  };
  const order = [runDlc, runHand(true, hand), runHand(false, handModelOnly)];
  for (let i = 0; i < reps; i++) {
    const before = os.loadavg()[0];
    for (const run of i % 2 === 0 ? order : [...order].reverse()) await run();
    load.push([before, os.loadavg()[0]]);
    log(`  torch rep ${i + 1}/${reps}: dlc run --backend torch ${dlc[i].toFixed(1)} samples/s, hand-written ${hand[i].toFixed(1)} (ratio ${(dlc[i] / hand[i]).toFixed(3)}), ` +
      `model only ${handModelOnly[i].toFixed(1)} (ratio ${(dlc[i] / handModelOnly[i]).toFixed(3)}), load ${before.toFixed(1)}→${os.loadavg()[0].toFixed(1)}`);
  }
  const ratios = dlc.map((d, i) => d / hand[i]);
  const ratiosModelOnly = dlc.map((d, i) => d / handModelOnly[i]);
  const spread = (xs) => ({ min: Math.min(...xs), max: Math.max(...xs) });
  return {
    spec: ir.spec.name, batch_size: ir.spec.data.batch_size, samples, threads, dlc, hand, hand_model_only: handModelOnly, ratios, ratios_model_only: ratiosModelOnly, load_1m: load,
    median: { dlc: median(dlc), hand: median(hand), hand_model_only: median(handModelOnly), ratio: median(ratios), ratio_model_only: median(ratiosModelOnly) },
    spread: { dlc: spread(dlc), hand: spread(hand), hand_model_only: spread(handModelOnly), ratio: spread(ratios), ratio_model_only: spread(ratiosModelOnly) },
  };
}
