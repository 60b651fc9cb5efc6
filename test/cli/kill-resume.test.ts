/**
 * A real SIGKILL in the middle of an epoch: `dlc run` runs in a child
 * process (the CLI bundled from the sources with rolldown, which vitest's
 * vite already ships), is killed with SIGKILL halfway through epoch 2, and
 * `--resume` must then finish with exactly the weights of an uninterrupted
 * run — the kill lost only the epoch it interrupted.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFile } from '../../src/compiler/compile.js';
import { loadCheckpoint } from '../../src/runtime/checkpoint/checkpoint.js';
import { loadModelFiles } from '../../src/runtime/checkpoint/model-files.js';
import { train } from '../../src/runtime/train/train.js';

const ROOT = path.resolve(__dirname, '../..');
const SPEC = `name: killed
seed: 11
data:
  dataset: synthetic
  synthetic: {train_samples: 800, test_samples: 40, shape: [8, 8, 1], classes: 4}
  validation_split: 0.1
  batch_size: 8
  transforms:
    train: [random_flip: horizontal]
model:
  layers:
    - conv2d: {filters: 4, kernel_size: 3, padding: same, activation: relu}
    - max_pool2d: 2
    - flatten
    - dropout: 0.3
    - dense: {units: 4}
loss: cross_entropy
optimizer: {sgd: {learning_rate: 0.05, momentum: 0.9}}
train: {epochs: 2}
metrics: [accuracy]
`;

let dir: string;
const quiet = { write: () => true, isTTY: false };

async function weights(runDir: string): Promise<number[][]> {
  const m = await loadModelFiles(path.join(runDir, 'checkpoints', 'last'));
  const w = m.getWeights().map((t) => Array.from(t.dataSync()));
  m.dispose();
  return w;
}

describe('SIGKILL mid-epoch, then --resume', () => {
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dlc-kill-'));
    await fs.writeFile(path.join(dir, 'killed.yaml'), SPEC);
    // Bare imports (tfjs, yaml, …) stay external and resolve through this link.
    await fs.symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    const { build } = (await import('rolldown')) as { build: (o: unknown) => Promise<unknown> };
    await build({
      input: path.join(ROOT, 'src/cli/run.ts'),
      platform: 'node',
      external: (id: string) => !id.startsWith('.') && !path.isAbsolute(id) && !id.startsWith('\0'),
      output: { dir: path.join(dir, 'cli'), format: 'esm' },
      logLevel: 'silent',
    });
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('loses at most the interrupted epoch and resumes to the uninterrupted weights', async () => {
    const script = `const m = await import(${JSON.stringify(path.join(dir, 'cli', 'run.js'))});
process.exitCode = await m.command.run(process.argv.slice(1), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, 'killed.yaml', '--backend', 'cpu', '--runs-dir', 'runs'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const killedAt = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        // Halfway through epoch 2 (90 batches per epoch; a plain progress line every 50).
        if (/epoch 2\/2 batch 50\//.test(err) && child.kill('SIGKILL')) resolve(err);
      });
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`child exited (${code}) before the kill:\n${err}`));
      });
    });
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.on('exit', r)));
    expect(child.signalCode).toBe('SIGKILL');
    expect(killedAt).toMatch(/epoch 1\/2 .*val_acc/);

    const [stamp] = await fs.readdir(path.join(dir, 'runs', 'killed'));
    const runDir = path.join(dir, 'runs', 'killed', stamp);
    expect((await loadCheckpoint(path.join(runDir, 'checkpoints', 'last'))).state.epoch).toBe(1);

    const { ir } = compileFile(path.join(dir, 'killed.yaml'));
    const resumed = await train(ir!, { backend: 'cpu', resume: runDir, stdout: quiet, stderr: quiet });
    expect(resumed.history.map((r) => r.epoch)).toEqual([1, 2]);
    const straight = await train(ir!, { backend: 'cpu', runsDir: path.join(dir, 'straight'), stdout: quiet, stderr: quiet });
    expect(resumed.history.map((r) => r.loss)).toEqual(straight.history.map((r) => r.loss));
    expect(await weights(runDir)).toEqual(await weights(straight.runDir));
  });
});
