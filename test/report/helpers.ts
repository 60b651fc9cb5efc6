/** Shared by the report tests: a tiny image-classification run made through `dlc run` (cpu, synthetic data, 2 epochs). */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export const TINY_SPEC = `name: tiny-report
description: 'A tiny run whose text is hostile: <script>window.__pwned = 1</script> "onload=alert(1) & <b>bold</b>'
seed: 5
data:
  dataset: synthetic
  synthetic: {train_samples: 96, test_samples: 48, shape: [8, 8, 1], classes: 3}
  validation_split: 0.25
  batch_size: 16
model:
  layers:
    - conv2d: {filters: 4, kernel_size: 3, padding: same, activation: relu, name: c1}
    - conv2d: {filters: 4, kernel_size: 3, padding: same, name: c2}
    - add: [c1, c2]
    - max_pool2d: 2
    - flatten
    - dense: {units: 3}
optimizer: {sgd: {learning_rate: 0.05, momentum: 0.9}}
train: {epochs: 2}
metrics: [accuracy, precision, recall, f1, confusion_matrix]
`;

export interface Captured extends CliIO {
  out(): string;
  err(): string;
}

export function fakeIO(cwd: string): Captured {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s), isTTY: false },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    cwd,
    env: { DLC_CACHE: path.join(cwd, 'cache') },
    out: () => out,
    err: () => err,
  };
}

/** Runs `dlc run` on `spec` in a fresh temp dir; returns the temp dir and the run directory. */
export async function tinyRun(spec = TINY_SPEC, extra: string[] = []): Promise<{ dir: string; runDir: string; io: Captured }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dlc-report-'));
  await fs.writeFile(path.join(dir, 'tiny.yaml'), spec);
  const io = fakeIO(dir);
  const code = await main(['run', 'tiny.yaml', '--backend', 'cpu', '--runs-dir', 'runs', '--replicas', '1', ...extra], io);
  if (code !== 0) throw new Error(`dlc run failed (${code}):\n${io.err()}`);
  const name = (await fs.readdir(path.join(dir, 'runs')))[0];
  const stamp = (await fs.readdir(path.join(dir, 'runs', name)))[0];
  return { dir, runDir: path.join(dir, 'runs', name, stamp), io };
}
