/**
 * The model zoo (specs/zoo/, docs/zoo.md) against torchvision: per model, torchvision builds the
 * randomly initialised network (fixed seed, batch norm statistics randomised), runs a random batch
 * in eval mode and its weights convert (templates/pytorch/dlc_runtime/torch_import.py) into the
 * tfjs weights of the dlc model built from specs/zoo/<name>.yaml; dlc's logits (tfjs cpu, inference)
 * equal torchvision's within 1e-4 relative (max |dlc − torch| / max |torch|), every output head
 * included, and `dlc inspect`'s trainable count is torchvision's parameter count (batch-norm
 * statistics are dlc's non-trainable count). Inputs are smaller than ImageNet's 224 (--set
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
import { buildModel, layerNames } from '../../src/runtime/model/build-model.js';
import { DLC_ROOT, PYTHON, RUNTIME_DIR, runPython } from '../codegen/pytorch/python.js';

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

/** The dlc model's weighted layers in order ([tfjs layer name, kind]) and the dense layers reading a flattened [h, w, c] map. */
function weightedLayers(ir: IR): { layers: [string, string][]; flattened: Record<string, number[]> } {
  const names = layerNames(ir);
  const byId = new Map(ir.nodes.map((n) => [n.id, n]));
  const layers: [string, string][] = [];
  const flattened: Record<string, number[]> = {};
  for (const n of ir.nodes) {
    if (n.params.trainable + n.params.nonTrainable === 0) continue;
    const name = names.get(n.id)!;
    layers.push([name, n.op]);
    const src = byId.get(n.inputs[0]);
    const pre = src && byId.get(src.inputs[0]);
    if (n.op === 'dense' && src?.op === 'flatten' && pre && pre.shape.length === 3 && pre.shape[0] * pre.shape[1] > 1) flattened[name] = [...pre.shape];
  }
  return { layers, flattened };
}

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

  beforeAll(async () => {
    await tf.setBackend('cpu');
    const models = ZOO.map(({ name, size }) => {
      const rel = `specs/zoo/${name}.yaml`;
      const r = compileFile(join(DLC_ROOT, rel), { displayPath: rel, set: [`data.synthetic.shape=[${size}, ${size}, 3]`] });
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      if (!r.ir || errors.length) throw new Error(`${rel}: ${errors.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`).join('; ')}`);
      irs.set(name, r.ir);
      return { name, size: [size, size], batch: BATCH, ...weightedLayers(r.ir) };
    });
    const py = spawnSync(PYTHON!, [join(DLC_ROOT, 'test/zoo/torchvision_ref.py')], {
      input: JSON.stringify({ out: tmp, models }),
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      env: { ...process.env, PYTHONPATH: RUNTIME_DIR, PYTHONDONTWRITEBYTECODE: '1', OMP_NUM_THREADS: '1' },
      timeout: 240_000,
    });
    if (py.status !== 0) throw new Error(`torchvision_ref.py failed (${py.status}): ${py.stderr}`);
    ref = JSON.parse(py.stdout.trim().split('\n').pop()!);
  }, 300_000);

  it.each(ZOO.map((z) => z.name))('%s: parameter counts are torchvision’s', (name) => {
    const totals = summarize(irs.get(name)!).totals;
    expect(totals.trainable).toBe(ref[name].params);
    expect(totals.nonTrainable).toBe(ref[name].buffers);
  });

  it.each(ZOO.map((z) => z.name))('%s: logits within 1e-4 of torchvision’s (eval mode)', (name) => {
    const ir = irs.get(name)!;
    const size = ZOO.find((z) => z.name === name)!.size;
    const index = JSON.parse(readFileSync(join(tmp, `${name}.weights.json`), 'utf8')) as { name: string; shape: number[]; offset: number }[];
    const data = f32(join(tmp, `${name}.weights.bin`));
    const converted = new Map(index.map((e) => [e.name, e]));
    const model = buildModel(ir);
    try {
      const wanted: string[] = [];
      for (const layer of model.layers) {
        const ws = layer.weights;
        if (!ws.length) continue;
        const values = ws.map((w) => {
          const key = `${layer.name}/${w.originalName.split('/').pop()}`;
          wanted.push(key);
          const e = converted.get(key);
          if (!e) throw new Error(`${name}: no converted weight for ${key}`);
          expect(e.shape, key).toEqual(w.shape);
          const n = e.shape.reduce((a, b) => a * b, 1);
          return tf.tensor(data.subarray(e.offset, e.offset + n), e.shape);
        });
        layer.setWeights(values);
        tf.dispose(values);
      }
      expect(wanted.sort()).toEqual([...converted.keys()].sort());
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
      tf.dispose([x, ...outs]);
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
