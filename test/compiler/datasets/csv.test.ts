/**
 * dlc check on csv specs: a column the file lacks is DLC130 at its spec
 * position with did-you-mean from the real header (read from the header
 * line only: the rows after it may be malformed); the input width and the
 * classes come from the file; a regression target is a real target.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../../src/compiler/compile.js';

function project(table: string, dataYaml: string, model = '    - dense: {units: 8, activation: relu}\n    - dense: {units: 2}', loss = 'cross_entropy'): string {
  const dir = mkdtempSync(join(tmpdir(), 'dlc-csv-check-'));
  writeFileSync(join(dir, 't.csv'), table);
  const spec = `name: t\ndata:\n  dataset: csv\n  path: t.csv\n${dataYaml}\nmodel:\n  layers:\n${model}\nloss: ${loss}\noptimizer: {adam: {learning_rate: 0.01}}\ntrain: {epochs: 1}\n`;
  writeFileSync(join(dir, 'spec.yaml'), spec);
  return join(dir, 'spec.yaml');
}

describe('csv data in dlc check', () => {
  it('reports a misspelt column at its position, with did-you-mean from the header', () => {
    // Row 3 is ragged: the header check must not read that far.
    const spec = project('Island,Body Mass (g),Species\nx,1\n', '  features: [Island, Body Mass (G)]\n  target: Specie');
    const r = compileFile(spec);
    const d = r.diagnostics.filter((x) => x.code === 'DLC130');
    expect(d.map((x) => [x.message, x.line, x.hint])).toEqual([
      ["column 'Body Mass (G)' is not in t.csv", 5, "did you mean 'Body Mass (g)'?"],
      ["column 'Specie' is not in t.csv", 6, "did you mean 'Species'?"],
    ]);
    expect(d[0].col).toBeGreaterThan(20);
    expect(d[1].fix?.replacement).toBe('Species');
  });

  it('works out the input width (one-hot categories) and the classes from the file', () => {
    const spec = project('c,x,y\nu,1,no\nv,2,yes\nw,,no\n', '  features: [c, x]\n  target: y\n  missing: mean');
    const r = compileFile(spec);
    expect(r.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    expect(r.ir!.inputShape).toEqual([4]);
    expect(r.ir!.numClasses).toBe(2);
    // Class targets are the IR's default (no `target` field).
    expect(r.ir!.target).toBeUndefined();
    expect(r.ir!.classNames).toEqual(['no', 'yes']);
  });

  it('a real target, and windows over a series, are real targets of their width', () => {
    const reg = compileFile(project('x,y\n1,2\n2,3\n', '  features: [x]\n  target: y\n  target_type: real', '    - dense: {units: 1}', 'mse'));
    expect(reg.ir!.target).toEqual({ kind: 'real', width: 1 });
    const win = compileFile(project('t,v\n1,2\n2,3\n', '  window: {column: v, order_by: t, length: 6, horizon: 2}', '    - flatten\n    - dense: {units: 2}', 'mse'));
    expect(win.ir!.inputShape).toEqual([6, 1]);
    expect(win.ir!.target).toEqual({ kind: 'real', width: 2 });
  });

  it('an unreadable table is DLC131 at data.path', () => {
    const spec = project('a\n1\n', '  features: [a]\n  target: a').replace(/spec\.yaml$/, 'other.yaml');
    writeFileSync(spec, `name: t\ndata:\n  dataset: csv\n  path: nothing-here.csv\n  features: [a]\n  target: a\nmodel:\n  layers:\n    - dense: {units: 2}\nloss: cross_entropy\noptimizer: sgd\ntrain: {epochs: 1}\n`);
    const d = compileFile(spec).diagnostics.find((x) => x.code === 'DLC131');
    expect(d?.line).toBe(4);
    expect(d?.message).toMatch(/nothing-here\.csv.*no such file/);
  });
});
