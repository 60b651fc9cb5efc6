/**
 * dlc's PyTorch-style pooling (explicit padding, ceil_mode,
 * count_include_pad, adaptive) against PyTorch itself: for a grid of
 * (kind, kernel, stride, padding, ceil_mode, count_include_pad, odd/even
 * sizes) the layer dlc builds from the op's recipe gives torch's forward
 * output AND input gradient (of Σ y·w, w random) within 1e-5, and the
 * compiler's inferred shape is torch's output shape. Skips (saying why)
 * without a Python that has torch.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeLayer } from '../../../src/compiler/front/normalize-layer.js';
import { lowerAttrs } from '../../../src/compiler/lower/lower.js';
import { OPS, type OpKind } from '../../../src/compiler/ops/index.js';
import { buildContext } from '../../../src/compiler/ops/recipe.js';
import { layerConfig, layerFactory } from '../../../src/runtime/model/layers.js';
import { seeded } from '../backend/helpers.js';
import { PYTHON, runPython } from '../../codegen/pytorch/python.js';

type Case = { kind: OpKind; raw: Record<string, unknown> | number | number[]; input: number[] };

/** The grid: every legal padding (≤ kernel/2) for each kernel, both rounding modes, both divisors, odd and even sizes. */
function grid(): Case[] {
  const cases: Case[] = [];
  for (const input of [[7, 6, 2], [8, 9, 1]])
    for (const k of [2, 3])
      for (const s of [1, 2, 3])
        for (let p = 0; p <= Math.floor(k / 2); p++)
          for (const ceil of [false, true]) {
            cases.push({ kind: 'max_pool2d', raw: { pool_size: k, strides: s, padding: p, ceil_mode: ceil }, input });
            for (const cip of [true, false]) cases.push({ kind: 'avg_pool2d', raw: { pool_size: k, strides: s, padding: p, ceil_mode: ceil, count_include_pad: cip }, input });
          }
  // Rectangular windows, strides and padding.
  cases.push({ kind: 'max_pool2d', raw: { pool_size: [3, 2], strides: [2, 1], padding: [1, 0], ceil_mode: true }, input: [6, 5, 2] });
  cases.push({ kind: 'avg_pool2d', raw: { pool_size: [3, 4], strides: [2, 3], padding: [1, 2], ceil_mode: true, count_include_pad: false }, input: [6, 9, 2] });
  cases.push({ kind: 'avg_pool2d', raw: { pool_size: [3, 4], strides: [2, 3], padding: [1, 2], ceil_mode: true }, input: [6, 9, 2] });
  // ResNet's stem pool and GoogLeNet's ceil-mode pools.
  cases.push({ kind: 'max_pool2d', raw: { pool_size: 3, strides: 2, padding: 1 }, input: [16, 16, 2] });
  cases.push({ kind: 'max_pool2d', raw: { pool_size: 3, strides: 2, ceil_mode: true }, input: [15, 14, 2] });
  // 1-D over [steps, channels].
  for (const [k, s, p, ceil] of [[3, 2, 1, true], [2, 2, 1, false], [3, 3, 0, true], [4, 3, 2, true]] as const) {
    cases.push({ kind: 'max_pool1d', raw: { pool_size: k, strides: s, padding: p, ceil_mode: ceil }, input: [10, 3] });
    for (const cip of [true, false]) cases.push({ kind: 'avg_pool1d', raw: { pool_size: k, strides: s, padding: p, ceil_mode: ceil, count_include_pad: cip }, input: [11, 2] });
  }
  // Adaptive: even bins (a plain pool), uneven ones, 1×1, more outputs than inputs.
  for (const kind of ['adaptive_avg_pool2d', 'adaptive_max_pool2d'] as const)
    for (const [raw, input] of [[7, [14, 14, 2]], [[4, 3], [9, 11, 2]], [[3, 5], [7, 5, 1]], [1, [5, 4, 3]], [[5, 2], [3, 7, 1]]] as const)
      cases.push({ kind, raw: raw as number | number[], input: [...input] });
  return cases;
}

interface Result {
  readonly shape: number[];
  readonly y: number[];
  readonly dx: number[];
}

/** dlc's forward output and input gradient of Σ y·w, with the layer built from the op's recipe. */
function dlcRun(c: Case, x: Float32Array): Result & { inferred: number[]; w: number[] } {
  const attrs = lowerAttrs(normalizeLayer({ [c.kind]: c.raw }, '/model/layers/0'));
  const def = OPS[c.kind];
  const inferred = [...def.infer(attrs as never, [c.input]).shape];
  const calls = def.build(attrs as never, buildContext('p', 'p', 1));
  expect(calls.map((k) => k.layer), `${c.kind} ${JSON.stringify(c.raw)}`).toEqual([c.kind.startsWith('adaptive') ? 'dlcAdaptivePool2d' : 'dlcTorchPool']);
  const layer = layerFactory(calls[0].layer)(layerConfig(calls[0], (s) => s.seed));
  return tf.tidy(() => {
    const xt = tf.tensor(x, [2, ...c.input]);
    const y = layer.apply(xt) as tf.Tensor;
    const w = tf.tensor(seeded(y.size, 7), y.shape);
    const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, w)))(xt);
    return { shape: y.shape.slice(1), y: Array.from(y.dataSync()), dx: Array.from(dx.dataSync()), inferred, w: Array.from(w.dataSync()) };
  });
}

