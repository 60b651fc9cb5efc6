/**
 * Successive halving in the sweep runner, with a stand-in for `dlc run` (a
 * module whose `main` writes a run directory whose val_loss is the learning
 * rate / epoch), so the rung logic is checked in a second, without training:
 * rungs of 1, 2, 4 epochs, the best half going on each time by resuming its
 * own run, the rest pruned and kept in the summary.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandTrials } from '../../src/sweep/space.js';
import { runSweep, type TrialState } from '../../src/sweep/runner.js';
import { summarize } from '../../src/sweep/summary.js';

const FAKE_RUN = `import { promises as fs } from 'node:fs';
import * as path from 'node:path';
export async function main(args) {
  const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const epochs = Number(opt('--epochs'));
  let dir = opt('--resume');
  let lr;
  const calls = [];
  if (dir) {
    const state = JSON.parse(await fs.readFile(path.join(dir, 'state.json'), 'utf8'));
    lr = state.lr;
    calls.push(...state.calls);
  } else {
    const sets = args.flatMap((a, i) => (args[i - 1] === '--set' ? [a] : []));
    lr = Number(sets.find((s) => s.startsWith('lr=')).slice(3));
    dir = path.join(opt('--runs-dir'), 'fake', 'stamp');
    await fs.mkdir(path.join(dir, 'checkpoints', 'last'), { recursive: true });
    await fs.writeFile(path.join(dir, 'spec.yaml'), 'name: fake\\n');
  }
  if (args.includes('--set') && args.includes('--resume')) throw new Error('--set with --resume');
  calls.push(args.includes('--resume') ? 'resume:' + epochs : 'new:' + epochs);
  const lines = Array.from({ length: epochs }, (_, e) => JSON.stringify({ epoch: e + 1, val_loss: lr / (e + 1) }) + '\\n');
  await fs.writeFile(path.join(dir, 'metrics.jsonl'), lines.join(''));
  await fs.writeFile(path.join(dir, 'report.json'), JSON.stringify({ accuracy: 1 - lr, loss: lr / epochs }));
  await fs.writeFile(path.join(dir, 'state.json'), JSON.stringify({ lr, calls }));
  return 0;
}
`;

let dir: string;

describe('successive halving', () => {
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dlc-halving-'));
    await fs.writeFile(path.join(dir, 'fake-run.mjs'), FAKE_RUN);
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('trains everyone min_epochs, keeps the best 1/eta per rung, resumes the survivors up to train.epochs', async () => {
    const config = { method: 'grid' as const, parameters: { lr: { values: [0.4, 0.1, 0.3, 0.2] } }, monitor: 'val_loss', halving: { min_epochs: 1, eta: 2 } };
    const trials = expandTrials(config, 0);
    const sweepDir = path.join(dir, 'sweep');
    const log: string[] = [];
    const opts = { specPath: path.join(dir, 'spec.yaml'), sweepDir, config, trials, parallel: 2, runArgs: ['--set', 'seed=1'], epochs: 4, entry: path.join(dir, 'fake-run.mjs'), log: (l: string) => log.push(l) };
    const states = await runSweep(opts);
    const by = (id: string): TrialState => states.find((s) => s.id === id)!;
    // lr 0.1 (t001) is best throughout, lr 0.2 (t003) second: rungs of 1, 2 and 4 epochs.
    expect(states.map((s) => [s.id, s.status, s.epochs])).toEqual([
      ['t000', 'pruned', 1],
      ['t001', 'done', 4],
      ['t002', 'pruned', 1],
      ['t003', 'pruned', 2],
    ]);
    const calls = async (s: TrialState): Promise<string[]> => (JSON.parse(await fs.readFile(path.join(sweepDir, s.run!, 'state.json'), 'utf8')) as { calls: string[] }).calls;
    expect(await calls(by('t001'))).toEqual(['new:1', 'resume:2', 'resume:4']);
    expect(await calls(by('t003'))).toEqual(['new:1', 'resume:2']);
    expect(log.filter((l) => l.startsWith('rung'))).toEqual([
      'rung 1/3 (1 epochs): 4 trials to run, 0 already finished',
      'rung 2/3 (2 epochs): 2 trials to run, 0 already finished',
      'rung 3/3 (4 epochs): 1 trial to run, 0 already finished',
    ]);
    const s = await summarize(sweepDir, states, 'val_loss', 'min');
    expect(s.rows.map((r) => [r.trial, r.status, r.metric])).toEqual([
      ['t001', 'done', 0.1 / 4],
      ['t003', 'pruned', 0.2 / 2],
      ['t002', 'pruned', 0.3],
      ['t000', 'pruned', 0.4],
    ]);
    expect(s.best).toBe('t001');

    // Running it again does nothing: every trial is finished (done or pruned).
    const again: string[] = [];
    expect(await runSweep({ ...opts, log: (l) => again.push(l) })).toEqual(states);
    expect(again.filter((l) => / started/.test(l))).toEqual([]);
  });
});
