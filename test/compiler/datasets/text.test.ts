/**
 * dlc check on text specs: the input is int32 token ids [max_length] with the
 * classes of the source; an embedding reading them must cover vocab_size + 2
 * ids (DLC132 at its input_dim, with the fix); a table's text/label column
 * that the header lacks is DLC130 at its key with did-you-mean.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../../src/compiler/compile.js';

function project(dataYaml: string, inputDim: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'dlc-text-check-'));
  writeFileSync(join(dir, 'mail.csv'), 'body,label\nhello,ham\nwin,spam\n');
  for (const c of ['neg', 'pos']) {
    mkdirSync(join(dir, 'folder', c), { recursive: true });
    writeFileSync(join(dir, 'folder', c, 'a.txt'), 'x');
  }
  const spec = `name: t\ndata:\n  dataset: text\n${dataYaml}\nmodel:\n  layers:\n    - embedding: {input_dim: ${inputDim}, output_dim: 4}\n    - global_avg_pool1d: {}\n    - dense: {units: 2}\nloss: cross_entropy\noptimizer: {adam: {learning_rate: 0.01}}\ntrain: {epochs: 1}\n`;
  writeFileSync(join(dir, 'spec.yaml'), spec);
  return join(dir, 'spec.yaml');
}

describe('text data in dlc check', () => {
  it('knows the int32 [max_length] input and the classes of a table, a folder and the corpus', () => {
    const table = compileFile(project('  path: mail.csv\n  text_column: body\n  target: label\n  vocab_size: 50\n  max_length: 7', 52));
    expect(table.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect([table.ir!.inputShape, table.ir!.inputDType, table.ir!.numClasses]).toEqual([[7], 'int32', 2]);
    const folder = compileFile(project(`  path: ${join('folder')}\n  vocab_size: 50`, 52));
    expect(folder.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(folder.ir!.inputShape).toEqual([200]);
    const corpus = compileFile(project('  source: spam-assassin\n  vocab_size: 50\n  max_length: 9', 52));
    expect(corpus.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(corpus.ir!.inputShape).toEqual([9]);
  });

  it('DLC132: an embedding smaller than vocab_size + 2 ids, at its input_dim, with the fix', () => {
    const r = compileFile(project('  source: spam-assassin\n  vocab_size: 50', 50));
    const d = r.diagnostics.filter((x) => x.code === 'DLC132');
    expect(d).toHaveLength(1);
    expect(d[0].message).toBe("embedding input_dim is 50, but the text data set's token ids go up to 51 (vocab_size 50 word tokens + 2 reserved ids: 0 padding, 1 out of vocabulary)");
    // The spec's line 8 is `    - embedding: {input_dim: 50, …}`; the value starts at column 30.
    expect([d[0].line, d[0].col]).toEqual([8, 30]);
    expect(d[0].fix).toMatchObject({ replacement: '52', expected: '50' });
    // The default vocab_size (10000) counts too.
    expect(compileFile(project('  source: spam-assassin', 10001)).diagnostics.map((x) => x.code)).toContain('DLC132');
    expect(compileFile(project('  source: spam-assassin', 10002)).diagnostics.map((x) => x.code)).not.toContain('DLC132');
  });

  it('DLC010: a key of the csv and text sets on another set names both', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlc-text-check-'));
    writeFileSync(join(dir, 'spec.yaml'), 'name: t\ndata:\n  dataset: mnist\n  target: label\n  max_length: 5\nmodel:\n  layers:\n    - flatten\n    - dense: {units: 10}\nloss: cross_entropy\noptimizer: {adam: {learning_rate: 0.01}}\ntrain: {epochs: 1}\n');
    const d = compileFile(join(dir, 'spec.yaml')).diagnostics.filter((x) => x.code === 'DLC010');
    expect(d.map((x) => [x.message, x.line])).toEqual([
      ["'target' applies to datasets csv, text only, not mnist", 4],
      ["'max_length' applies to dataset text only, not mnist", 5],
    ]);
  });

  it('DLC130: a text or label column the table lacks, at its key, with did-you-mean', () => {
    const r = compileFile(project('  path: mail.csv\n  text_column: bodyy\n  target: Label', 10002));
    expect(r.diagnostics.filter((x) => x.code === 'DLC130').map((x) => [x.message, x.line, x.hint])).toEqual([
      ["column 'bodyy' is not in mail.csv", 5, "did you mean 'body'?"],
      ["column 'Label' is not in mail.csv", 6, "did you mean 'label'?"],
    ]);
  });
});