const TORCH = `import torch, torch.nn.functional as F
out = []
for c in INPUT:
    a, kind = c['attrs'], c['kind']
    x = torch.tensor(c['x'], dtype=torch.float32).reshape(2, *c['input'])
    one_d = len(c['input']) == 2
    xt = (x.permute(0, 2, 1) if one_d else x.permute(0, 3, 1, 2)).contiguous().requires_grad_(True)
    if kind.startswith('adaptive'):
        y = (F.adaptive_avg_pool2d if 'avg' in kind else F.adaptive_max_pool2d)(xt, tuple(a['output_size']))
    else:
        k, s = a['pool_size'], a['strides']
        p = a['padding'] if isinstance(a['padding'], (int, list)) else 0
        ceil = bool(a.get('ceil_mode', False))
        if one_d:
            y = F.max_pool1d(xt, k, s, p, ceil_mode=ceil) if 'max' in kind else F.avg_pool1d(xt, k, s, p, ceil_mode=ceil, count_include_pad=a.get('count_include_pad', True))
        else:
            k, s, p = tuple(k), tuple(s), tuple(p) if isinstance(p, list) else p
            y = F.max_pool2d(xt, k, s, p, ceil_mode=ceil) if 'max' in kind else F.avg_pool2d(xt, k, s, p, ceil_mode=ceil, count_include_pad=a.get('count_include_pad', True))
    yl = y.permute(0, 2, 1) if one_d else y.permute(0, 2, 3, 1)
    w = torch.tensor(c['w'], dtype=torch.float32)
    if w.numel() != yl.numel():
        out.append({'shape': list(yl.shape[1:]), 'y': [], 'dx': []})
        continue
    (yl * w.reshape(yl.shape)).sum().backward()
    dx = xt.grad.permute(0, 2, 1) if one_d else xt.grad.permute(0, 2, 3, 1)
    out.append({'shape': list(yl.shape[1:]), 'y': yl.reshape(-1).tolist(), 'dx': dx.reshape(-1).tolist()})
print(json.dumps(out))`;

/** max |a − b| / max(1, max |a|). */
function rel(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return Infinity;
  const scale = Math.max(1, ...a.map(Math.abs));
  return Math.max(0, ...a.map((v, i) => Math.abs(v - b[i]) / scale));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.skipIf(!PYTHON)('PyTorch pooling: dlc = torch (forward and input gradient)', () => {
  it('matches F.max_pool/avg_pool (padding, ceil_mode, count_include_pad) and F.adaptive_*_pool2d on the grid', () => {
    const cases = grid();
    expect(cases.length).toBeGreaterThan(150);
    const ours = cases.map((c, i) => ({ c, x: seeded(2 * c.input.reduce((a, b) => a * b, 1), 100 + i) }));
    const runs = ours.map(({ c, x }) => dlcRun(c, x));
    const torch = runPython<Result[]>(
      TORCH,
      ours.map(({ c, x }, i) => ({ kind: c.kind, attrs: lowerAttrs(normalizeLayer({ [c.kind]: c.raw }, '/model/layers/0')), input: c.input, x: Array.from(x), w: runs[i].w })),
    );
    const bad: string[] = [];
    cases.forEach((c, i) => {
      const name = `${c.kind} ${JSON.stringify(c.raw)} on ${JSON.stringify(c.input)}`;
      const [d, t] = [runs[i], torch[i]];
      if (JSON.stringify(d.inferred) !== JSON.stringify(t.shape)) bad.push(`${name}: inferred ${JSON.stringify(d.inferred)}, torch ${JSON.stringify(t.shape)}`);
      if (JSON.stringify(d.shape) !== JSON.stringify(t.shape)) bad.push(`${name}: tfjs shape ${JSON.stringify(d.shape)}, torch ${JSON.stringify(t.shape)}`);
      const [ey, edx] = [rel(t.y, d.y), rel(t.dx, d.dx)];
      if (!(ey <= 1e-5) || !(edx <= 1e-5)) bad.push(`${name}: forward ${ey.toExponential(2)}, gradient ${edx.toExponential(2)}`);
    });
    expect(bad).toEqual([]);
  });
});
