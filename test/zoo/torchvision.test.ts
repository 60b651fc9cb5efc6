/**
 * The model zoo (specs/zoo/, docs/zoo.md) against torchvision: per model, torchvision builds the
 * randomly initialised network (fixed seed, batch norm statistics randomised) and runs a random
 * batch in eval mode; its weights convert (templates/pytorch/dlc_runtime/torch_import.py, run on
 * the spec's emitted PyTorch project) into a tfjs layers-format model.json + weights.bin. The dlc
 * model built from specs/zoo/<name>.yaml (tfjs cpu, inference) with those weights gives
 * torchvision's logits within 1e-4 relative (max |dlc − torch| / max |torch|), every output head
 * included; so does the emitted PyTorch model with them; `dlc inspect`'s trainable count is
 * torchvision's parameter count (batch-norm statistics are dlc's non-trainable count); and dlc's
 * checkpoint loader opens one converted model.json. Inputs are smaller than ImageNet's 224 (--set
 * data.synthetic.shape) to stay fast; the architecture does not depend on it.
 * Skips, saying why, without a Python that imports torch and torchvision.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFile } from '../../src/compiler/compile.js';
import type { IR } from '../../src/compiler/ir.js';
import { summarize } from '../../src/compiler/lower/summary.js';
import { buildModel } from '../../src/runtime/model/build-model.js';
import { loadModelFiles, restoreWeights } from '../../src/runtime/checkpoint/model-files.js';
import { renderPytorch } from '../../src/codegen/pytorch/index.js';
import { DLC_ROOT, PYTHON, RUNTIME_DIR, runPython, writeFiles } from '../codegen/pytorch/python.js';

interface Zoo {
  /** torchvision constructor and specs/zoo/<name>.yaml */
  readonly name: string;
  /** input height = width used here */
  readonly size: number;
}
const ZOO: readonly Zoo[] = [
  { name: 'resnet18', size: 64 },
  { name: 'mobilenet_v2', size: 64 },
  { name: 'densenet121', size: 64 },
  { name: 'mobilenet_v3_small', size: 64 },
  { name: 'efficientnet_b0', size: 64 },
  // 96: the auxiliary heads' 4x4 adaptive pool then reads a 6x6 map (overlapping bins, as at 224's 14x14)
  { name: 'googlenet', size: 96 },
  // grouped convolutions (groups: 32); 32x32 keeps its 25 M-parameter forward cheap (1x1 after the last stage)
  { name: 'resnext50_32x4d', size: 32 },
];
const BATCH = 2;
const TOLERANCE = 1e-4;

function probeTorchvision(): string | undefined {
  if (!PYTHON) return 'no Python with torch';
  const r = spawnSync(PYTHON, ['-c', 'import torchvision'], { encoding: 'utf8', timeout: 60_000 });
  return r.status === 0 ? undefined : `${PYTHON} cannot import torchvision (${(r.stderr || '').trim().split('\n').pop()}); install python3-torchvision`;
}
const skip = probeTorchvision();
if (skip) console.warn(`[zoo tests skipped] ${skip}`);

