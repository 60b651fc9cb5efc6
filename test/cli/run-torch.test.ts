/**
 * `dlc run --backend torch` through the CLI entry point: a tiny synthetic spec for one epoch on
 * PyTorch, then `dlc eval` and `dlc predict` on that run directory (the checkpoint's tfjs copy),
 * the predictions checked against the torch model's own, and `--nproc 2` (DDP, gloo). Skips with a
 * printed reason when no Python with torch is found (test/codegen/pytorch/python.ts).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { PYTHON, runPython } from '../codegen/pytorch/python.js';

const SPEC = `name: tiny-torch
seed: 5
data:
  dataset: synthetic
  synthetic: {train_samples: 96, test_samples: 30, shape: [8, 8, 1], classes: 3}
  validation_split: 0.25
  batch_size: 16
model:
  layers:
    - conv2d: {filters: 3, kernel_size: 3, padding: same, activation: relu}
    - max_pool2d: 2
    - flatten
    - dense: {units: 3}
loss: cross_entropy
optimizer: {sgd: {learning_rate: 0.05, momentum: 0.9}}
train: {epochs: 1}
metrics: [accuracy, confusion_matrix]
`;

const dir = mkdtempSync(join(tmpdir(), 'dlc-cli-torch-'));
writeFileSync(join(dir, 'tiny.yaml'), SPEC);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Captured extends CliIO {
  out(): string;
  err(): string;
}

function fakeIO(env: Record<string, string> = {}): Captured {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s), isTTY: false },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    cwd: dir,
    env: { DLC_CACHE: join(dir, 'cache'), OMP_NUM_THREADS: '1', ...env },
    out: () => out,
    err: () => err,
  };
}

function onlyRun(runsDir: string): string {
  const runs = readdirSync(join(dir, runsDir, 'tiny-torch'));
  expect(runs).toHaveLength(1);
  return join(dir, runsDir, 'tiny-torch', runs[0]);
}

describe('dlc run --backend torch: arguments', () => {
  it('refuses the torch flags without --backend torch, --replicas with it, and an unknown device', async () => {
    for (const [args, msg] of [
      [['--nproc', '2'], /--nproc needs --backend torch/],
      [['--python', 'python3'], /--python needs --backend torch/],
      [['--backend', 'torch', '--replicas', '2'], /--replicas .* --nproc/],
      [['--backend', 'torch', '--device', 'tpu'], /device/],
      [['--backend', 'torch', '--nproc', '0'], /positive integer/],
    ] as const) {
      const io = fakeIO();
      expect(await main(['run', 'tiny.yaml', ...args], io), io.err()).toBe(2);
      expect(io.err()).toMatch(msg);
    }
  });

  it('takes real-valued targets (no up-front refusal): it goes on to look for Python (exit 2 without one, nothing written)', async () => {
    writeFileSync(join(dir, 'reg.yaml'), SPEC.replace('name: tiny-torch', 'name: reg').replace('classes: 3}', 'classes: 1, target: real}').replace('    - dense: {units: 3}', '    - dense: {units: 1}').replace('loss: cross_entropy', 'loss: mse').replace('metrics: [accuracy, confusion_matrix]', 'metrics: [mae]'));
    const io = fakeIO();
    expect(await main(['run', 'reg.yaml', '--backend', 'torch', '--python', join(dir, 'no-such-python'), '--runs-dir', 'reg-runs'], io)).toBe(2);
    expect(io.err()).not.toMatch(/cannot be emitted with --target pytorch/);
    expect(io.err()).toMatch(/^dlc run: cannot run Python /m);
    expect(existsSync(join(dir, 'reg-runs'))).toBe(false);
  });

  it('names what to install when the interpreter is missing (exit 2)', async () => {
    const io = fakeIO();
    expect(await main(['run', 'tiny.yaml', '--backend', 'torch', '--python', join(dir, 'no-such-python')], io)).toBe(2);
    expect(io.err()).toMatch(/^dlc run: cannot run Python .*install python3 and torch.*--python or DLC_PYTHON/m);
    const viaEnv = fakeIO({ DLC_PYTHON: join(dir, 'no-such-python') });
    expect(await main(['run', 'tiny.yaml', '--backend', 'torch'], viaEnv)).toBe(2);
    expect(viaEnv.err()).toContain(join(dir, 'no-such-python'));
    expect(existsSync(join(dir, 'runs'))).toBe(false);
  });

  it('lists torch among the --backend values in dlc run --help', async () => {
    const io = fakeIO();
    expect(await main(['run', '--help'], io)).toBe(0);
    expect(io.out() + io.err()).toMatch(/--backend NAME +auto \| tensorflow \| wasm \| cpu \| torch/);
    expect(io.out() + io.err()).toMatch(/--nproc N/);
  });
});

describe.skipIf(!PYTHON)('dlc run --backend torch, then dlc eval and dlc predict', () => {
  let runDir: string;

  it('trains one epoch on PyTorch and writes the usual run directory', async () => {
    const io = fakeIO();
    // Nothing may reach the real stdout or console (tfjs banners when report.html is made): dlc's output goes through io.
    const spies = [vi.spyOn(process.stdout, 'write'), vi.spyOn(console, 'log'), vi.spyOn(console, 'info'), vi.spyOn(console, 'warn')];
    const code = await main(['run', 'tiny.yaml', '--backend', 'torch', '--python', PYTHON!, '--device', 'cpu', '--runs-dir', 'runs'], io);
    const stray = spies.flatMap((s) => s.mock.calls);
    spies.forEach((s) => s.mockRestore());
    expect(stray).toEqual([]);
    expect(code, io.err()).toBe(0);
    runDir = onlyRun('runs');
    expect(readdirSync(runDir)).toEqual(expect.arrayContaining(['checkpoints', 'confusion_matrix.csv', 'ir.json', 'metrics.csv', 'metrics.jsonl', 'report.json', 'run.json', 'spec.yaml', 'report.html']));
    expect(readdirSync(join(runDir, 'checkpoints', 'last'))).toEqual(expect.arrayContaining(['model.json', 'weights.bin', 'model.pt', 'state.json']));
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8'));
    expect(report.backend).toBe('torch');
    expect(report.samples).toBe(30);
    // The tables on stdout come from report.json, as a tfjs run prints them; progress on stderr.
    expect(io.out()).toContain(`Test: 30 samples, loss ${report.loss.toFixed(4)}, accuracy ${(report.accuracy * 100).toFixed(2)}%`);
    expect(io.out()).toMatch(/Confusion matrix/);
    expect(io.err()).toMatch(/^backend: torch/m);
    expect(io.err()).toMatch(/^epoch 1\/1 {2}loss \d/m);
    expect(io.err()).toContain(`run directory: ${runDir}`);
    expect(io.err()).not.toMatch(/^Test:/m);
  });

  it('dlc eval opens the torch checkpoint and gets the test metrics PyTorch reported', async () => {
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8'));
    const io = fakeIO();
    expect(await main(['eval', runDir, '--checkpoint', 'last', '--backend', 'cpu'], io), io.err()).toBe(0);
    const saved = JSON.parse(readFileSync(join(runDir, 'eval_last_test_report.json'), 'utf8'));
    // The last checkpoint is the final model: same predictions, so the same confusion matrix and accuracy.
    expect(saved.confusion).toEqual(report.confusion);
    expect(saved.accuracy).toBe(report.accuracy);
    expect(Math.abs(saved.loss - report.loss)).toBeLessThan(1e-5 * Math.max(1, Math.abs(report.loss)));
  });

  it('dlc predict on the converted checkpoint gives the probabilities of the torch model itself (1e-5)', async () => {
    // Gray pixels (R = G = B), so any grayscale conversion gives the same bytes the torch side reads.
    const png = new PNG({ width: 8, height: 8 });
    const gray: number[] = [];
    for (let i = 0; i < 64; i++) {
      const v = (i * 37 + 11) % 256;
      gray.push(v);
      png.data.set([v, v, v, 255], i * 4);
    }
    writeFileSync(join(dir, 'x.png'), PNG.sync.write(png));
    const io = fakeIO();
    expect(await main(['predict', runDir, 'x.png', '--checkpoint', 'last', '--top-k', '3', '--backend', 'cpu', '--json'], io), io.err()).toBe(0);
    const [pred] = JSON.parse(io.out()) as { top: { index: number; probability: number }[] }[];
    const dlc = [0, 1, 2].map((j) => pred.top.find((t) => t.index === j)!.probability);
    // The cache holds one project per IR (other tests emit theirs there too): this spec's is the one its README names.
    const projects = readdirSync(join(dir, 'cache', 'torch-projects')).filter((p) => readFileSync(join(dir, 'cache', 'torch-projects', p, 'README.md'), 'utf8').includes('tiny-torch'));
    expect(projects).toHaveLength(1);
    const [project] = projects;
    const torchProbs = runPython<number[]>(
      `
import torch, numpy as np
from model import build_model
m = build_model()
m.load_state_dict(torch.load(INPUT['ckpt'], map_location='cpu'))
m.eval()
x = torch.tensor(np.array(INPUT['pixels'], dtype=np.float32).reshape(1, 8, 8, 1) / 255)
with torch.no_grad():
    print(json.dumps(torch.softmax(m(x), 1)[0].double().tolist()))
`,
      { ckpt: join(runDir, 'checkpoints', 'last', 'model.pt'), pixels: gray },
      { cwd: join(dir, 'cache', 'torch-projects', project), env: { PYTHONPATH: join(dir, 'cache', 'torch-projects', project) } },
    );
    expect(torchProbs).toHaveLength(3);
    for (let j = 0; j < 3; j++) expect(Math.abs(dlc[j] - torchProbs[j])).toBeLessThan(1e-5);
    // Not a degenerate model: the probabilities differ between classes.
    expect(Math.max(...torchProbs) - Math.min(...torchProbs)).toBeGreaterThan(1e-4);
  });

  it('--nproc 2 trains with two DistributedDataParallel processes', async () => {
    const io = fakeIO();
    const code = await main(['run', 'tiny.yaml', '--backend', 'torch', '--python', PYTHON!, '--device', 'cpu', '--nproc', '2', '--runs-dir', 'ddp'], io);
    expect(code, io.err()).toBe(0);
    const report = JSON.parse(readFileSync(join(onlyRun('ddp'), 'report.json'), 'utf8'));
    expect(report.processes).toBe(2);
    expect(report.samples).toBe(30);
    expect(io.out()).toMatch(/^Test: 30 samples/m);
  });
});
