// Per-step wall and CPU time (all threads, process.cpuUsage) and peak RSS of train() — the dlc run path — on synthetic
// images of a spec's input shape, wasm. Used for docs/runtime/parallel.md's replica figures (npm run build first).
//   node bench/step-time.js SPEC REPLICAS STEPS [BATCH]     (DLC_WASM_THREADS=1 for a single-threaded one-replica run;
//   STEP_SET='key=value;…' adds compile overrides, e.g. 'optimizer.sgd.learning_rate=0.001;schedule=constant')
//   STEP_AB=ROUNDS: in this one process, ROUNDS rounds of a run with the fused wasm batch norm and one without
//   (DLC_WASM_FUSED_BN=0 for the replica workers, setWasmFusedBatchNorm on this thread), the order alternating
//   (on/off, off/on, …); one JSON line per run, then the medians of the runs' medians per setting.
import * as os from 'node:os';
import * as path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { compileFile } from '../dist/compiler/compile.js';
import { train } from '../dist/runtime/train/train.js';
import { setWasmFusedBatchNorm } from '../dist/runtime/backend/wasm-training/kernels/batch-norm.js';

const [specPath, replicas = '1', steps = '12', batchArg] = process.argv.slice(2);
const probe = compileFile(specPath);
const bs = batchArg ? +batchArg : probe.ir.spec.data.batch_size;
const set = [
  'data.dataset=synthetic',
  `data.synthetic={train_samples: ${bs * +steps}, test_samples: 16, shape: [${probe.ir.inputShape.join(', ')}], classes: ${probe.ir.numClasses}}`,
  ...(process.env.STEP_SET ? process.env.STEP_SET.split(';') : []), 'data.validation_split=0', 'train.epochs=1', 'train.early_stopping=null', `data.batch_size=${bs}`,
];
const { ir, diagnostics } = compileFile(specPath, { overrides: set });
if (!ir) throw new Error(diagnostics.map((d) => d.message).join('; '));
const sink = { write: () => true, isTTY: false };
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const sum = (a) => a.reduce((x, y) => x + y, 0);

/** One train() run; fused: undefined leaves the process's setting alone. */
async function measure(fused) {
  if (fused !== undefined) {
    setWasmFusedBatchNorm(fused);
    process.env.DLC_WASM_FUSED_BN = fused ? '1' : '0'; // replica workers read it when they start
  }
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'h-step-'));
  const marks = [];
  const losses = [];
  const mark = (s) => { losses.push(s.loss); const c = process.cpuUsage(); marks.push({ t: performance.now(), cpu: (c.user + c.system) / 1000 }); };
  const load0 = os.loadavg()[0];
  try {
    const r = await train(ir, { backend: 'wasm', runsDir, stdout: sink, stderr: sink, progress: 'none', replicas: +replicas, onStep: mark });
    const wall = [], cpu = [];
    for (let i = 2; i < marks.length; i++) { wall.push(marks[i].t - marks[i - 1].t); cpu.push(marks[i].cpu - marks[i - 1].cpu); }
    return { spec: ir.spec.name, replicas: +replicas, batch: bs, ...(fused === undefined ? {} : { fused_bn: fused }), steps_measured: wall.length, wall_ms_median: +med(wall).toFixed(1), cpu_ms_median: +med(cpu).toFixed(1), wall_ms_mean: +(sum(wall) / wall.length).toFixed(1), cpu_ms_mean: +(sum(cpu) / cpu.length).toFixed(1), loss: r.history[0].loss, load: [load0, os.loadavg()[0]].map((x) => +x.toFixed(1)), losses: losses.map((l) => +l.toFixed(6)), maxrss_mb: Math.round(process.resourceUsage().maxRSS / 1024) };
  } finally { rmSync(runsDir, { recursive: true, force: true }); }
}

const rounds = +(process.env.STEP_AB ?? 0);
if (rounds > 0) {
  const by = { on: [], off: [] };
  for (let k = 0; k < rounds; k++) {
    for (const fused of k % 2 === 0 ? [true, false] : [false, true]) {
      const r = await measure(fused);
      console.log(JSON.stringify(r));
      by[fused ? 'on' : 'off'].push(r);
    }
  }
  const pick = (rs, key) => +med(rs.map((r) => r[key])).toFixed(1);
  console.log(JSON.stringify({ summary: 'medians of the runs\' medians', rounds, fused: { wall_ms: pick(by.on, 'wall_ms_median'), cpu_ms: pick(by.on, 'cpu_ms_median') }, unfused: { wall_ms: pick(by.off, 'wall_ms_median'), cpu_ms: pick(by.off, 'cpu_ms_median') } }));
} else {
  console.log(JSON.stringify(await measure(undefined)));
}
