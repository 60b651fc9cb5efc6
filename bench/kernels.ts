/**
 * Micro-benchmark of dlc's wasm training kernels: samples/s of one training
 * step of the five-block CIFAR ConvNet (conv 3×3 same + ReLU + max-pool 2,
 * filters 16→256, dense 10; batch 64; SGD with momentum; random data) on
 * the wasm backend, with the backend's original Conv2DBackpropInput and
 * MaxPoolGrad versus dlc's. (Both need dlc's Conv2DBackpropFilter: stock
 * wasm cannot train a conv net at all.) Variants run interleaved in the same
 * process; the figure is the median over rounds.
 *
 *   npx tsc -p bench/tsconfig.kernels.json && node dist/bench-kernels/bench/kernels.js [rounds] [steps-per-round]
 *
 * `… kernels.js filter-grad [rounds] [threads]` instead compares the forms of
 * Conv2DBackpropFilter (XNNPACK conv, swapped conv, im2col matmul, dlc's SIMD
 * GEMM with each register block) at every conv layer shape of cifar-convnet,
 * mnist-convnet and resnet20-cifar at one replica's batch: GMAC/s per form,
 * interleaved round by round in one process (ratios survive a loaded machine),
 * median over rounds, which form chooseFilterGradForm picks, and the forward
 * conv's GMAC/s (XNNPACK) at the same shape for scale.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/runtime/backend/select.js';
import { setWasmSpeedKernels } from '../src/runtime/backend/wasm-training/kernels/register.js';
import {
  chooseFilterGradForm,
  type FilterGradForm,
  setFilterGradForm,
} from '../src/runtime/backend/wasm-training/kernels/conv2d-backprop-filter.js';
import { GEMM_BLOCKS, type GemmBlock, setGemmBlock } from '../src/runtime/backend/wasm-training/simd/filter-grad-gemm.js';
import { setSimdConv } from '../src/runtime/backend/wasm-training/kernels/conv2d-forward.js';

const BATCH = 64;

function buildConvNet(): tf.LayersModel {
  const layers: tf.layers.Layer[] = [];
  [16, 32, 64, 128, 256].forEach((filters, i) => {
    layers.push(
      tf.layers.conv2d({
        ...(i === 0 ? { inputShape: [32, 32, 3] } : {}),
        filters,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
    );
  });
  layers.push(tf.layers.flatten(), tf.layers.dense({ units: 10 }));
  return tf.sequential({ layers });
}

/** A training step: forward, backward, SGD momentum update (0.01, 0.9). */
function makeStep(model: tf.LayersModel): (x: tf.Tensor, y: tf.Tensor) => void {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const velocity = vars.map((v) => tf.variable(tf.zerosLike(v)));
  return (x, y) => {
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar,
      vars,
    );
    tf.tidy(() => {
      vars.forEach((v, i) => {
        velocity[i].assign(tf.add(tf.mul(velocity[i], 0.9), grads[v.name]));
        v.assign(tf.sub(v, tf.mul(velocity[i], 0.01)));
      });
    });
    value.dataSync(); // wait for the step, as a train loop reading the loss would
    tf.dispose([value, ...Object.values(grads)]);
  };
}

/** CPU milliseconds (user + system) of this process: robust when other jobs share the cores. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** A conv layer: spec, batch per replica, input H=W, Ci, Co, kernel, stride. */
type Layer = [string, number, number, number, number, number, number];
const FILTER_GRAD_LAYERS: Layer[] = [
  ['cifar-convnet', 32, 32, 3, 16, 3, 1],
  ['cifar-convnet', 32, 16, 16, 32, 3, 1],
  ['cifar-convnet', 32, 8, 32, 64, 3, 1],
  ['cifar-convnet', 32, 4, 64, 128, 3, 1],
  ['cifar-convnet', 32, 2, 128, 256, 3, 1],
  ['mnist-convnet', 64, 28, 1, 32, 3, 1],
  ['mnist-convnet', 64, 14, 32, 64, 3, 1],
  ['resnet20-cifar', 64, 32, 3, 16, 3, 1],
  ['resnet20-cifar', 64, 32, 16, 16, 3, 1],
  ['resnet20-cifar', 64, 32, 16, 32, 3, 2],
  ['resnet20-cifar', 64, 32, 16, 32, 1, 2],
  ['resnet20-cifar', 64, 16, 32, 32, 3, 1],
  ['resnet20-cifar', 64, 16, 32, 64, 3, 2],
  ['resnet20-cifar', 64, 16, 32, 64, 1, 2],
  ['resnet20-cifar', 64, 8, 64, 64, 3, 1],
];

