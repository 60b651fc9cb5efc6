/**
 * End to end through the CLI entry point: `dlc run` a tiny synthetic spec,
 * check the run directory, then `dlc eval` and `dlc predict` on it.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { compile } from '../../src/compiler/compile.js';
import { fakeIO } from '../report/helpers.js';

const SPEC = `name: tiny-e2e
seed: 3
data:
  dataset: synthetic
  synthetic: {train_samples: 240, test_samples: 60, shape: [8, 8, 1], classes: 3}
  validation_split: 0.2
  batch_size: 32
model:
  layers:
    - conv2d: {filters: 4, kernel_size: 3, padding: same, activation: relu}
    - batch_norm
    - max_pool2d: 2
    - dropout: 0.25
    - flatten
    - dense: {units: 3}
loss: cross_entropy
optimizer: {sgd: {learning_rate: 0.05, momentum: 0.9}}
train: {epochs: 2}
metrics: [accuracy, precision, recall, f1, top_k_accuracy: 2, confusion_matrix]
`;

let dir: string;
let runDir: string;

describe('dlc run / eval / predict', () => {
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dlc-cli-'));
    await fs.writeFile(path.join(dir, 'tiny.yaml'), SPEC);
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('dlc run trains and writes the run directory', async () => {
    const io = fakeIO(dir);
    // Nothing may reach the real stdout or console (tfjs banners, stray logs): dlc's output goes through io.
    const spies = [vi.spyOn(process.stdout, 'write'), vi.spyOn(console, 'log'), vi.spyOn(console, 'info')];
    const code = await main(['run', 'tiny.yaml', '--backend', 'cpu', '--runs-dir', 'out'], io);
    const stray = spies.flatMap((s) => s.mock.calls);
    spies.forEach((s) => s.mockRestore());
    expect(stray).toEqual([]);
    expect(code, io.err()).toBe(0);
    const runs = await fs.readdir(path.join(dir, 'out', 'tiny-e2e'));
    expect(runs).toHaveLength(1);
    runDir = path.join(dir, 'out', 'tiny-e2e', runs[0]);
    const files = (await fs.readdir(runDir)).sort();
    expect(files).toEqual(['checkpoints', 'confusion_matrix.csv', 'ir.json', 'machine.json', 'metrics.csv', 'metrics.jsonl', 'misclassified.json', 'report.html', 'report.json', 'run.json', 'spec.yaml', 'steps.jsonl']);
    expect((await fs.readdir(path.join(runDir, 'checkpoints', 'last'))).sort()).toEqual(['model.json', 'optimizer.bin', 'optimizer.json', 'state.json', 'weights.bin']);
    expect((await fs.readFile(path.join(runDir, 'metrics.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(2);
    // spec.yaml is the resolved spec in the user's format: it compiles back to the spec that ran.
    const resolved = compile(await fs.readFile(path.join(runDir, 'spec.yaml'), 'utf8'), { file: 'spec.yaml' });
    expect(resolved.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const ran = JSON.parse(await fs.readFile(path.join(runDir, 'ir.json'), 'utf8'));
    expect(JSON.parse(JSON.stringify(resolved.spec))).toEqual(ran.spec);
    const report = JSON.parse(await fs.readFile(path.join(runDir, 'report.json'), 'utf8'));
    expect(report.samples).toBe(60);
    expect(report.top_k_accuracy['2']).toBeGreaterThanOrEqual(report.accuracy);
    // Tables on stdout; progress, backend and run directory on stderr.
    expect(io.out()).toMatch(/Test: 60 samples/);
    expect(io.out()).toMatch(/Confusion matrix/);
    expect(io.err()).toMatch(/backend: cpu/);
    expect(io.err()).toMatch(/epoch 2\/2 .*loss/);
  });

  it('dlc eval prints and saves the metrics of a checkpoint', async () => {
    const io = fakeIO(dir);
    expect(await main(['eval', runDir, '--backend', 'cpu'], io), io.err()).toBe(0);
    expect(io.out()).toMatch(/Test \(checkpoint best\): 60 samples/);
    const saved = JSON.parse(await fs.readFile(path.join(runDir, 'eval_best_test_report.json'), 'utf8'));
    expect(saved.samples).toBe(60);
    const val = fakeIO(dir);
    expect(await main(['eval', runDir, '--split', 'val', '--checkpoint', 'last', '--backend', 'cpu'], val), val.err()).toBe(0);
    expect(val.out()).toMatch(/Validation \(checkpoint last\): 48 samples/);
    // The last checkpoint on the test split reproduces the run's own final report.
    const t = fakeIO(dir);
    expect(await main(['eval', runDir, '--checkpoint', 'last', '--backend', 'cpu'], t)).toBe(0);
    const final = JSON.parse(await fs.readFile(path.join(runDir, 'report.json'), 'utf8'));
    const last = JSON.parse(await fs.readFile(path.join(runDir, 'eval_last_test_report.json'), 'utf8'));
    expect(last.accuracy).toBe(final.accuracy);
    expect(last.confusion).toEqual(final.confusion);
  });

  it('dlc predict prints the top-k classes of a PNG', async () => {
    const png = new PNG({ width: 16, height: 16 });
    for (let i = 0; i < png.data.length; i += 4) png.data.set([(i * 7) % 256, (i * 3) % 256, 128, 255], i);
    await fs.writeFile(path.join(dir, 'x.png'), PNG.sync.write(png));
    const io = fakeIO(dir);
    expect(await main(['predict', runDir, 'x.png', '--top-k', '2', '--backend', 'cpu', '--json'], io), io.err()).toBe(0);
    const preds = JSON.parse(io.out()) as { file: string; top: { className: string; probability: number }[] }[];
    expect(preds).toHaveLength(1);
    expect(preds[0].file).toBe('x.png');
    expect(preds[0].top).toHaveLength(2);
    expect(preds[0].top[0].probability).toBeGreaterThanOrEqual(preds[0].top[1].probability);
    const text = fakeIO(dir);
    expect(await main(['predict', runDir, 'x.png', '--backend', 'cpu'], text)).toBe(0);
    expect(text.out().trim().split('\n')).toHaveLength(4); // file line + top 3
  });

  it('dlc run --resume continues a run from its last checkpoint', async () => {
    const first = fakeIO(dir);
    expect(await main(['run', 'tiny.yaml', '--backend', 'cpu', '--runs-dir', 'resumed', '--epochs', '1'], first), first.err()).toBe(0);
    const [stamp] = await fs.readdir(path.join(dir, 'resumed', 'tiny-e2e'));
    const rd = path.join('resumed', 'tiny-e2e', stamp);
    const io = fakeIO(dir);
    expect(await main(['run', '--resume', rd, '--backend', 'cpu', '--epochs', '2'], io), io.err()).toBe(0);
    expect(io.err()).toMatch(/resuming .* after epoch 1/);
    const lines = (await fs.readFile(path.join(dir, rd, 'metrics.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).epoch)).toEqual([1, 2]);
  });

  it.each([
    ['no spec', ['run']],
    ['unknown option', ['run', 'tiny.yaml', '--bogus']],
    ['bad backend', ['run', 'tiny.yaml', '--backend', 'gpu']],
    ['bad epochs', ['run', 'tiny.yaml', '--epochs', '0']],
    ['bad replicas', ['run', 'tiny.yaml', '--replicas', 'two']],
    ['replicas for a batch-norm model', ['run', 'tiny.yaml', '--backend', 'cpu', '--runs-dir', 'out', '--replicas', '2']],
    ['eval without run dir', ['eval']],
    ['eval of a non-run directory', ['eval', '.', '--backend', 'cpu']],
    ['predict of a missing image', ['predict', '__RUN__', 'missing.png', '--backend', 'cpu']],
  ])('exit 2 on usage and I/O errors: %s', async (_name, args) => {
    const io = fakeIO(dir);
    expect(await main(args.map((a) => (a === '__RUN__' ? runDir : a)), io)).toBe(2);
    expect(io.err()).toMatch(/dlc (run|eval|predict): /);
  });

  it('eval and predict check the run directory before loading a backend', async () => {
    for (const args of [['eval', '.', '--backend', 'wasm'], ['predict', '.', 'x.png', '--backend', 'wasm']]) {
      const io = fakeIO(dir);
      expect(await main(args, io)).toBe(2);
      expect(io.err()).toMatch(/is not a dlc run directory: cannot read/);
      expect(io.err()).not.toMatch(/backend:/);
    }
  });

  it('refuses replicas it cannot start (from the sources the worker is not built), and a bad DLC_REPLICAS', async () => {
    const io = fakeIO(dir);
    expect(await main(['run', 'tiny.yaml', '--backend', 'cpu', '--runs-dir', 'out', '--replicas', '2'], io)).toBe(2);
    expect(io.err()).toMatch(/dlc run: cannot train on 2 replicas: the replica worker is not built/);
    const captured = fakeIO(dir);
    const env = { ...captured, env: { ...captured.env, DLC_REPLICAS: '0' } };
    expect(await main(['run', 'tiny.yaml', '--backend', 'cpu', '--runs-dir', 'out'], env)).toBe(2);
    expect(env.err()).toMatch(/dlc run: DLC_REPLICAS must be a positive integer, got '0'/);
  });

  it('exit 1 on spec errors and on a non-finite loss', async () => {
    await fs.writeFile(path.join(dir, 'bad.yaml'), SPEC.replace('units: 3', 'units: 0'));
    const bad = fakeIO(dir);
    expect(await main(['run', 'bad.yaml', '--backend', 'cpu', '--runs-dir', 'out'], bad)).toBe(1);
    const nan = fakeIO(dir);
    const code = await main(['run', 'tiny.yaml', '--backend', 'cpu', '--runs-dir', 'out', '--set', 'optimizer.sgd.learning_rate=1e30', '--epochs', '1'], nan);
    expect(code, nan.err()).toBe(1);
    expect(nan.err()).toMatch(/stopped: the training loss became/);
  });
});
