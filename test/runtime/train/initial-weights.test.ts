/**
 * `dlc run SPEC --initial-weights DIR` (TrainOptions.initialWeights): a run
 * started from a saved model's weights (here another run's checkpoint, the
 * tfjs layers format the zoo converter writes too) computes exactly that
 * model — with a learning rate of 1e-30 (too small to move any trained float32 weight) its test evaluation equals the source
 * run's final one bit for bit, while its own seeded init would not; weights
 * that do not fit the model are refused naming the first mismatching one,
 * before any run directory is made.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { compile } from '../../../src/compiler/compile.js';
import type { IR } from '../../../src/compiler/ir.js';
import { train } from '../../../src/runtime/train/train.js';

const root = mkdtempSync(join(tmpdir(), 'dlc-initial-weights-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const quiet = { write: () => true, isTTY: false };

function irOf(units: number, lr: number): IR {
  const r = compile(
    `name: init-w
seed: 4
data:
  dataset: synthetic
  synthetic: {train_samples: 48, test_samples: 24, shape: [4, 4, 1], classes: 3}
  validation_split: 0
  batch_size: 16
model:
  layers:
    - flatten
    - dense: {units: ${units}, activation: relu}
    - dense: {units: 3}
optimizer: {sgd: {learning_rate: ${lr}}}
train: {epochs: 1}
`,
    { file: 'spec.yaml' },
  );
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ir!;
}

const run = (ir: IR, runDir: string, initialWeights?: string) =>
  train(ir, { backend: 'cpu', runDir, stdout: quiet, stderr: quiet, replicas: 1, cacheDir: join(root, 'cache'), ...(initialWeights ? { initialWeights } : {}) });
const testLoss = (runDir: string): number => (JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as { loss: number }).loss;

describe('initial weights', () => {
  it("a run from another run's checkpoint evaluates exactly as that model (learning rate 1e-30: no float32 weight moves), unlike its own init", async () => {
    const source = join(root, 'source');
    await run(irOf(6, 0.5), source);
    const ckpt = join(source, 'checkpoints', 'last');
    const from = join(root, 'from');
    await run(irOf(6, 1e-30), from, ckpt);
    expect(testLoss(from)).toBe(testLoss(source));
    const own = join(root, 'own');
    await run(irOf(6, 1e-30), own);
    expect(testLoss(own)).not.toBe(testLoss(source));
  }, 60_000);

  it('weights of another shape: a RunError naming the first mismatching weight, and no run directory', async () => {
    const ckpt = join(root, 'source', 'checkpoints', 'last');
    const target = join(root, 'mismatch');
    await expect(run(irOf(5, 1e-30), target, ckpt)).rejects.toThrow(`--initial-weights ${ckpt}: weight 'dense_1/kernel' is [16, 6], the model needs [16, 5]`);
    expect(existsSync(target)).toBe(false);
    await expect(run(irOf(6, 1e-30), join(root, 'none'), join(root, 'source'))).rejects.toThrow(`no model.json there (a run directory: give its checkpoint, e.g. ${join(root, 'source', 'checkpoints', 'best')})`);
  }, 60_000);

  it('dlc run: --initial-weights with --resume is a usage error', async () => {
    let err = '';
    const io = { stdout: quiet, stderr: { write: (s: string) => ((err += s), true), isTTY: false }, cwd: root, env: {} };
    expect(await main(['run', '--resume', join(root, 'source'), '--initial-weights', join(root, 'source', 'checkpoints', 'last')], io)).toBe(2);
    expect(err).toContain('--initial-weights and --resume exclude each other');
  });

  it('dlc run --backend torch passes the directory to train.py --initial-weights', async () => {
    // A stand-in Python: answers the torch probe, records train.py's arguments, and fails the run.
    const argsFile = join(root, 'train-args.txt');
    const fake = join(root, 'fake-python');
    writeFileSync(fake, `#!/bin/sh\nif [ "$1" = "-c" ]; then echo 1.13.0; exit 0; fi\nprintf '%s\\n' "$@" > '${argsFile}'\nexit 3\n`);
    chmodSync(fake, 0o755);
    const spec = join(root, 'spec.yaml');
    writeFileSync(spec, 'name: t\ndata:\n  dataset: synthetic\n  synthetic: {train_samples: 8, test_samples: 4, shape: [4, 4, 1], classes: 2}\nmodel:\n  layers:\n    - flatten\n    - dense: {units: 2}\n');
    const io = { stdout: quiet, stderr: quiet, cwd: root, env: { DLC_CACHE: join(root, 'cache') } };
    expect(await main(['run', spec, '--backend', 'torch', '--python', fake, '--no-report', '--initial-weights', 'source/checkpoints/last'], io)).not.toBe(0);
    const args = readFileSync(argsFile, 'utf8').trim().split('\n');
    expect(args[args.indexOf('--initial-weights') + 1]).toBe(join(root, 'source', 'checkpoints', 'last'));
  }, 60_000);
});