async function filterGradForms(rounds: number, threads: number): Promise<void> {
  const info = await initBackend('wasm', { threads });
  process.stderr.write(`backend: ${info.reason}\n`);
  type Variant = [string, FilterGradForm, GemmBlock | undefined];
  const variants: Variant[] = [
    ['conv', 'conv', undefined],
    ['swapped', 'swapped', undefined],
    ['im2col', 'im2col', undefined],
    ...GEMM_BLOCKS.map((b): Variant => [`simd ${b[0]}x${b[1]}`, 'simd', b]),
  ];
  console.log(`Conv2DBackpropFilter GMAC/s per CPU-second, wasm ${info.threads ?? '?'} thread(s), median of ${rounds} interleaved rounds; 'same' padding`);
  console.log(`${'layer'.padEnd(34)}${variants.map((v) => v[0].padStart(11)).join('')}  chosen  ${'fwd xnnpack'.padStart(11)} ${'fwd simd'.padStart(9)}`);
  const eng = tf.engine();
  for (const [spec, n, hw, ci, co, k, s] of FILTER_GRAD_LAYERS) {
    const ho = Math.ceil(hw / s);
    const x = tf.randomUniform([n, hw, hw, ci], -1, 1, 'float32', 3) as tf.Tensor4D;
    const dy = tf.randomUniform([n, ho, ho, co], -1, 1, 'float32', 5) as tf.Tensor4D;
    const macs = n * ho * ho * k * k * ci * co;
    const call = () =>
      eng.runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [s, s], pad: 'same', dataFormat: 'NHWC', filterShape: [k, k, ci, co] } as unknown as tf.NamedAttrMap) as tf.Tensor;
    const reps = Math.max(1, Math.round(6e7 / macs));
    const wt = tf.randomUniform([k, k, ci, co], -1, 1, 'float32', 4) as tf.Tensor4D;
    const fwd: number[] = [];
    const fwdSimd: number[] = [];
    const runFwd = (simd: boolean) => {
      setSimdConv(simd ? 'force' : false);
      const c0 = cpuMs();
      for (let r = 0; r < reps; r++) {
        tf.conv2d(x, wt, s, 'same').dispose();
      }
      return (macs * reps) / ((cpuMs() - c0) * 1e6);
    };
    const rates = variants.map(() => [] as number[]);
    const run = (v: Variant): number => {
      setFilterGradForm(v[1]);
      setGemmBlock(v[2]);
      const c0 = cpuMs(); // CPU time: robust to other jobs on a shared machine (single-threaded build)
      for (let r = 0; r < reps; r++) {
        call().dispose(); // wasm kernels run synchronously; reading the result back (dataSync) costs ~6 ms per MB
      }
      return (macs * reps) / ((cpuMs() - c0) * 1e6);
    };
    const applies = (v: Variant) => v[1] !== 'swapped' || s === 1; // the swapped form needs stride 1
    variants.forEach((v) => applies(v) && run(v)); // warm-up
    runFwd(false);
    runFwd(true);
    for (let r = 0; r < rounds; r++) {
      setSimdConv(false); // the XNNPACK forms of the filter gradient run on XNNPACK convs
      variants.forEach((v, i) => applies(v) && rates[i].push(run(v)));
      fwd.push(runFwd(false));
      fwdSimd.push(runFwd(true));
    }
    setFilterGradForm(undefined);
    setGemmBlock(undefined);
    setSimdConv(true);
    const g = { filterHeight: k, filterWidth: k, strideHeight: s, strideWidth: s, dilationHeight: 1, dilationWidth: 1, padTop: 0, padLeft: 0 };
    const label = `${spec} ${n}×${hw}² ${ci}→${co} ${k}×${k}/${s}`;
    console.log(`${label.padEnd(34)}${rates.map((r) => (r.length ? median(r).toFixed(2) : '–').padStart(11)).join('')}  ${chooseFilterGradForm(x.shape, dy.shape, g).padEnd(6)}  ${median(fwd).toFixed(2).padStart(11)} ${median(fwdSimd).toFixed(2).padStart(9)}`);
    tf.dispose([x, dy, wt]);
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'filter-grad') return filterGradForms(Number(process.argv[3] ?? 5), Number(process.argv[4] ?? 1));
  const rounds = Number(process.argv[2] ?? 5);
  const steps = Number(process.argv[3] ?? 3);
  const info = await initBackend('wasm');
  process.stderr.write(`backend: ${info.reason}\n`);
  const model = buildConvNet();
  const step = makeStep(model);
  const x = tf.randomUniform([BATCH, 32, 32, 3], 0, 1, 'float32', 1);
  const y = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 2) as tf.Tensor1D, 10);

  const variants: Array<[string, boolean]> = [
    ['wasm + dlc Conv2DBackpropFilter only (upstream Conv2DBackpropInput, MaxPoolGrad, Sum, Identity)', false],
    ['wasm + all dlc kernels', true],
  ];
  const rates = variants.map(() => [] as number[]);
  const cpuRates = variants.map(() => [] as number[]);
  for (const [, fast] of variants) {
    setWasmSpeedKernels(fast);
    step(x, y); // warm-up: XNNPACK operator creation, first-use allocations
  }
  for (let r = 0; r < rounds; r++) {
    variants.forEach(([, fast], i) => {
      setWasmSpeedKernels(fast);
      const t0 = performance.now();
      const c0 = cpuMs();
      for (let s = 0; s < steps; s++) step(x, y);
      rates[i].push((steps * BATCH) / ((performance.now() - t0) / 1000));
      cpuRates[i].push((steps * BATCH) / ((cpuMs() - c0) / 1000));
    });
  }
  console.log(`five-block CIFAR ConvNet, batch ${BATCH}, SGD momentum; median of ${rounds} rounds × ${steps} steps`);
  console.log('samples/s (wall)  samples/s (per CPU-second)  variant');
  variants.forEach(([name], i) =>
    console.log(`${median(rates[i]).toFixed(1).padStart(16)}  ${median(cpuRates[i]).toFixed(1).padStart(25)}  ${name}`),
  );
  kernelTable(Math.max(3, steps));
}

