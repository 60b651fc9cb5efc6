/**
 * A csv spec trains end to end (compile → load → train on cpu) and the run
 * directory holds the fitted preprocessing (preprocessing.json: the training
 * rows' means and stds, the categories, the classes), which predictRows
 * (`dlc predict RUN --row`) reads. Given a preprocessing file (`preprocessingFile`, dlc run
 * --preprocessing) a run encodes with it and saves its bytes.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../../src/compiler/compile.js';
import { predictRows } from '../../../src/runtime/train/predict-rows.js';
import { train } from '../../../src/runtime/train/train.js';

describe('csv runs', () => {
  it('train and save preprocessing.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlc-csv-run-'));
    const rows = Array.from({ length: 40 }, (_, i) => `${i},${i % 2 ? 'u' : 'v'},${i < 20 ? 'lo' : 'hi'}`);
    writeFileSync(join(dir, 't.csv'), ['x,c,y', ...rows].join('\n'));
    writeFileSync(
      join(dir, 'spec.yaml'),
      `name: t\nseed: 1\ndata:\n  dataset: csv\n  path: ${join(dir, 't.csv')}\n  features: [x, c]\n  target: y\n  validation_split: 0\n  batch_size: 8\nmodel:\n  layers:\n    - dense: {units: 2}\nloss: cross_entropy\noptimizer: {adam: {learning_rate: 0.1}}\ntrain: {epochs: 2}\n`,
    );
    const r = compileFile(join(dir, 'spec.yaml'));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const quiet = { write: () => true, isTTY: false };
    const res = await train(r.ir!, { backend: 'cpu', runsDir: join(dir, 'runs'), stdout: quiet, stderr: quiet, cacheDir: join(dir, 'cache') });
    const pre = JSON.parse(readFileSync(join(res.runDir, 'preprocessing.json'), 'utf8'));
    expect(pre.classes).toEqual(['hi', 'lo']);
    expect(pre.columns[1]).toMatchObject({ column: 'c', type: 'categorical', categories: ['u', 'v'] });
    // Train-split statistics: 32 of the 40 rows (stratified 20% test), not all 40 (mean 19.5).
    expect(pre.columns[0].mean).not.toBe(19.5);
    expect(pre.columns[0].std).toBeGreaterThan(10);
    expect(pre.width).toBe(3);

    // predict: rows encoded with the saved preprocessing; probabilities sum to 1; a bad cell names its row.
    const p = await predictRows(res.runDir, [{ x: '35', c: 'u' }, { x: '2', c: 'v' }], { backend: null, checkpoint: 'last' });
    expect(p.predictions).toHaveLength(2);
    for (const q of p.predictions) expect(q.classes!.reduce((s, c) => s + c.probability, 0)).toBeCloseTo(1, 5);
    expect(p.predictions[0].classes!.map((c) => c.className).sort()).toEqual(['hi', 'lo']);
    await expect(predictRows(res.runDir, [{ x: '1', c: 'u' }, { x: 'big', c: 'u' }], { backend: null, checkpoint: 'last' })).rejects.toThrow("row 2: column 'x' is numeric but holds 'big'");
    await expect(predictRows(res.runDir, [{ x: '1', c: 'w' }], { backend: null, checkpoint: 'last' })).rejects.toThrow("row 1: column 'c' has 'w', which is not one of its categories (u, v)");
  }, 60_000);

  it('train({ preprocessingFile }): encodes with the file, saves its bytes; a file for another target fails before the run directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlc-csv-run-'));
    writeFileSync(join(dir, 't.csv'), ['x,y', ...Array.from({ length: 30 }, (_, i) => `${i},${i < 15 ? 'lo' : 'hi'}`)].join('\n'));
    writeFileSync(
      join(dir, 'spec.yaml'),
      `name: t\nseed: 1\ndata:\n  dataset: csv\n  path: ${join(dir, 't.csv')}\n  features: [x]\n  target: y\n  validation_split: 0\n  batch_size: 8\nmodel:\n  layers:\n    - dense: {units: 2}\nloss: cross_entropy\noptimizer: {adam: {learning_rate: 0.1}}\ntrain: {epochs: 1}\n`,
    );
    const ir = compileFile(join(dir, 'spec.yaml')).ir!;
    const quiet = { write: () => true, isTTY: false };
    const opts = { backend: 'cpu' as const, stdout: quiet, cacheDir: join(dir, 'cache') };
    // A mean and std no fit would give, in a layout JSON.stringify would not write.
    const pre = { kind: 'table', columns: [{ column: 'x', type: 'numeric', mean: 100, std: 0.5 }], target: 'y', targetType: 'class', classes: ['hi', 'lo'], width: 1 };
    const file = join(dir, 'given.json');
    writeFileSync(file, JSON.stringify(pre, null, 4));
    const lines: string[] = [];
    const res = await train(ir, { ...opts, runsDir: join(dir, 'runs'), stderr: { write: (l: string) => (lines.push(l), true), isTTY: false }, preprocessingFile: file });
    expect(readFileSync(join(res.runDir, 'preprocessing.json'), 'utf8')).toBe(readFileSync(file, 'utf8'));
    expect(lines.join('')).toContain('the given preprocessing is used');

    writeFileSync(join(dir, 'other.json'), JSON.stringify({ ...pre, target: 'x' }));
    await expect(train(ir, { ...opts, runsDir: join(dir, 'other-runs'), stderr: quiet, preprocessingFile: join(dir, 'other.json') })).rejects.toThrow(
      `--preprocessing ${join(dir, 'other.json')}: the given preprocessing is for the target 'x', but this spec's is 'y'`,
    );
    expect(existsSync(join(dir, 'other-runs'))).toBe(false);
  }, 60_000);
});
