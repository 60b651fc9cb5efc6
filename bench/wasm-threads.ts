/**
 * Threaded vs single-threaded wasm: samples/s (wall and per CPU-second) of a
 * training step of the five-block CIFAR ConvNet (batch 64, SGD momentum,
 * seeded data and weights), and whether the weights after the steps are bit
 * for bit the same. A process can create the wasm module only once (and
 * tfjs's wasm kernels bind to that module), so each variant runs in a child
 * process; children alternate (1, N, 1, N, …) so both see the same load.
 *
 *   npx tsc -p bench/tsconfig.wasm-threads.json && node dist/bench-wasm-threads/bench/wasm-threads.js [rounds] [steps] [threads]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/runtime/backend/select.js';
import { mulberry32 } from '../src/runtime/data/random.js';

const BATCH = 64;

/** Deterministic values in [-1, 1) (mulberry32). */
function seeded(size: number, seed: number): Float32Array {
  // The data layer's mulberry32, stretched to [-1, 1) (×2 is exact, so the values are unchanged).
  const next = mulberry32(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = next() * 2 - 1;
  return out;
}

function buildConvNet(): tf.LayersModel {
  const layers: tf.layers.Layer[] = [];
  [16, 32, 64, 128, 256].forEach((filters, i) => {
    layers.push(
      tf.layers.conv2d({ ...(i === 0 ? { inputShape: [32, 32, 3] } : {}), filters, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
    );
  });
  layers.push(tf.layers.flatten(), tf.layers.dense({ units: 10 }));
  const model = tf.sequential({ layers });
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(seeded(w.size, 100 + i).map((v) => v * 0.1), w.shape)));
  return model;
}

/**
 * CPU ms of the main thread alone (Linux schedstat; NaN elsewhere). With
 * threads, the main thread is the step's critical path: on an idle machine
 * the step's wall time is about this, whatever the load does to wall here.
 */
function mainThreadMs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

function cpuMs(): number {
  const u = process.cpuUsage(); // all threads of the process, pthread workers included
  return (u.user + u.system) / 1000;
}

interface ChildResult {
  threads: number;
  reason: string;
  wallMs: number[];
  cpuMs: number[];
  mainMs: number[];
  weights: string;
}

async function child(threads: number, steps: number): Promise<ChildResult> {
  const info = await initBackend('wasm', { threads });
  const model = buildConvNet();
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const velocity = vars.map((v) => tf.variable(tf.zerosLike(v)));
  const x = tf.tensor4d(seeded(BATCH * 32 * 32 * 3, 1), [BATCH, 32, 32, 3]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: BATCH }, (_, i) => (i * 7) % 10), 'int32'), 10);
  const step = (): void => {
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar, vars);
    tf.tidy(() =>
      vars.forEach((v, i) => {
        velocity[i].assign(tf.add(tf.mul(velocity[i], 0.9), grads[v.name]));
        v.assign(tf.sub(v, tf.mul(velocity[i], 0.01)));
      }),
    );
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };
  step(); // warm-up: XNNPACK operator creation
  const wallMs: number[] = [];
  const cpu: number[] = [];
  const main: number[] = [];
  for (let s = 0; s < steps; s++) {
    const t0 = performance.now();
    const c0 = cpuMs();
    const m0 = mainThreadMs();
    step();
    wallMs.push(performance.now() - t0);
    cpu.push(cpuMs() - c0);
    main.push(mainThreadMs() - m0);
  }
  const hash = createHash('sha256');
  for (const v of vars) hash.update(new Uint8Array((v.dataSync() as Float32Array).buffer));
  return { threads: info.threads ?? 1, reason: info.reason, wallMs, cpuMs: cpu, mainMs: main, weights: hash.digest('hex').slice(0, 16) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function parent(rounds: number, steps: number, threads: number): void {
  const self = fileURLToPath(import.meta.url);
  const variants = [1, threads];
  const results: ChildResult[][] = variants.map(() => []);
  for (let r = 0; r < rounds; r++) {
    variants.forEach((t, i) => {
      const out = execFileSync(process.execPath, [self, '--child', String(t), String(steps)], { encoding: 'utf8' });
      results[i].push(JSON.parse(out) as ChildResult);
      process.stderr.write(`round ${r + 1}/${rounds}, threads ${t}: ${results[i].at(-1)!.weights}\n`);
    });
  }
  console.log(`five-block CIFAR ConvNet, batch ${BATCH}, SGD momentum; ${rounds} alternating child processes × ${steps} steps each; medians over all steps`);
  console.log('threads  samples/s (wall)  samples/s (per CPU-second)  ms/step wall  ms/step CPU (all threads)  ms/step CPU (main thread)  weights after the steps (sha256)  backend');
  results.forEach((rs) => {
    const wall = rs.flatMap((r) => r.wallMs);
    const cpu = rs.flatMap((r) => r.cpuMs);
    const main = rs.flatMap((r) => r.mainMs);
    const hashes = [...new Set(rs.map((r) => r.weights))].join(',');
    console.log(
      `${String(rs[0].threads).padStart(7)}  ${(BATCH / (median(wall) / 1000)).toFixed(1).padStart(16)}  ${(BATCH / (median(cpu) / 1000)).toFixed(1).padStart(26)}  ${median(wall).toFixed(0).padStart(12)}  ${median(cpu).toFixed(0).padStart(25)}  ${median(main).toFixed(0).padStart(25)}  ${hashes.padEnd(33)}  ${rs[0].reason}`,
    );
  });
  const all = new Set(results.flat().map((r) => r.weights));
  console.log(all.size === 1 ? 'weights: bit-identical across all runs and thread counts' : `weights DIFFER: ${[...all].join(' ')}`);
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  const res = await child(Number(args[1]), Number(args[2]));
  process.stdout.write(JSON.stringify(res));
  process.exit(0); // don't wait for the pthread pool
} else {
  parent(Number(args[0] ?? 5), Number(args[1] ?? 5), Number(args[2] ?? 2));
}