/**
 * CPU ms per call of each training kernel at the ConvNet's five layer
 * shapes (batch 64), original vs dlc where dlc replaced one.
 */
function kernelTable(reps: number): void {
  const shapes: Array<[number, number, number]> = [[32, 3, 16], [16, 16, 32], [8, 32, 64], [4, 64, 128], [2, 128, 256]];
  const time = (fn: () => tf.Tensor): number => {
    tf.dispose(fn()); // warm-up (XNNPACK operator creation)
    const c0 = cpuMs();
    for (let r = 0; r < reps; r++) {
      const t = fn();
      t.dataSync();
      t.dispose();
    }
    return (cpuMs() - c0) / reps;
  };
  const rows: Array<[string, number[]]> = [
    ['Conv2D (forward)', []],
    ['Conv2DBackpropFilter (dlc)', []],
    ['Conv2DBackpropInput (original)', []],
    ['Conv2DBackpropInput (dlc)', []],
    ['MaxPoolGrad (original)', []],
    ['MaxPoolGrad (dlc)', []],
  ];
  for (const [hw, ci, co] of shapes) {
    const x = tf.randomUniform([BATCH, hw, hw, ci], -1, 1, 'float32', 3) as tf.Tensor4D;
    const w = tf.randomUniform([3, 3, ci, co], -1, 1, 'float32', 4) as tf.Tensor4D;
    const dy = tf.randomUniform([BATCH, hw, hw, co], -1, 1, 'float32', 5) as tf.Tensor4D;
    const y = tf.maxPool(dy, 2, 2, 'valid');
    const dyPool = tf.randomUniform(y.shape, -1, 1, 'float32', 6);
    const eng = tf.engine();
    const filterGrad = () =>
      eng.runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, ci, co] } as unknown as tf.NamedAttrMap) as tf.Tensor;
    const inputGrad = () => tf.conv2dTranspose(dy, w, [BATCH, hw, hw, ci], 1, 'same');
    const poolGrad = () =>
      eng.runKernel('MaxPoolGrad', { dy: dyPool, input: dy, output: y }, { filterSize: 2, strides: 2, pad: 'valid' } as unknown as tf.NamedAttrMap) as tf.Tensor;
    const timings = [
      time(() => tf.conv2d(x, w, 1, 'same')),
      time(filterGrad),
      (setWasmSpeedKernels(false), time(inputGrad)),
      (setWasmSpeedKernels(true), time(inputGrad)),
      (setWasmSpeedKernels(false), time(poolGrad)),
      (setWasmSpeedKernels(true), time(poolGrad)),
    ];
    timings.forEach((t, i) => rows[i][1].push(t));
    tf.dispose([x, w, dy, y, dyPool]);
  }
  console.log(`\nCPU ms per call, batch ${BATCH}, 3×3 same conv; layer (H=W, Ci→Co):`);
  console.log(`${'kernel'.padEnd(32)}${shapes.map(([hw, ci, co]) => `${hw}² ${ci}→${co}`.padStart(14)).join('')}${'sum'.padStart(9)}`);
  for (const [name, ts] of rows) {
    console.log(`${name.padEnd(32)}${ts.map((t) => t.toFixed(1).padStart(14)).join('')}${ts.reduce((a, b) => a + b, 0).toFixed(1).padStart(9)}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
