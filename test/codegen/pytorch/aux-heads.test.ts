/**
 * The PyTorch target for a model with several outputs (issue 14): the emitted nn.Module, loaded
 * with the weights of dlc's tfjs model, returns (main, aux) in training mode and the main output
 * in eval mode, each equal to the tfjs model's head within 1e-5 relative; Model.LOSS_WEIGHTS
 * carries the weights; and the emitted train.py trains it like `dlc run` does (the same weighted
 * losses every epoch within 1e-4), writing a checkpoint `dlc eval` opens (its topology lists both
 * heads).
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPytorch } from '../../../src/codegen/pytorch/index.js';
import { buildModel, evaluate, train } from '../../../src/runtime/train/index.js';
import { auxIR } from '../../runtime/model/aux-fixture.js';
import { PYTHON, runPython, writeFiles } from './python.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlc-torch-aux-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const only = (dir: string) => join(dir, readdirSync(dir)[0]!);
const records = (dir: string) => readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { epoch: number; loss: number; val_loss: number });

function maxRel(want: number[], have: number[]): number {
  const scale = Math.max(1e-3, ...want.map(Math.abs));
  return Math.max(...want.map((v, j) => Math.abs(v - have[j]!) / Math.max(Math.abs(v), scale * 1e-2)));
}

describe.skipIf(!PYTHON)('PyTorch target: several outputs', () => {
  it('forward: (main, aux) in training mode, main in eval mode, each equal to the tfjs head', () => {
    const ir = auxIR();
    const dir = join(tmp, 'forward');
    const files = renderPytorch(ir, { specFile: 'aux-heads.yaml' });
    writeFiles(dir, files);
    expect(files.get('model.py')).toContain('LOSS_WEIGHTS = (1, 0.3)');
    const topo = JSON.parse(files.get('tfjs_topology.json')!) as { config: { output_layers: unknown[] } };
    expect(topo.config.output_layers).toEqual([
      ['logits', 0, 0],
      ['aux', 0, 0],
    ]);
    const model = buildModel(ir);
    // Random weights (not the initial ones), so a head printed from the wrong node cannot agree by accident.
    let s = 1;
    const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const weights: Record<string, { shape: number[]; values: number[] }> = {};
    for (const layer of model.layers) {
      const ws = layer.getWeights().map((w) => tf.tensor(Array.from({ length: w.size }, rnd), w.shape));
      if (ws.length) layer.setWeights(ws);
      layer.weights.forEach((w, k) => (weights[w.originalName] = { shape: ws[k]!.shape, values: Array.from(ws[k]!.dataSync()) }));
      tf.dispose(ws);
    }
    const xs = Array.from({ length: 4 * 6 * 6 * 2 }, rnd);
    const x = tf.tensor(xs, [4, 6, 6, 2]);
    const heads = (model.apply(x, { training: true }) as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
    const got = runPython<{ eval: number[]; evalIsTensor: boolean; train: number[][]; weights: number[] }>(
      `import sys, numpy as np, torch
sys.path.insert(0, INPUT['dir'])
from model import build_model, Model
from dlc_runtime.weights import load_tfjs_weights
model = build_model()
load_tfjs_weights(model, {k: np.array(v['values'], dtype=np.float32).reshape(v['shape']) for k, v in INPUT['weights'].items()})
x = torch.tensor(INPUT['x'], dtype=torch.float32).reshape(4, 6, 6, 2)
with torch.no_grad():
    model.eval()
    y = model(x)
    model.train()
    t = model(x)
print(json.dumps({'eval': y.reshape(-1).tolist(), 'evalIsTensor': torch.is_tensor(y), 'train': [h.reshape(-1).tolist() for h in t], 'weights': list(Model.LOSS_WEIGHTS)}))`,
      { dir, weights, x: xs },
    );
    expect(got.weights).toEqual([1, 0.3]);
    expect(got.evalIsTensor).toBe(true);
    expect(maxRel(heads[0]!, got.eval)).toBeLessThan(1e-5);
    expect(got.train).toHaveLength(2);
    expect(maxRel(heads[0]!, got.train[0]!)).toBeLessThan(1e-5);
    expect(maxRel(heads[1]!, got.train[1]!)).toBeLessThan(1e-5);
    x.dispose();
    model.dispose();
  });

  it('train.py trains it like dlc run: the same weighted loss every epoch; dlc eval opens its checkpoint', async () => {
    const ir = auxIR(0.3, 2);
    const sink = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
    await train(ir, { backend: null, runsDir: join(tmp, 'dlc'), replicas: 1, progress: 'none', stdout: sink, stderr: sink });
    const dlcRun = only(join(tmp, 'dlc', 'aux-heads'));
    const project = join(tmp, 'project');
    writeFiles(project, renderPytorch(ir, { specFile: 'aux-heads.yaml' }));
    const r = spawnSync(PYTHON!, ['train.py', '--device', 'cpu', '--runs-dir', join(tmp, 'torch')], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' },
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const torchRun = only(join(tmp, 'torch', 'aux-heads'));
    const a = records(dlcRun);
    const b = records(torchRun);
    expect(b.map((x) => x.epoch)).toEqual([1, 2]);
    a.forEach((x, i) => {
      expect(Math.abs(b[i]!.loss - x.loss) / x.loss, `epoch ${x.epoch} loss ${b[i]!.loss} vs ${x.loss}`).toBeLessThan(1e-4);
      expect(Math.abs(b[i]!.val_loss - x.val_loss) / x.val_loss, `epoch ${x.epoch} val_loss`).toBeLessThan(1e-4);
    });
    const ev = await evaluate(torchRun, { checkpoint: 'last', backend: null });
    const report = JSON.parse(readFileSync(join(torchRun, 'report.json'), 'utf8')) as { loss: number; samples: number };
    expect(ev.report.samples).toBe(report.samples);
    expect(Math.abs(ev.loss - report.loss) / report.loss).toBeLessThan(1e-4);
  });
});
