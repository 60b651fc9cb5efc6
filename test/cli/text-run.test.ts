/**
 * A text spec end to end through the CLI on a folder this test writes: `dlc
 * run` trains (cpu) and saves the vocabulary (preprocessing.json), `dlc
 * predict RUN --text … --text-file …` prints each class with its probability
 * using that vocabulary, `dlc eval` re-encodes with it, a table run refuses --text with the reason, and
 * `dlc emit --target pytorch` refuses text data up front.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fakeIO } from '../report/helpers.js';

describe('text specs through the CLI', () => {
  it('dlc run saves the vocabulary; dlc predict --text / --text-file classifies with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlc-text-run-'));
    const words = { ham: ['meeting', 'notes', 'lunch', 'project', 'review'], spam: ['win', 'cash', 'free', 'prize', 'click'] };
    for (const [cls, ws] of Object.entries(words)) {
      mkdirSync(join(dir, 'mail', cls), { recursive: true });
      for (let i = 0; i < 24; i++) writeFileSync(join(dir, 'mail', cls, `${i}.txt`), `${ws[i % 5]} ${ws[(i + 2) % 5]} <b>${ws[(i + 3) % 5]}</b>`);
    }
    writeFileSync(
      join(dir, 'spec.yaml'),
      `name: t\nseed: 1\ndata:\n  dataset: text\n  path: ${join(dir, 'mail')}\n  strip_html: true\n  vocab_size: 12\n  max_length: 4\n  validation_split: 0\n  batch_size: 8\nmodel:\n  layers:\n    - embedding: {input_dim: 14, output_dim: 8}\n    - global_avg_pool1d: {}\n    - dense: {units: 2}\nloss: cross_entropy\noptimizer: {adam: {learning_rate: 0.1}}\ntrain: {epochs: 6}\nmetrics: [accuracy, f1]\n`,
    );
    const io = fakeIO(dir);
    expect(await main(['run', 'spec.yaml', '--backend', 'cpu', '--runs-dir', 'runs', '--no-report'], io), io.err()).toBe(0);
    const runDir = join(dir, 'runs', 't', readdirSync(join(dir, 'runs', 't'))[0]);
    const pre = JSON.parse(readFileSync(join(runDir, 'preprocessing.json'), 'utf8'));
    expect(pre).toMatchObject({ kind: 'text', tokenize: 'word', strip_html: true, max_length: 4, classes: ['ham', 'spam'] });
    expect([...pre.vocab].sort()).toEqual([...words.ham, ...words.spam].sort());
    expect(io.out()).toMatch(/accuracy/);

    writeFileSync(join(dir, 'mail.txt'), Buffer.from([0x77, 0x69, 0x6e, 0x20, 0x63, 0x61, 0x73, 0x68, 0x20, 0xff, 0x21])); // "win cash \xFF!"
    const p = fakeIO(dir);
    expect(await main(['predict', runDir, '--text', 'Lunch meeting: project <i>review</i>', '--text', 'zzz', '--text-file', 'mail.txt', '--backend', 'cpu', '--json'], p), p.err()).toBe(0);
    const got = JSON.parse(p.out()) as { input: string; classes: { className: string; probability: number }[]; outOfVocabulary: number }[];
    expect(got.map((g) => g.input)).toEqual(['text 1', 'text 2', 'mail.txt']);
    for (const g of got) expect(g.classes.reduce((s, c) => s + c.probability, 0)).toBeCloseTo(1, 5);
    expect(got[0].classes[0].className).toBe('ham');
    expect(got[2].classes[0].className).toBe('spam');
    expect(got.map((g) => g.outOfVocabulary)).toEqual([0, 1, 1]);
    expect(p.err()).toContain('mail.txt: bytes that are not UTF-8 were read as U+FFFD');

    const t = fakeIO(dir);
    expect(await main(['predict', runDir, '--text', 'free prize, click now', '--backend', 'cpu'], t), t.err()).toBe(0);
    expect(t.out()).toMatch(/^text 1 \(1 token not in the vocabulary\)\n  spam\s+\d+\.\d\d%\n  ham\s+\d+\.\d\d%\n$/);

    // dlc eval re-loads the texts and encodes them with the saved vocabulary.
    const ev = fakeIO(dir);
    expect(await main(['eval', runDir, '--backend', 'cpu'], ev), ev.err()).toBe(0);
    expect(ev.err()).toContain("the run's saved vocabulary (10 tokens) is used");

    // The PyTorch target emits text specs too (its dlc_runtime/texts.py loads them as dlc does).
    const e = fakeIO(dir);
    expect(await main(['emit', 'spec.yaml', '--target', 'pytorch', '--out', 'py'], e), e.err()).toBe(0);
    expect(existsSync(join(dir, 'py', 'dlc_runtime', 'texts.py'))).toBe(true);
  }, 120_000);

  it('--text with a run that is not a text run names the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlc-text-run-'));
    mkdirSync(join(dir, 'run'));
    writeFileSync(join(dir, 'run', 'preprocessing.json'), JSON.stringify({ kind: 'table', columns: [], classes: [] }));
    const { readTextPreprocessing } = await import('../../src/runtime/train/predict-text.js');
    await expect(readTextPreprocessing(join(dir, 'run'))).rejects.toThrow('is a run of a table spec; --text needs a run of a text spec');
    await expect(readTextPreprocessing(join(dir, 'nothing'))).rejects.toThrow('has no readable preprocessing.json (only runs of a text spec can predict texts)');
  });
});