function f32(file: string): Float32Array {
  const b = readFileSync(file);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** max |a − b| / max |b|. */
function relError(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return d / m;
}

const tmp = mkdtempSync(join(tmpdir(), 'dlc-zoo-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!!skip)('torchvision models as dlc specs: converted weights give torchvision logits', () => {
  const irs = new Map<string, IR>();
  let ref: Record<string, { params: number; buffers: number; outputs: string[] }> = {};
  let cli: { status: number; same_bytes: boolean; bad_status: number; bad_message: string } | undefined;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    const models = ZOO.map(({ name, size }) => {
      const rel = `specs/zoo/${name}.yaml`;
      const r = compileFile(join(DLC_ROOT, rel), { displayPath: rel, set: [`data.synthetic.shape=[${size}, ${size}, 3]`] });
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      if (!r.ir || errors.length) throw new Error(`${rel}: ${errors.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`).join('; ')}`);
      irs.set(name, r.ir);
      const project = join(tmp, `${name}-project`);
      writeFiles(project, renderPytorch(r.ir, { specFile: rel }));
      return { name, size: [size, size], batch: BATCH, project };
    });
    const py = spawnSync(PYTHON!, [join(DLC_ROOT, 'test/zoo/torchvision_ref.py')], {
      input: JSON.stringify({ out: tmp, models }),
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      env: { ...process.env, PYTHONPATH: RUNTIME_DIR, PYTHONDONTWRITEBYTECODE: '1', OMP_NUM_THREADS: '1' },
      timeout: 240_000,
    });
    if (py.status !== 0) throw new Error(`torchvision_ref.py failed (${py.status}): ${py.stderr}`);
    ({ _cli: cli, ...ref } = JSON.parse(py.stdout.trim().split('\n').pop()!));
  }, 300_000);

  it.each(ZOO.map((z) => z.name))('%s: parameter counts are torchvision’s', (name) => {
    const totals = summarize(irs.get(name)!).totals;
    expect(totals.trainable).toBe(ref[name].params);
    expect(totals.nonTrainable).toBe(ref[name].buffers);
  });

  it.each(ZOO.map((z) => z.name))('%s: logits within 1e-4 of torchvision’s (eval mode)', async (name) => {
    const ir = irs.get(name)!;
    const size = ZOO.find((z) => z.name === name)!.size;
    const manifest = JSON.parse(readFileSync(join(tmp, name, 'model.json'), 'utf8')).weightsManifest[0].weights as { name: string }[];
    const model = buildModel(ir);
    try {
      // Every weight of the dlc model is converted, and nothing else; restoreWeights (what a resume uses) matches them by name and shape.
      expect(model.weights.map((w) => w.originalName).sort()).toEqual(manifest.map((e) => e.name).sort());
      await restoreWeights(model, join(tmp, name));
      const x = tf.tidy(() => tf.tensor(f32(join(tmp, `${name}.x.bin`)), [BATCH, 3, size, size]).transpose([0, 2, 3, 1]));
      const out = model.predict(x) as tf.Tensor | tf.Tensor[];
      const outs = Array.isArray(out) ? out : [out];
      const heads = ref[name].outputs;
      expect(outs.length).toBe(heads.length);
      heads.forEach((head, i) => {
        const want = f32(join(tmp, `${name}.${head}.bin`));
        const got = outs[i].dataSync() as Float32Array;
        expect(got.length, head).toBe(want.length);
        const err = relError(got, want);
        console.log(`${name} ${head}: max relative error ${err.toExponential(2)}`);
        expect(err, head).toBeLessThan(TOLERANCE);
      });
      const emitted = relError(f32(join(tmp, `${name}.emitted.bin`)), f32(join(tmp, `${name}.logits.bin`)));
      console.log(`${name} emitted PyTorch model: max relative error ${emitted.toExponential(2)}`);
      expect(emitted, 'emitted PyTorch model').toBeLessThan(TOLERANCE);
      tf.dispose([x, ...outs]);
    } finally {
      model.dispose();
    }
  }, 120_000);

  it('python -m dlc_runtime.torch_import writes the same weights; dlc’s checkpoint loader opens its model.json (mobilenet_v3_small) and gives torchvision’s logits', async () => {
    expect(cli?.status).toBe(0);
    expect(cli?.same_bytes).toBe(true);
    // ResNet-18's weights for the MobileNetV3 project: exit status 2 and the first pair that differs.
    expect(cli?.bad_status).toBe(2);
    expect(cli?.bad_message).toMatch(/^dlc_runtime\.torch_import: the module has 41 weighted layers, the dlc model \d+; first mismatch at weighted layer \d+: torch '\S+' \(\w+\) vs dlc '\S+' \(\w+\)/);
    const name = 'mobilenet_v3_small';
    const size = ZOO.find((z) => z.name === name)!.size;
    const model = await loadModelFiles(join(tmp, 'cli'));
    try {
      const x = tf.tidy(() => tf.tensor(f32(join(tmp, `${name}.x.bin`)), [BATCH, 3, size, size]).transpose([0, 2, 3, 1]));
      const y = model.predict(x) as tf.Tensor;
      expect(relError(y.dataSync() as Float32Array, f32(join(tmp, `${name}.logits.bin`)))).toBeLessThan(TOLERANCE);
      tf.dispose([x, y]);
    } finally {
      model.dispose();
    }
  }, 120_000);
});

describe.skipIf(!PYTHON)('torch_import refuses a module and a layer list that do not pair', () => {
  const CASES: [string, string][][] = [
    [['c', 'conv2d'], ['bn', 'batch_norm'], ['dw', 'depthwise_conv2d'], ['fc', 'dense']],
    [['c', 'conv2d'], ['dw', 'depthwise_conv2d'], ['fc', 'dense']],
    [['c', 'conv2d'], ['bn', 'batch_norm'], ['dw', 'dense'], ['fc', 'dense']],
    [['c', 'conv2d'], ['bn', 'batch_norm'], ['dw', 'depthwise_conv2d'], ['fc', 'dense'], ['extra', 'dense']],
    // the same depthwise torch conv as dlc's grouped conv2d (groups: 4): kernel [kh, kw, in/G, out]
    [['c', 'conv2d'], ['bn', 'batch_norm'], ['dw', 'conv2d'], ['fc', 'dense']],
  ];
  let results: { error?: string; keys?: Record<string, number[]> }[] = [];
  // One Python process for every case (importing torch is the slow part).
  beforeAll(() => {
    results = runPython(
      `
from torch import nn
from dlc_runtime.torch_import import torch_to_dlc_weights, ConversionError
m = nn.Sequential(nn.Conv2d(3, 4, 3, bias=False), nn.BatchNorm2d(4), nn.Conv2d(4, 4, 3, groups=4), nn.Flatten(), nn.Linear(16, 2))
out = []
for layers in INPUT:
    try:
        out.append({'keys': {k: list(a.shape) for k, a in torch_to_dlc_weights(m, [tuple(l) for l in layers]).items()}})
    except ConversionError as e:
        out.append({'error': str(e)})
print(json.dumps(out))
`,
      CASES,
    );
  }, 120_000);

  it('pairs by order and kind, naming every tfjs weight', () => {
    const common = { 'c/kernel': [3, 3, 3, 4], 'bn/gamma': [4], 'bn/beta': [4], 'bn/moving_mean': [4], 'bn/moving_variance': [4], 'dw/bias': [4], 'fc/kernel': [16, 2], 'fc/bias': [2] };
    expect(results[0].keys).toEqual({ ...common, 'dw/depthwise_kernel': [3, 3, 4, 1] });
    expect(results[4].keys).toEqual({ ...common, 'dw/kernel': [3, 3, 1, 4] });
  });

  it('names the first torch module and dlc layer that differ', () => {
    expect(results[1].error).toMatch(/4 weighted layers, the dlc model 3; first mismatch at weighted layer 2: torch '1' \(BatchNorm2d\) vs dlc 'dw' \(depthwise_conv2d\)/);
    expect(results[2].error).toMatch(/torch module '2' \(Conv2d\) pairs with dlc layer 'dw' of kind dense/);
    expect(results[3].error).toMatch(/first unpaired dlc layer: 'extra' \(dense\)/);
  });
});
