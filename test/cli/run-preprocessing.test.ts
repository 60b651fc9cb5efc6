/**
 * `dlc run SPEC --preprocessing FILE` on a tiny text folder and a tiny table this test writes: a
 * run encodes its data with FILE and saves FILE's bytes as its preprocessing.json; a FILE that is
 * missing, malformed, of another kind or made with other settings fails before any run directory
 * exists, naming FILE and what differs; `--initial-weights RUN/checkpoints/best` without it warns
 * when RUN's preprocessing differs from the fitted one. `--backend torch` hands FILE to train.py.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { PYTHON } from '../codegen/pytorch/python.js';
import { fakeIO } from '../report/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dlc-run-pre-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A folder per class; `words` picks each class's vocabulary, so two folders can fit two vocabularies. */
function textFolder(name: string, words: Record<string, string[]>): void {
  for (const [cls, ws] of Object.entries(words)) {
    mkdirSync(join(dir, name, cls), { recursive: true });
    for (let i = 0; i < 12; i++) writeFileSync(join(dir, name, cls, `${i}.txt`), `${ws[i % 4]} ${ws[(i + 1) % 4]} ${ws[(i + 2) % 4]}`);
  }
}

textFolder('old', { ham: ['meeting', 'notes', 'lunch', 'project'], spam: ['win', 'cash', 'free', 'prize'] });
textFolder('new', { ham: ['agenda', 'notes', 'review', 'project'], spam: ['bonus', 'cash', 'offer', 'prize'] });

function textSpec(folder: string, maxLength = 4): string {
  return `name: t\nseed: 1\ndata:\n  dataset: text\n  path: ${join(dir, folder)}\n  vocab_size: 10\n  max_length: ${maxLength}\n  validation_split: 0\n  batch_size: 8\nmodel:\n  layers:\n    - embedding: {input_dim: 12, output_dim: 4}\n    - global_avg_pool1d: {}\n    - dense: {units: 2}\nloss: cross_entropy\noptimizer: {adam: {learning_rate: 0.1}}\ntrain: {epochs: 1}\nmetrics: [accuracy]\n`;
}

writeFileSync(join(dir, 'old.yaml'), textSpec('old'));
writeFileSync(join(dir, 'new.yaml'), textSpec('new'));
writeFileSync(join(dir, 'new-long.yaml'), textSpec('new', 6));
writeFileSync(join(dir, 'rows.csv'), ['x,y', ...Array.from({ length: 24 }, (_, i) => `${i},${i % 2 ? 'a' : 'b'}`)].join('\n'));
const TABLE = `name: tab\nseed: 1\ndata:\n  dataset: csv\n  path: ${join(dir, 'rows.csv')}\n  features: [x]\n  target: y\n  validation_split: 0\n  batch_size: 8\nmodel:\n  layers:\n    - dense: {units: 2}\nloss: cross_entropy\noptimizer: {sgd: {learning_rate: 0.1}}\ntrain: {epochs: 1}\n`;
writeFileSync(join(dir, 'table.yaml'), TABLE);
writeFileSync(join(dir, 'images.yaml'), `name: img\nseed: 1\ndata:\n  dataset: synthetic\n  synthetic: {train_samples: 16, test_samples: 8, shape: [4, 4, 1], classes: 2}\n  validation_split: 0\n  batch_size: 8\nmodel:\n  layers:\n    - flatten\n    - dense: {units: 2}\nloss: cross_entropy\noptimizer: {sgd: {learning_rate: 0.1}}\ntrain: {epochs: 1}\n`);

async function run(args: string[]): Promise<{ code: number; err: string; runDir?: string }> {
  const io = fakeIO(dir);
  const runs = join(dir, args[0].replace('.yaml', '-runs'));
  const before = existsSync(runs) ? readdirSync(runs, { recursive: true }).length : 0;
  const code = await main(['run', ...args, '--backend', 'cpu', '--replicas', '1', '--no-report', '--runs-dir', runs], io);
  if (code !== 0) {
    // A refused FILE leaves nothing behind.
    expect(existsSync(runs) ? readdirSync(runs, { recursive: true }).length : 0, io.err()).toBe(before);
    return { code, err: io.err() };
  }
  const name = readdirSync(runs)[0];
  const latest = readdirSync(join(runs, name)).sort().at(-1)!;
  return { code, err: io.err(), runDir: join(runs, name, latest) };
}

