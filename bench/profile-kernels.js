/**
 * Where a training step's time goes, per tfjs kernel: one step (after a
 * warm-up step) of a spec's model in a plain variableGrads + SGD loop on
 * random data, under `tf.profile`.
 *
 *   npm run build && node bench/profile-kernels.js specs/cifar-convnet.yaml [--backend wasm] [--top 15]
 *     [--batch N] [--threads N] [--steps N]   (e.g. --batch 32 --threads 1: one of two replicas)
 *     [--ab-simd]   instead: step time with dlc's SIMD convolutions (filter gradient, forward conv)
 *                   and transpose-first BatchMatMul vs XNNPACK's forms and upstream's BatchMatMul,
 *                   alternating step by step (median CPU and wall ms of --steps steps each)
 *
 * Times are wall-clock per kernel call as the backend reports them. Kernels
 * that dlc composes from other kernels (src/runtime/backend/wasm-training/kernels)
 * are listed with their own total *and* the inner kernels appear under their
 * own names, so the percentages add up to more than 100%. Op wrappers
 * (`…__op`) are left out for the same reason.
 */
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { compileFile } from '../dist/compiler/compile.js';
import { initBackend } from '../dist/runtime/backend/select.js';
import { buildModel } from '../dist/runtime/model/build-model.js';
import { setSimdFilterGrad } from '../dist/runtime/backend/wasm-training/kernels/conv2d-backprop-filter.js';
import { setSimdConv } from '../dist/runtime/backend/wasm-training/kernels/conv2d-forward.js';
import { setTransposeFirstMatMul } from '../dist/runtime/backend/wasm-training/kernels/batch-mat-mul.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { backend: { type: 'string', default: 'wasm' }, top: { type: 'string', default: '15' }, batch: { type: 'string' }, threads: { type: 'string' }, steps: { type: 'string', default: '5' }, 'ab-simd': { type: 'boolean', default: false } } });
const spec = positionals[0] ?? 'specs/cifar-convnet.yaml';
const { ir, diagnostics } = compileFile(spec);
if (!ir) throw new Error(diagnostics.map((d) => d.message).join('; '));
const backend = await initBackend(values.backend, values.threads ? { threads: +values.threads } : {});
const batch = values.batch ? +values.batch : ir.spec.data.batch_size;
const steps = Math.max(1, +values.steps);
const model = buildModel(ir, {});
const vars = model.trainableWeights.map((w) => w.read());
const xs = tf.randomUniform([batch, ...ir.inputShape]);
const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, ir.numClasses, 'int32'), ir.numClasses).toFloat());

function step() {
  const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true })), vars);
  tf.tidy(() => vars.forEach((v) => grads[v.name] && v.assign(tf.sub(v, tf.mul(grads[v.name], 0.001)))));
  value.dataSync();
  value.dispose();
  tf.dispose(Object.values(grads));
}

step(); // warm-up
if (values['ab-simd']) {
  const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const runs = { simd: { cpu: [], wall: [] }, xnnpack: { cpu: [], wall: [] } };
  const useSimd = (on) => {
    setSimdFilterGrad(on);
    setSimdConv(on);
    setTransposeFirstMatMul(on);
  };
  useSimd(false);
  step(); // warm-up of the XNNPACK forms' operators
  for (let i = 0; i < steps; i++) {
    for (const form of ['simd', 'xnnpack']) {
      useSimd(form === 'simd');
      const t = performance.now();
      const c = cpuMs();
      step();
      runs[form].cpu.push(cpuMs() - c);
      runs[form].wall.push(performance.now() - t);
    }
  }
  process.stdout.write(`${ir.spec.name} on ${backend.name} (${backend.threads ?? '?'} thread(s)), batch ${batch}, ${steps} alternating steps each (median):\n`);
  for (const [form, r] of Object.entries(runs)) process.stdout.write(`  ${form === 'simd' ? 'dlc SIMD convs + transpose-first matmul' : 'XNNPACK convs + upstream matmul       '}  ${med(r.cpu).toFixed(0).padStart(6)} ms CPU ${med(r.wall).toFixed(0).padStart(6)} ms wall\n`);
  process.exit(0);
}
// Unprofiled steps first: the profiler's own bookkeeping inflates wall time.
const plain = [];
for (let i = 0; i < steps; i++) {
  const t = performance.now();
  step();
  plain.push(performance.now() - t);
}
plain.sort((a, b) => a - b);
let wall = 0;
const by = new Map();
for (let i = 0; i < steps; i++) {
  const t0 = performance.now();
  const info = await tf.profile(step);
  wall += (performance.now() - t0) / steps;
  for (const k of info.kernels) {
    if (k.name.endsWith('__op')) continue;
    const t = await k.kernelTimeMs;
    const ms = typeof t === 'number' ? t / steps : 0;
    const e = by.get(k.name) ?? { ms: 0, calls: 0 };
    by.set(k.name, { ms: e.ms + ms, calls: e.calls + 1 / steps });
  }
}
process.stdout.write(`${ir.spec.name} on ${backend.name} (${backend.threads ?? '?'} thread(s)): batch ${batch}, median step ${plain[plain.length >> 1].toFixed(0)} ms unprofiled, ${wall.toFixed(0)} ms profiled (mean of ${steps}; kernel times per step)\n`);
for (const [name, e] of [...by].sort((a, b) => b[1].ms - a[1].ms).slice(0, +values.top)) {
  process.stdout.write(`  ${name.padEnd(24)} ${e.ms.toFixed(0).padStart(7)} ms ${((100 * e.ms) / wall).toFixed(1).padStart(5)}%  ${String(Math.round(e.calls)).padStart(4)} calls\n`);
}
