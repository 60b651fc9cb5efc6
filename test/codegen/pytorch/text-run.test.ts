/**
 * A text spec trained twice: `dlc run` (the runtime's train() on the cpu backend) and the emitted
 * PyTorch project's train.py, on a CSV text column this test writes (embedding → average pooling →
 * dense, Adam, 20 steps), both from dlc's initial weights. The Python project loads the texts with
 * dlc_runtime/texts.py, so it must see the same token ids in the same batches: every step's loss
 * within 1e-4 relative. Its run directory gets dlc's preprocessing.json (the same text), and
 * `dlc predict RUN --text` (predictTexts) on the torch run gives the probabilities the Python model
 * gives; `train.py --preprocessing FILE` trains with a given vocabulary instead of fitting one.
 * And runTorch (`dlc run --backend torch`) trains a `source: spam-assassin` spec on a mini corpus
 * in the data directory's node_modules, as dlc itself finds the package.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPytorch } from '../../../src/codegen/pytorch/index.js';
import { runTorch, type TorchEvent } from '../../../src/codegen/pytorch/run.js';
import { compile } from '../../../src/compiler/compile.js';
import type { IR } from '../../../src/compiler/ir.js';
import { modelFiles } from '../../../src/runtime/checkpoint/model-files.js';
import { buildModel, train } from '../../../src/runtime/train/index.js';
import { predictTexts } from '../../../src/runtime/train/predict-text.js';
import { PYTHON, runPython, writeFiles } from './python.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlc-torch-text-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const WORDS = ['free', 'prize', 'click', 'now', 'win', 'cash', 'meeting', 'lunch', 'report', 'build', 'review', 'team', 'the', 'a', 'for', 'today'];

/** 100 labelled texts: spam draws more from the first six words, ham from the next six; lengths 3–11 words. */
function corpus(): string {
  let s = 11;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rows = ['id,text,label'];
  for (let i = 0; i < 100; i++) {
    const spam = i % 3 === 0;
    const n = 3 + Math.floor(rnd() * 9);
    const words = Array.from({ length: n }, () => {
      const r = rnd();
      const pool = r < 0.6 ? (spam ? WORDS.slice(0, 6) : WORDS.slice(6, 12)) : WORDS;
      return pool[Math.floor(rnd() * pool.length)];
    });
    if (i % 7 === 0) words.push('<b>Unique' + i + '</b>!');
    rows.push(`${i},"${words.join(' ')}",${spam ? 'spam' : 'ham'}`);
  }
  return rows.join('\n') + '\n';
}

const spec = (csv: string) => `
name: texty
seed: 4
data:
  dataset: text
  path: ${csv}
  text_column: text
  target: label
  strip_html: true
  vocab_size: 14
  max_length: 8
  test_split: {ratio: 0.2}
  validation_split: 0.1
  batch_size: 16
model:
  layers:
    - embedding: {input_dim: 16, output_dim: 6}
    - global_avg_pool1d: {}
    - dense: {units: 8, activation: relu}
    - dense: {units: 2}
loss: cross_entropy
optimizer: {adam: {learning_rate: 0.02}}
train: {epochs: 4}
metrics: [accuracy, f1]
`;

const only = (dir: string) => join(dir, readdirSync(dir)[0]);

