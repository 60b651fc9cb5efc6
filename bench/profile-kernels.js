/**
 * Where a training step's time goes, per tfjs kernel: one step (after a
 * warm-up step) of a spec's model in a plain variableGrads + SGD loop on
 * random data, under `tf.profile`.
 *
 *   npm run build && node bench/profile-kernels.js specs/cifar-convnet.yaml [--backend wasm] [--top 15]
 *
 * Times are wall-clock per kernel call as the backend reports them. Kernels
 * that dlc composes from other kernels (src/runtime/backend/wasm-kernels)
 * are listed with their own total *and* the inner kernels appear under their
 * own names, so the percentages add up to more than 100%. Op wrappers
 * (`…__op`) are left out for the same reason.
 */
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { compileFile } from '../dist/compiler/compile.js';
import { initBackend } from '../dist/runtime/backend/select.js';
import { buildModel } from '../dist/runtime/model/build-model.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { backend: { type: 'string', default: 'wasm' }, top: { type: 'string', default: '15' } } });
const spec = positionals[0] ?? 'specs/cifar-convnet.yaml';
const { ir, diagnostics } = compileFile(spec);
if (!ir) throw new Error(diagnostics.map((d) => d.message).join('; '));
const backend = await initBackend(values.backend);
const batch = ir.spec.data.batch_size;
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
const t0 = performance.now();
const info = await tf.profile(step);
const wall = performance.now() - t0;
const by = new Map();
for (const k of info.kernels) {
  if (k.name.endsWith('__op')) continue;
  const t = await k.kernelTimeMs;
  const ms = typeof t === 'number' ? t : 0;
  const e = by.get(k.name) ?? { ms: 0, calls: 0 };
  by.set(k.name, { ms: e.ms + ms, calls: e.calls + 1 });
}
process.stdout.write(`${ir.spec.name} on ${backend.name}: batch ${batch}, one step ${wall.toFixed(0)} ms wall (profiled)\n`);
for (const [name, e] of [...by].sort((a, b) => b[1].ms - a[1].ms).slice(0, +values.top)) {
  process.stdout.write(`  ${name.padEnd(24)} ${e.ms.toFixed(0).padStart(7)} ms ${((100 * e.ms) / wall).toFixed(1).padStart(5)}%  ${String(e.calls).padStart(4)} calls\n`);
}
