/**
 * steps.jsonl of a torch run: dlc_runtime.rundir.append_steps writes dlc's StepRow lines
 * ({step, loss, lr, epoch}, what src/report reads), replaces the lines of a redone epoch (resume)
 * as report/run-hook.ts appendSteps does, and the CLI's per-epoch report hook — which sees no
 * steps for a torch run — leaves the Python-written file alone.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJsonl, type StepRow } from '../../../src/report/run-data.js';
import { appendSteps } from '../../../src/report/run-hook.js';
import { PYTHON, runPython } from './python.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlc-torch-steps-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!PYTHON)('steps.jsonl of torch runs', () => {
  it('has dlc step rows, replaces a redone epoch, and survives the CLI report hook', async () => {
    const file = join(tmp, 'steps.jsonl');
    const py = (epochs: { epoch: number; steps: { step: number; loss: number; lr: number }[] }[]) =>
      runPython(
        `from dlc_runtime.rundir import append_steps
for e in INPUT['epochs']:
    append_steps(INPUT['dir'], e['epoch'], e['steps'])
print('null')`,
        { dir: tmp, epochs },
      );
    py([
      { epoch: 1, steps: [{ step: 1, loss: 2.5, lr: 0.1 }, { step: 2, loss: 2.25, lr: 0.05 }] },
      { epoch: 2, steps: [{ step: 3, loss: 2, lr: 0.025 }] },
    ]);
    const rows = () => parseJsonl<StepRow>(readFileSync(file, 'utf8'));
    expect(rows()).toEqual([
      { step: 1, loss: 2.5, lr: 0.1, epoch: 1 },
      { step: 2, loss: 2.25, lr: 0.05, epoch: 1 },
      { step: 3, loss: 2, lr: 0.025, epoch: 2 },
    ]);
    const before = readFileSync(file, 'utf8');
    // The CLI's reporter gets no onStep from a torch run: its per-epoch call must not drop the epoch's lines.
    await appendSteps(tmp, 2, []);
    expect(readFileSync(file, 'utf8')).toBe(before);
    // A resumed run redoes epoch 2: its lines (and later ones) are replaced.
    py([{ epoch: 2, steps: [{ step: 3, loss: 1.5, lr: 0.025 }, { step: 4, loss: 1.25, lr: 0.02 }] }]);
    expect(rows().map((r) => [r.step, r.epoch, r.loss])).toEqual([[1, 1, 2.5], [2, 1, 2.25], [3, 2, 1.5], [4, 2, 1.25]]);
  });
});