describe.skipIf(!PYTHON)('a text spec trains the same on dlc and on PyTorch', () => {
  it('20 Adam steps from the same weights: same losses; preprocessing.json; dlc predict --text on the torch run', async () => {
    const csv = join(tmp, 'mail.csv');
    writeFileSync(csv, corpus());
    const { ir, diagnostics } = compile(spec(csv), { file: 'texty.yaml' });
    expect(ir, JSON.stringify(diagnostics)).toBeDefined();
    const sink = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
    const dlcSteps: { step: number; loss: number }[] = [];
    await train(ir as IR, { backend: null, runsDir: join(tmp, 'dlc'), replicas: 1, progress: 'none', stdout: sink, stderr: sink, onStep: (st) => dlcSteps.push({ ...st }) });
    const dlcRun = only(join(tmp, 'dlc', 'texty'));
    // 80 training texts − 8 for validation = 72 → 5 batches of 16 per epoch, 4 epochs.
    expect(dlcSteps).toHaveLength(20);

    const project = join(tmp, 'project');
    writeFiles(project, renderPytorch(ir as IR, { specFile: 'texty.yaml' }));
    const m = buildModel(ir as IR, { seed: (ir as IR).spec.seed });
    const files = await modelFiles(m);
    m.dispose();
    const initial = join(tmp, 'initial');
    mkdirSync(initial, { recursive: true });
    writeFileSync(join(initial, 'model.json'), files.modelJson);
    writeFileSync(join(initial, 'weights.bin'), files.weights);
    const runTrain = (runs: string, extra: string[] = []) =>
      spawnSync(PYTHON!, ['train.py', '--device', 'cpu', '--runs-dir', runs, '--initial-weights', initial, '--data-dir', tmp, ...extra], {
        cwd: project,
        encoding: 'utf8',
        env: { ...process.env, OMP_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' },
        timeout: 120_000,
      });
    const r = runTrain(join(tmp, 'torch'));
    expect(r.status, r.stderr).toBe(0);
    const torchRun = only(join(tmp, 'torch', 'texty'));

    // The same vocabulary, options and classes, as the same JSON text.
    expect(readFileSync(join(torchRun, 'preprocessing.json'), 'utf8')).toBe(readFileSync(join(dlcRun, 'preprocessing.json'), 'utf8'));
    const steps = readFileSync(join(torchRun, 'steps.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; loss: number });
    expect(steps.map((st) => st.step)).toEqual(dlcSteps.map((st) => st.step));
    steps.forEach((st, i) => expect(Math.abs(st.loss - dlcSteps[i].loss) / dlcSteps[i].loss, `step ${st.step}: torch ${st.loss}, dlc ${dlcSteps[i].loss}`).toBeLessThan(1e-4));
    expect(dlcSteps[19].loss).toBeLessThan(dlcSteps[0].loss * 0.9); // it learnt something, so the comparison means something

    // dlc predict --text on the torch-trained run vs the Python model on the same texts.
    const texts = ['free prize click now', 'team meeting for lunch today', 'unknownword cash <i>win</i>', ''];
    const got = await predictTexts(torchRun, texts, { checkpoint: 'last', backend: null });
    const py = runPython<number[][]>(`
import os, sys
import torch
sys.path.insert(0, INPUT['project'])
from model import build_model
from dlc_runtime.texts import encode_texts
pre = json.load(open(os.path.join(INPUT['run'], 'preprocessing.json')))
model = build_model()
model.load_state_dict(torch.load(os.path.join(INPUT['run'], 'checkpoints', 'last', 'model.pt'), map_location='cpu'))
model.eval()
with torch.no_grad():
    p = torch.softmax(model(torch.from_numpy(encode_texts(pre, INPUT['texts']))), dim=1)
print(json.dumps(p.tolist()))
`, { project, run: torchRun, texts });
    got.predictions.forEach((pred, i) => {
      for (const c of pred.classes) expect(Math.abs(c.probability - py[i][['ham', 'spam'].indexOf(c.className)]), `text ${i} ${c.className}`).toBeLessThan(1e-5);
    });
    expect(got.predictions[0].classes[0].className).toBe('spam');
    expect(got.predictions[2].outOfVocabulary).toBeGreaterThan(0);

    // --preprocessing FILE: a given vocabulary (here reversed) is used instead of a fitted one, and saved with the run.
    const given = JSON.parse(readFileSync(join(dlcRun, 'preprocessing.json'), 'utf8')) as { vocab: string[] };
    given.vocab.reverse();
    const givenFile = join(tmp, 'given.json');
    writeFileSync(givenFile, JSON.stringify(given));
    const r2 = runTrain(join(tmp, 'torch2'), ['--epochs', '1', '--preprocessing', givenFile]);
    expect(r2.status, r2.stderr).toBe(0);
    expect(r2.stderr).toContain("the run's saved vocabulary (14 tokens) is used");
    const saved = JSON.parse(readFileSync(join(only(join(tmp, 'torch2', 'texty')), 'preprocessing.json'), 'utf8')) as { vocab: string[] };
    expect(saved.vocab).toEqual(given.vocab);
  }, 180_000);

  it('dlc run --backend torch trains source: spam-assassin from the corpus dlc would read', async () => {
    const root = join(tmp, 'spam-root');
    const data = join(root, 'node_modules', '@stdlib', 'datasets-spam-assassin', 'data');
    const list: string[] = [];
    for (let i = 0; i < 12; i++) {
      const spam = i % 2 === 0;
      const rel = `${spam ? 'spam-1' : 'easy-ham-1'}/${String(i).padStart(5, '0')}.x.txt`;
      mkdirSync(join(data, rel, '..'), { recursive: true });
      writeFileSync(join(data, rel), `From a@b  Thu\nX-Spam-Status: ${spam ? 'Yes' : 'No'}\nSubject: ${spam ? 'WIN cash' : 'Re: meeting'} ${i}\n\n${spam ? 'free prize click now' : 'the report for the team'} ${i % 4 === 0 ? '' : i}\n`);
      list.push(rel);
    }
    list.push(list[0]); // the same file twice: a duplicate
    writeFileSync(join(data, 'file_list.json'), JSON.stringify(list));
    const { ir } = compile(`
name: minispam
seed: 1
data: {dataset: text, source: spam-assassin, vocab_size: 20, max_length: 6, test_split: {ratio: 0.25}, validation_split: 0, batch_size: 4}
model:
  layers:
    - embedding: {input_dim: 22, output_dim: 4}
    - global_avg_pool1d: {}
    - dense: {units: 2}
optimizer: {adam: {learning_rate: 0.05}}
train: {epochs: 1}
`, { file: 'minispam.yaml' });
    expect(ir).toBeDefined();
    const events: TorchEvent[] = [];
    const done = await runTorch(ir as IR, { origin: { specFile: 'minispam.yaml' }, cacheDir: join(tmp, 'cache'), python: PYTHON, device: 'cpu', runsDir: join(tmp, 'spam-runs'), dataDir: root, onEvent: (e) => events.push(e), env: { OMP_NUM_THREADS: '1' } });
    expect(done.stop_reason).toBe('completed');
    const logs = events.flatMap((e) => (e.event === 'log' ? [e.line] : []));
    expect(logs).toContain('spam-assassin: 13 mails, 1 duplicates (the same tokens of subject + body) removed, 0 not valid UTF-8 (read as U+FFFD)');
    expect(logs.join('\n')).toContain('spam-assassin: 8 training and 4 test texts'); // 6 + 6 mails, round(6 × 0.25) = 2 of each class to test
    const pre = JSON.parse(readFileSync(join(done.run_dir, 'preprocessing.json'), 'utf8')) as { kind: string; classes: string[]; vocab: string[] };
    expect(pre).toMatchObject({ kind: 'text', classes: ['ham', 'spam'] });
    expect(pre.vocab).not.toContain('yes'); // the X-Spam-Status header is not read
  }, 120_000);
});