describe('dlc run --preprocessing FILE', () => {
  it('encodes with FILE and saves its bytes; --initial-weights from a run with another vocabulary warns unless it is given', async () => {
    const old = await run(['old.yaml']);
    expect(old.code, old.err).toBe(0);
    const oldFile = join(old.runDir!, 'preprocessing.json');
    const weights = join(old.runDir!, 'checkpoints', 'best');

    // The new texts fit another vocabulary: warm-starting from the old run's embedding rows without its vocabulary is warned about.
    const warned = await run(['new.yaml', '--initial-weights', weights]);
    expect(warned.code, warned.err).toBe(0);
    expect(warned.err).toContain(`warning: the initial weights come from a run whose preprocessing ${oldFile} differs from the one this run fitted (vocabulary); pass --preprocessing ${oldFile}`);
    // A warning, not a failure: the run fitted and saved its own vocabulary.
    expect(JSON.parse(readFileSync(join(warned.runDir!, 'preprocessing.json'), 'utf8')).vocab).toContain('agenda');

    // FILE rewritten compactly: the new run's preprocessing.json is FILE byte for byte, not a re-serialisation.
    const compact = join(dir, 'old-compact.json');
    writeFileSync(compact, JSON.stringify(JSON.parse(readFileSync(oldFile, 'utf8'))));
    const given = await run(['new.yaml', '--initial-weights', weights, '--preprocessing', compact]);
    expect(given.code, given.err).toBe(0);
    expect(given.err).not.toContain('warning:');
    expect(given.err).toContain("the run's saved vocabulary (8 tokens) is used");
    expect(readFileSync(join(given.runDir!, 'preprocessing.json'), 'utf8')).toBe(readFileSync(compact, 'utf8'));

    // Same preprocessing as the weights' run: no warning.
    const same = await run(['old.yaml', '--initial-weights', weights]);
    expect(same.code, same.err).toBe(0);
    expect(same.err).not.toContain('warning:');

    // Other settings (max_length): refused before a run directory, naming FILE and the setting.
    const long = await run(['new-long.yaml', '--preprocessing', oldFile]);
    expect(long.code).toBe(2);
    expect(long.err).toContain(`--preprocessing ${oldFile}: the given preprocessing has max_length 4, but this spec's data.max_length is 6`);

    // A text preprocessing for a table spec, and any FILE for an image spec.
    const table = await run(['table.yaml', '--preprocessing', oldFile]);
    expect(table.code).toBe(2);
    expect(table.err).toContain(`--preprocessing ${oldFile}: it is a text preprocessing, but this spec's csv data needs a table one`);
    const images = await run(['images.yaml', '--preprocessing', oldFile]);
    expect(images.code).toBe(2);
    expect(images.err).toContain(`--preprocessing ${oldFile}: the spec's data set synthetic has no preprocessing`);
  }, 120_000);

  it('a missing or malformed FILE, or one with other columns, is named before a run directory exists', async () => {
    const missing = await run(['table.yaml', '--preprocessing', 'none.json']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`cannot read the preprocessing file ${join(dir, 'none.json')}: no such file`);
    writeFileSync(join(dir, 'bad.json'), '{"kind": "table",');
    const bad = await run(['table.yaml', '--preprocessing', 'bad.json']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(`${join(dir, 'bad.json')} is not JSON`);
    writeFileSync(join(dir, 'cols.json'), JSON.stringify({ kind: 'table', columns: [{ column: 'z', type: 'numeric', mean: 0, std: 1 }], target: 'y', targetType: 'class', classes: ['a', 'b'], width: 1 }));
    const cols = await run(['table.yaml', '--preprocessing', 'cols.json']);
    expect(cols.code).toBe(2);
    expect(cols.err).toContain(`--preprocessing ${join(dir, 'cols.json')}: the given preprocessing encodes the columns z, but the spec's features are x`);

    const io = fakeIO(dir);
    expect(await main(['run', '--resume', 'somewhere', '--preprocessing', 'cols.json'], io)).toBe(2);
    expect(io.err()).toContain('--preprocessing and --resume exclude each other');
  }, 60_000);

  it.skipIf(!PYTHON)('--backend torch hands FILE to train.py: its run saves FILE; another kind is refused before Python starts', async () => {
    const first = await run(['table.yaml']);
    expect(first.code, first.err).toBe(0);
    // An edited mean, so a run that fitted its own would not save the same file.
    const edited = JSON.parse(readFileSync(join(first.runDir!, 'preprocessing.json'), 'utf8')) as { columns: { mean: number }[] };
    edited.columns[0].mean += 5;
    const file = join(dir, 'edited-table.json');
    writeFileSync(file, `${JSON.stringify(edited, null, 2)}\n`);
    const io = fakeIO(dir);
    const runs = join(dir, 'torch-runs');
    expect(await main(['run', 'table.yaml', '--backend', 'torch', '--python', PYTHON!, '--device', 'cpu', '--no-report', '--runs-dir', runs, '--preprocessing', file], io), io.err()).toBe(0);
    const runDir = join(runs, 'tab', readdirSync(join(runs, 'tab')).sort()[0]);
    expect(readFileSync(join(runDir, 'preprocessing.json'), 'utf8')).toBe(readFileSync(file, 'utf8'));

    // Weights from that run on shifted rows: train.py fits other statistics, and the warning names the run's file.
    writeFileSync(join(dir, 'shifted.csv'), ['x,y', ...Array.from({ length: 24 }, (_, i) => `${i + 50},${i % 2 ? 'a' : 'b'}`)].join('\n'));
    writeFileSync(join(dir, 'shifted.yaml'), TABLE.replace(join(dir, 'rows.csv'), join(dir, 'shifted.csv')));
    const warm = fakeIO(dir);
    const weights = join(first.runDir!, 'checkpoints', 'best');
    expect(await main(['run', 'shifted.yaml', '--backend', 'torch', '--python', PYTHON!, '--device', 'cpu', '--no-report', '--runs-dir', runs, '--initial-weights', weights], warm), warm.err()).toBe(0);
    const firstFile = join(first.runDir!, 'preprocessing.json');
    expect(warm.err()).toContain(`warning: the initial weights come from a run whose preprocessing ${firstFile} differs from the one this run fitted (input scaling or categories); pass --preprocessing ${firstFile}`);

    // Other columns: train.py refuses it, naming FILE, before its run directory.
    const cols = join(dir, 'torch-cols.json');
    writeFileSync(cols, JSON.stringify({ ...edited, columns: [{ column: 'z', type: 'numeric', mean: 0, std: 1 }] }));
    const refused = fakeIO(dir);
    expect(await main(['run', 'table.yaml', '--backend', 'torch', '--python', PYTHON!, '--device', 'cpu', '--no-report', '--runs-dir', join(dir, 'torch-cols-runs'), '--preprocessing', cols], refused)).toBe(2);
    expect(refused.err()).toContain(`the saved preprocessing encodes the columns z, but the spec's features are x (--preprocessing ${cols})`);
    expect(existsSync(join(dir, 'torch-cols-runs'))).toBe(false);

    const text = fakeIO(dir);
    expect(await main(['run', 'old.yaml', '--backend', 'torch', '--python', PYTHON!, '--no-report', '--runs-dir', join(dir, 'torch-text-runs'), '--preprocessing', file], text)).toBe(2);
    expect(text.err()).toContain(`--preprocessing ${file}: it is a table preprocessing, but this spec's text data needs a text one`);
    expect(existsSync(join(dir, 'torch-text-runs'))).toBe(false);
  }, 180_000);
});
