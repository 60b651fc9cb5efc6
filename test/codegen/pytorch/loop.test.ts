/**
 * dlc_runtime.loop.train (the PyTorch project's epoch loop) on a tiny synthetic spec:
 * dlc's run-directory layout and fields (metrics.csv byte-identical to what dlc writes for
 * the same records, epoch lines as dlc prints them), a run killed after an epoch and
 * resumed ends with exactly the weights of an uninterrupted one, and two DDP processes
 * (gloo, CPU sync batch norm) killed after epoch 2 and resumed by one process (resume across a
 * different process count) reach the weights of one process within 1e-5.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeEpochRecords, type EpochRecord } from '../../../src/runtime/run-dir/run-dir.js';
import { PYTHON, RUNTIME_DIR } from './python.js';

const SCRIPT = resolve(import.meta.dirname, 'fixtures/tiny_train.py');
const tmp = mkdtempSync(join(tmpdir(), 'dlc-torch-loop-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SPEC = {
  name: 'tiny',
  seed: 7,
  data: {
    dataset: 'synthetic',
    synthetic: { train_samples: 100, test_samples: 30, shape: [6, 6, 1], classes: 3 },
    validation_split: 0.2,
    batch_size: 32,
    transforms: {
      train: [
        { kind: 'random_crop', size: 6, padding: 1, path: '/t/0' },
        { kind: 'random_flip', mode: 'horizontal', path: '/t/1' },
        { kind: 'normalize', mean: [0.5], std: [0.25], path: '/t/2' },
      ],
      eval: [{ kind: 'normalize', mean: [0.5], std: [0.25], path: '/e/0' }],
    },
  },
  loss: { kind: 'cross_entropy', label_smoothing: 0.1 },
  optimizer: { kind: 'sgd', learning_rate: 0.1, weight_decay: 0.0005, momentum: 0.9, nesterov: false },
  schedule: { kind: 'cosine', min_lr: 0.001, warmup_epochs: 1 },
  train: { epochs: 3, early_stopping: { monitor: 'val_loss', patience: 5, min_delta: 0 }, checkpoint: { every_epochs: 1, keep_best: true, monitor: 'val_accuracy' } },
  metrics: [{ kind: 'accuracy' }, { kind: 'top_k_accuracy', k: 2 }],
};

interface Out {
  stderr: string;
  run_dir: string;
  history: EpochRecord[];
  stop: string;
  step: number;
  weights: Record<string, number[]>;
}

let runs = 0;
/** Runs the fixture (nproc > 1: through dlc_runtime.launch) and returns rank 0's output. */
function trainTiny(cfg: Record<string, unknown>, nproc = 1): Out {
  const name = `run${runs++}`;
  const out = join(tmp, `${name}.json`);
  const cfgFile = join(tmp, `${name}.cfg.json`);
  writeFileSync(cfgFile, JSON.stringify({ spec: SPEC, runs: join(tmp, 'runs'), out, ...cfg }));
  const args = nproc > 1 ? ['-m', 'dlc_runtime.launch', '--nproc', String(nproc), SCRIPT, cfgFile] : [SCRIPT, cfgFile];
  const r = spawnSync(PYTHON!, args, { encoding: 'utf8', env: { ...process.env, PYTHONPATH: RUNTIME_DIR, OMP_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' }, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`tiny_train failed (${r.status}): ${r.stderr}`);
  return existsSync(out) ? { ...(JSON.parse(readFileSync(out, 'utf8')) as Out), stderr: r.stderr } : ({ stderr: r.stderr } as unknown as Out);
}

function maxRelDiff(a: Record<string, number[]>, b: Record<string, number[]>): number {
  let m = 0;
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  for (const k of Object.keys(a)) a[k].forEach((x, i) => (m = Math.max(m, Math.abs(x - b[k][i]) / Math.max(Math.abs(x), 1e-2))));
  return m;
}

describe.skipIf(!PYTHON)('dlc_runtime.loop', () => {
  let whole: Out;

  it('writes dlc\'s run directory: files, fields, metrics.csv as dlc writes it', async () => {
    whole = trainTiny({ bn: true });
    expect(whole.stop).toBe('completed');
    expect(whole.step).toBe(9); // 80 training samples / 32 → 3 steps × 3 epochs
    const dir = whole.run_dir;
    for (const f of ['spec.yaml', 'ir.json', 'run.json', 'metrics.jsonl', 'metrics.csv', 'report.json', 'confusion_matrix.csv', 'checkpoints/last/state.json', 'checkpoints/best/state.json']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as EpochRecord);
    expect(lines).toEqual(whole.history);
    expect(Object.keys(lines[0])).toEqual(['epoch', 'step', 'lr', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'val_f1', 'seconds', 'samples_per_second']);
    // dlc's own writer on the same records gives the same metrics.csv, byte for byte.
    const ref = join(tmp, 'ref');
    mkdirSync(ref, { recursive: true });
    await writeEpochRecords(ref, whole.history);
    expect(readFileSync(join(dir, 'metrics.csv'), 'utf8')).toBe(readFileSync(join(ref, 'metrics.csv'), 'utf8'));
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(Object.keys(run).sort()).toEqual(['backend', 'backendReason', 'classNames', 'name', 'started']);
    expect(run.classNames).toEqual(['0', '1', '2']);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    for (const k of ['name', 'split', 'checkpoint', 'backend', 'epochs', 'global_step', 'stop_reason', 'train_seconds', 'samples', 'loss', 'accuracy', 'top_k_accuracy', 'macro', 'per_class', 'confusion']) {
      expect(report, k).toHaveProperty(k);
    }
    expect(report.samples).toBe(30);
    expect(report.top_k_accuracy['2']).toBeGreaterThanOrEqual(report.accuracy);
    const state = JSON.parse(readFileSync(join(dir, 'checkpoints/last/state.json'), 'utf8'));
    expect(state).toMatchObject({ format: 'dlc-checkpoint/1', epoch: 3, globalStep: 9, optimizerKind: 'sgd', schedule: { kind: 'cosine' }, rng: { seed: 7, epoch: 3, step: 9 } });
    expect(state.earlyStopping.monitor).toBe('val_loss');
    // The learning rate follows the schedule (warmup over epoch 1, cosine to min_lr at the last step).
    expect(whole.history[2].lr).toBe(0.001);
    // The epoch lines are dlc's (its summaryLine on the same records; *best when val_accuracy improved).
    const { summaryLine } = await import('../../../src/runtime/train/loop.js');
    let best = -Infinity;
    const want = whole.history.map((h) => {
      const improved = h.val_accuracy! > best;
      if (improved) best = h.val_accuracy!;
      return summaryLine(h, 3, improved);
    });
    expect(whole.stderr.split('\n').filter((l) => l.startsWith('epoch '))).toEqual(want);
  });

  it('stops on a non-finite loss as dlc does: no update, no test evaluation, stop_reason and message in report.json', () => {
    const r = trainTiny({ bn: false, spec: { ...SPEC, name: 'blowup', optimizer: { ...SPEC.optimizer, learning_rate: 1e12, weight_decay: 0 }, schedule: { kind: 'constant', warmup_epochs: 0 } } });
    expect(r.stop).toBe('non_finite_loss');
    const report = JSON.parse(readFileSync(join(r.run_dir, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ stop_reason: 'non_finite_loss', backend: 'torch' });
    expect(report.message).toMatch(/^stopped: the training loss became (NaN|Infinity|-Infinity) at epoch \d+, step \d+ \(learning rate 1\.00e\+12\); .*Try a lower learning_rate or gradient clipping \(clip_norm\)\.$/);
    expect(report).not.toHaveProperty('accuracy');
    expect(r.weights['net.1.weight'].every(Number.isFinite)).toBe(true);
  });

  it('a run killed after epoch 2 and resumed ends with exactly the uninterrupted weights', () => {
    const killed = trainTiny({ bn: true, kill_after: 2 });
    expect(killed.run_dir).toBeUndefined();
    // The killed run's directory: the one under runs/tiny that is not the first run's.
    const base = join(tmp, 'runs', 'tiny');
    const newest = readdirSync(base).map((d) => join(base, d)).filter((d) => d !== whole.run_dir).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
    expect(JSON.parse(readFileSync(join(newest, 'checkpoints/last/state.json'), 'utf8')).epoch).toBe(2);
    const resumed = trainTiny({ bn: true, resume: newest });
    expect(resumed.run_dir).toBe(newest);
    expect(resumed.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(resumed.weights).toEqual(whole.weights);
    expect(resumed.history.map((h) => h.loss)).toEqual(whole.history.map((h) => h.loss));
  });

  it('2 DDP processes (gloo, CPU sync batch norm) killed after epoch 2, resumed by 1 process, reach the 1-process weights within 1e-5', () => {
    const killed = trainTiny({ bn: true, kill_after: 2 }, 2);
    expect(killed.run_dir).toBeUndefined();
    const base = join(tmp, 'runs', 'tiny');
    const known = new Set([whole.run_dir, ...readdirSync(base).map((d) => join(base, d)).filter((d) => existsSync(join(d, 'report.json')))]);
    const ddpDir = readdirSync(base).map((d) => join(base, d)).filter((d) => !known.has(d))[0];
    const state = JSON.parse(readFileSync(join(ddpDir, 'checkpoints/last/state.json'), 'utf8'));
    expect(state).toMatchObject({ epoch: 2, globalStep: 6 });
    const ddpEpochs = readFileSync(join(ddpDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((x) => JSON.parse(x) as EpochRecord);
    ddpEpochs.forEach((h, i) => expect(Math.abs(h.loss - whole.history[i].loss) / whole.history[i].loss, `epoch ${h.epoch}`).toBeLessThan(1e-5));
    const resumed = trainTiny({ bn: true, resume: ddpDir });
    expect(resumed.step).toBe(whole.step);
    expect(maxRelDiff(whole.weights, resumed.weights)).toBeLessThan(1e-5);
    // The batch-norm statistics moved (the sync path ran and was restored).
    expect(resumed.weights['net.2.running_mean'].some((v) => v !== 0)).toBe(true);
  });
});
