/**
 * The training settings that depend on the target and the optimizer
 * (kinds/target.ts, lower/passes/training-settings.ts), from YAML text: the
 * best-checkpoint monitor's default follows the data's target kind, and a
 * monitor or momentum setting that cannot work is reported at its own
 * position in the file.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/compile.js';
import { documentToYaml, specToDocument } from '../../../src/compiler/front/denormalize.js';

const SYNTH = (target: string, classes: number) => `name: t
data:
  dataset: synthetic
  synthetic: {train_samples: 8, test_samples: 4, shape: [4, 4, 1], classes: ${classes}, target: ${target}}
model:
  layers:
    - flatten
    - dense: {units: ${classes}}
`;

/** Each diagnostic as [code, line:col, the source text there (up to the next , or } or end of line)]. */
function located(source: string): [string, string, string][] {
  const { diagnostics } = compile(source, { file: 'spec.yaml' });
  const lines = source.split('\n');
  return diagnostics.map((d) => [d.code, `${d.line}:${d.col}`, lines[d.line - 1].slice(d.col - 1).split(/[,}]/)[0].trim()]);
}

describe('best-checkpoint monitor default (kinds/target.ts)', () => {
  it('real targets default to val_loss, class and multi-label targets to val_accuracy; a stated monitor wins', () => {
    const real = compile(`${SYNTH('real', 1)}loss: mse\n`, { file: 'spec.yaml' });
    expect(real.diagnostics).toEqual([]);
    expect(real.ir?.spec.train.checkpoint.monitor).toBe('val_loss');
    const cls = compile(SYNTH('class', 3), { file: 'spec.yaml' });
    expect(cls.ir?.spec.train.checkpoint.monitor).toBe('val_accuracy');
    const multi = compile(`${SYNTH('multi_label', 3)}loss: binary_cross_entropy\n`, { file: 'spec.yaml' });
    expect(multi.ir?.spec.train.checkpoint.monitor).toBe('val_accuracy');
    const stated = compile(`${SYNTH('class', 3)}train: {checkpoint: {monitor: val_loss}}\n`, { file: 'spec.yaml' });
    expect(stated.ir?.spec.train.checkpoint.monitor).toBe('val_loss');
  });

  it('a csv regression (target_type: real) and a forecasting window default to val_loss without lowering', () => {
    const csv = (extra: string) =>
      compile(`name: t\ndata:\n  dataset: csv\n  path: no-such.csv\n  features: [a]\n  target: b\n${extra}model:\n  layers:\n    - dense: {units: 1}\nloss: mse\n`, { file: 'spec.yaml', noLower: true });
    expect(csv('  target_type: real\n').spec?.train.checkpoint.monitor).toBe('val_loss');
    expect(csv('').spec?.train.checkpoint.monitor).toBe('val_accuracy');
    // What `dlc config` prints (it does not lower either).
    expect(documentToYaml(specToDocument(csv('  target_type: real\n').spec!), [])).toMatch(/checkpoint: \{[^}]*monitor: val_loss\}/);
  });
});

describe('training-settings diagnostics at their YAML positions', () => {
  it('DLC145: val_accuracy as the best-checkpoint monitor of a regression, at the monitor, with a fix to val_loss', () => {
    const src = `${SYNTH('real', 1)}loss: mse\ntrain:\n  checkpoint: {monitor: val_accuracy}\n`;
    expect(located(src)).toEqual([['DLC145', '11:25', 'val_accuracy']]);
    const d = compile(src, { file: 'spec.yaml' }).diagnostics[0];
    expect(d.message).toContain('reports only val_loss, loss');
    expect(d.fix?.replacement).toBe('val_loss');
  });

  it('DLC145: early stopping on val_f1 of real targets', () => {
    expect(located(`${SYNTH('real', 1)}loss: mse\ntrain:\n  early_stopping:\n    monitor: val_f1\n`)).toEqual([['DLC145', '12:14', 'val_f1']]);
  });

  it('DLC146: adagrad with one_cycle, which cycles the momentum by default, at the schedule', () => {
    const src = `${SYNTH('class', 3)}optimizer: adagrad\nschedule: {one_cycle: {max_lr: 0.1}}\n`;
    const got = located(src);
    expect(got.map(([c]) => c)).toEqual(['DLC146']);
    expect(got[0][1].split(':')[0]).toBe('10');
    expect(compile(src, { file: 'spec.yaml' }).diagnostics[0].hint).toContain('cycle_momentum: false');
    // Stated true: at the value itself; false, or the keras convention (no cycling), is clean.
    expect(located(`${SYNTH('class', 3)}optimizer: adagrad\nschedule: {one_cycle: {max_lr: 0.1, cycle_momentum: true}}\n`)).toEqual([['DLC146', '10:53', 'true']]);
    expect(located(`${SYNTH('class', 3)}optimizer: adagrad\nschedule: {one_cycle: {max_lr: 0.1, cycle_momentum: false}}\n`)).toEqual([]);
    expect(located(`conventions: keras\n${SYNTH('class', 3)}optimizer: adagrad\nschedule: {one_cycle: {max_lr: 0.1}}\n`)).toEqual([]);
  });

  it("DLC147: one_cycle momentum 1 as adam's beta1, at the value; sgd accepts it", () => {
    expect(located(`${SYNTH('class', 3)}optimizer: adam\nschedule: {one_cycle: {max_lr: 0.1, max_momentum: 1}}\n`)).toEqual([['DLC147', '10:51', '1']]);
    expect(located(`${SYNTH('class', 3)}optimizer: adamw\nschedule:\n  one_cycle: {max_lr: 0.1, base_momentum: 1, max_momentum: 1}\n`).map(([c, , t]) => [c, t])).toEqual([
      ['DLC147', '1'],
      ['DLC147', '1'],
    ]);
    expect(located(`${SYNTH('class', 3)}optimizer: {sgd: {momentum: 0.9}}\nschedule: {one_cycle: {max_lr: 0.1, max_momentum: 1}}\n`)).toEqual([]);
  });
});
