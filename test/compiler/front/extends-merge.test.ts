/**
 * `extends` (issue 14 item 5): a one-of section naming another kind replaces
 * the base's; a list of bases merges in order; diagnostics of the list point
 * at the item.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/compile.js';

function memfs(files: Record<string, string>) {
  return (abs: string): string => {
    if (!(abs in files)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return files[abs];
  };
}

const BASE = `name: base
data: {dataset: mnist, batch_size: 32}
model:
  layers:
    - flatten
    - dense: {units: 10}
loss: {cross_entropy: {label_smoothing: 0.1}}
optimizer: {adam: {learning_rate: 0.002}}
schedule: {step: {step_size: 3}}
train: {epochs: 2, early_stopping: {patience: 4}}
`;

const run = (child: string, files: Record<string, string>) => compile(child, { file: '/p/child.yaml', readFile: memfs(files), noLower: true });

describe('extends: one-of sections', () => {
  it('an optimizer of another kind replaces the base optimizer (no DLC017)', () => {
    const r = run('extends: base.yaml\nname: child\noptimizer: {sgd: {learning_rate: 0.1, momentum: 0.9}}\n', { '/p/base.yaml': BASE });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.document!.optimizer).toEqual({ sgd: { learning_rate: 0.1, momentum: 0.9 } });
    expect(r.spec!.optimizer.kind).toBe('sgd');
  });

  it('the same kind still merges argument by argument', () => {
    const r = run('extends: base.yaml\nname: child\noptimizer: {adam: {beta1: 0.8}}\n', { '/p/base.yaml': BASE });
    expect(r.document!.optimizer).toEqual({ adam: { learning_rate: 0.002, beta1: 0.8 } });
  });

  it('schedule and loss switch kind too; a scalar shorthand replaces a mapping', () => {
    const r = run('extends: base.yaml\nname: child\nschedule: {cosine: {}}\nloss: mse\n', { '/p/base.yaml': BASE });
    expect(r.document!.schedule).toEqual({ cosine: {} });
    expect(r.document!.loss).toBe('mse');
  });

  it('a non-one-of section (train) still merges', () => {
    const r = run('extends: base.yaml\nname: child\ntrain: {epochs: 5}\n', { '/p/base.yaml': BASE });
    expect(r.document!.train).toEqual({ epochs: 5, early_stopping: {patience: 4} });
  });
});

describe('extends: a list of bases', () => {
  const files = {
    '/p/base.yaml': BASE,
    '/p/wide.yaml': 'name: wide\nmodel:\n  layers:\n    - flatten\n    - dense: {units: 64, activation: relu}\n    - dense: {units: 10}\ntrain: {epochs: 7}\n',
    '/p/sgd.yaml': 'name: sgd\noptimizer: {sgd: {learning_rate: 0.05}}\ndata: {batch_size: 8}\n',
  };

  it('bases merge in order, then the extending file over them', () => {
    const r = run('extends: [base.yaml, wide.yaml, sgd.yaml]\nname: child\ntrain: {epochs: 1}\n', files);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.document!.name).toBe('child');
    expect((r.document!.model as { layers: unknown[] }).layers).toHaveLength(3);
    expect(r.document!.optimizer).toEqual({ sgd: { learning_rate: 0.05 } });
    expect(r.document!.train).toEqual({ epochs: 1, early_stopping: {patience: 4} });
    expect(r.document!.data).toEqual({ dataset: 'mnist', batch_size: 8 });
  });

  it('a later base wins over an earlier one', () => {
    const r = run('extends: [sgd.yaml, base.yaml]\nname: child\n', files);
    expect(r.document!.optimizer).toEqual({ adam: { learning_rate: 0.002 } });
    expect(r.document!.data).toEqual({ dataset: 'mnist', batch_size: 32 });
  });

  it('a value inherited from the second base points into that file', () => {
    const r = compile('extends: [base.yaml, bad.yaml]\nname: child\n', { file: '/p/child.yaml', readFile: memfs({ ...files, '/p/bad.yaml': 'name: bad\ntrain: {epochs: -1}\n' }) });
    const d = r.diagnostics.find((x) => x.path === '/train/epochs');
    expect(d && [d.code, d.file, d.line]).toEqual(['DLC012', '/p/bad.yaml', 2]);
  });

  it('a missing base of the list is DLC007 at its item', () => {
    const r = run('name: child\nextends: [base.yaml, nowhere.yaml]\n', files);
    expect(r.diagnostics.map((d) => [d.code, d.path, d.line, d.col])).toEqual([['DLC007', '/extends/1', 2, 22]]);
  });

  it('a cycle through a list is DLC008', () => {
    const r = compile('name: a\nextends: [base.yaml, b.yaml]\n', { file: '/p/a.yaml', readFile: memfs({ ...files, '/p/b.yaml': 'name: b\nextends: [a.yaml]\n' }) });
    expect(r.diagnostics.map((d) => d.code)).toContain('DLC008');
  });
});
