/**
 * runTorch (what `dlc run --backend torch` calls): emits the project into a cache directory
 * (once per IR), runs it with --progress json, streams its events and resolves with the
 * result; a missing interpreter or torch is a TorchUnavailable naming what to install.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emitCached, findTorchPython, runTorch, TorchUnavailable, type TorchEvent } from '../../../src/codegen/pytorch/run.js';
import { compile } from '../../../src/compiler/compile.js';
import type { IR } from '../../../src/compiler/ir.js';
import { PYTHON } from './python.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlc-torch-runner-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SPEC = `
name: runner
data:
  dataset: synthetic
  synthetic: {train_samples: 60, test_samples: 20, shape: [4, 4, 1], classes: 2}
  batch_size: 16
model:
  layers:
    - flatten
    - dense: {units: 2}
optimizer: {adam: {learning_rate: 0.01}}
train: {epochs: 2}
`;

describe('runTorch', () => {
  it('says what to install when the interpreter or torch is missing', () => {
    expect(() => findTorchPython('/nonexistent/python3')).toThrow(TorchUnavailable);
    expect(() => findTorchPython('/nonexistent/python3')).toThrow(/--python or DLC_PYTHON/);
    // A Python that cannot import torch (here: one that cannot even find its standard library).
    if (PYTHON) expect(() => findTorchPython(PYTHON, { PYTHONNOUSERSITE: '1', PYTHONPATH: '', PYTHONHOME: '/nonexistent' })).toThrow(TorchUnavailable);
  });

  it.skipIf(!PYTHON)('emits once per IR, runs, streams events and returns the result', async () => {
    const ir = compile(SPEC, { file: 'runner.yaml' }).ir as IR;
    expect(ir).toBeDefined();
    const cache = join(tmp, 'cache');
    const a = emitCached(ir, { specFile: 'runner.yaml' }, cache);
    expect(emitCached(ir, { specFile: 'runner.yaml' }, cache)).toBe(a);
    const events: TorchEvent[] = [];
    const done = await runTorch(ir, { origin: { specFile: 'runner.yaml' }, cacheDir: cache, python: PYTHON, device: 'cpu', runsDir: join(tmp, 'runs'), onEvent: (e) => events.push(e), env: { OMP_NUM_THREADS: '1' } });
    expect(done.stop_reason).toBe('completed');
    expect(done.run_dir.startsWith(join(tmp, 'runs', 'runner'))).toBe(true);
    expect(readdirSync(done.run_dir)).toEqual(expect.arrayContaining(['metrics.jsonl', 'report.json', 'run.json', 'ir.json', 'spec.yaml']));
    // 60 samples less the validation split, in batches of 16, for 2 epochs.
    const train = 60 - Math.round(60 * ir.spec.data.validation_split);
    expect(events.filter((e) => e.event === 'batch')).toHaveLength(2 * Math.ceil(train / 16));
    expect(events.filter((e) => e.event === 'epoch')).toHaveLength(2);
    expect(events.some((e) => e.event === 'log' && e.line.startsWith('backend: torch'))).toBe(true);
    expect(done.test_accuracy).toBeGreaterThanOrEqual(0);
  });
});
