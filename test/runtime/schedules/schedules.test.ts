import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ScheduleSpec } from '../../../src/compiler/spec.js';
import { makeSchedule } from '../../../src/runtime/schedules/index.js';

const SPE = 10; // steps per epoch
const opts = { stepsPerEpoch: SPE, epochs: 10 }; // 100 steps

describe('constant and warmup', () => {
  it('constant without warmup is the base rate everywhere', () => {
    const s = makeSchedule({ kind: 'constant', warmup_epochs: 0 }, 0.1, opts);
    expect([0, 1, 50, 99].map((i) => s.lrAt(i))).toEqual([0.1, 0.1, 0.1, 0.1]);
  });

  it('linear warmup: lr·(s+1)/W, full rate at the end of warmup', () => {
    const s = makeSchedule({ kind: 'constant', warmup_epochs: 2 }, 0.1, opts); // W = 20
    expect(s.lrAt(0)).toBeCloseTo(0.005, 12);
    expect(s.lrAt(9)).toBeCloseTo(0.05, 12);
    expect(s.lrAt(19)).toBeCloseTo(0.1, 12);
    expect(s.lrAt(20)).toBe(0.1);
  });

  it('fractional warmup epochs round to steps', () => {
    const s = makeSchedule({ kind: 'constant', warmup_epochs: 0.5 }, 1, opts); // W = 5
    expect(s.lrAt(0)).toBeCloseTo(0.2, 12);
    expect(s.lrAt(4)).toBeCloseTo(1, 12);
  });
});

describe('step, multi_step, exponential', () => {
  it('step decays by gamma every step_size epochs, at the epoch boundary', () => {
    const s = makeSchedule({ kind: 'step', step_size: 3, gamma: 0.1, warmup_epochs: 0 }, 1, opts);
    expect(s.lrAt(29)).toBe(1);
    expect(s.lrAt(30)).toBeCloseTo(0.1, 12);
    expect(s.lrAt(59)).toBeCloseTo(0.1, 12);
    expect(s.lrAt(60)).toBeCloseTo(0.01, 12);
  });

  it('multi_step decays at each milestone epoch', () => {
    const s = makeSchedule({ kind: 'multi_step', milestones: [2, 5], gamma: 0.5, warmup_epochs: 0 }, 0.8, opts);
    expect(s.lrAt(19)).toBe(0.8);
    expect(s.lrAt(20)).toBeCloseTo(0.4, 12);
    expect(s.lrAt(49)).toBeCloseTo(0.4, 12);
    expect(s.lrAt(50)).toBeCloseTo(0.2, 12);
    expect(s.lrAt(99)).toBeCloseTo(0.2, 12);
  });

  it('exponential multiplies by gamma at each epoch boundary (constant inside an epoch)', () => {
    const s = makeSchedule({ kind: 'exponential', gamma: 0.9, warmup_epochs: 0 }, 1, opts);
    expect(s.lrAt(0)).toBe(1);
    expect(s.lrAt(9)).toBe(1);
    expect(s.lrAt(10)).toBeCloseTo(0.9, 12);
    expect(s.lrAt(35)).toBeCloseTo(0.729, 12);
  });

  it('warmup overrides the first epochs; epochs still count from the run start', () => {
    const s = makeSchedule({ kind: 'step', step_size: 2, gamma: 0.1, warmup_epochs: 1 }, 1, opts);
    expect(s.lrAt(0)).toBeCloseTo(0.1, 12);
    expect(s.lrAt(10)).toBe(1);
    expect(s.lrAt(20)).toBeCloseTo(0.1, 12);
  });
});

describe('cosine', () => {
  const spec: ScheduleSpec = { kind: 'cosine', min_lr: 0.001, warmup_epochs: 1 };

  it('warms up, then anneals from base to min_lr at the last step', () => {
    const s = makeSchedule(spec, 0.1, opts); // W = 10, last step 99, span 89
    expect(s.lrAt(0)).toBeCloseTo(0.01, 12);
    expect(s.lrAt(9)).toBeCloseTo(0.1, 12);
    expect(s.lrAt(10)).toBeCloseTo(0.1, 12);
    const mid = 10 + 89 / 2;
    expect(s.lrAt(mid)).toBeCloseTo((0.1 + 0.001) / 2, 12);
    // step 40: t = 30/89
    expect(s.lrAt(40)).toBeCloseTo(0.001 + 0.5 * 0.099 * (1 + Math.cos((Math.PI * 30) / 89)), 12);
    expect(s.lrAt(99)).toBeCloseTo(0.001, 12);
    expect(s.lrAt(150)).toBeCloseTo(0.001, 12);
  });

  it('is monotone non-increasing after warmup', () => {
    const s = makeSchedule(spec, 0.1, opts);
    for (let i = 11; i < 100; i++) expect(s.lrAt(i)).toBeLessThanOrEqual(s.lrAt(i - 1));
  });
});

describe('one_cycle (PyTorch OneCycleLR)', () => {
  const spec: ScheduleSpec = { kind: 'one_cycle', max_lr: 1, pct_start: 0.3, div_factor: 25, final_div_factor: 1e4 };
  const s = makeSchedule(spec, 0.123, opts); // T = 100, phase 1 ends at step 29

  it('starts at max_lr/div_factor', () => {
    expect(s.lrAt(0)).toBeCloseTo(0.04, 12);
  });

  it('peaks at max_lr at step pct_start·T − 1', () => {
    expect(s.lrAt(29)).toBeCloseTo(1, 12);
    expect(s.lrAt(28)).toBeLessThan(1);
    expect(s.lrAt(30)).toBeLessThan(1);
  });

  it('follows cosine annealing in both phases', () => {
    // phase 1, step 10: pct 10/29
    expect(s.lrAt(10)).toBeCloseTo(1 + ((0.04 - 1) / 2) * (Math.cos((Math.PI * 10) / 29) + 1), 12);
    // phase 2, step 64: pct (64 − 29)/70 = 0.5 → halfway between max and min
    expect(s.lrAt(64)).toBeCloseTo((1 + 4e-6) / 2, 12);
  });

  it('ends at initial/final_div_factor on the last step', () => {
    expect(s.lrAt(99)).toBeCloseTo(4e-6, 15);
    expect(s.lrAt(120)).toBeCloseTo(4e-6, 15);
  });
});

describe('reduce_on_plateau', () => {
  it('reduces after more than `patience` epochs without improvement (min mode for losses)', () => {
    const s = makeSchedule({ kind: 'reduce_on_plateau', monitor: 'val_loss', factor: 0.5, patience: 2, min_lr: 0.01, warmup_epochs: 0 }, 0.1, opts);
    const losses = [1.0, 0.9, 0.95, 0.91, 0.92];
    const lrs = losses.map((l, e) => {
      s.endEpoch(e, { val_loss: l });
      return s.lrAt((e + 1) * SPE);
    });
    // epochs 2, 3 bad (patience 2 ok), epoch 4 the third bad one → halve
    expect(lrs).toEqual([0.1, 0.1, 0.1, 0.1, 0.05]);
  });

  it('uses max mode for accuracy and never goes below min_lr', () => {
    const s = makeSchedule({ kind: 'reduce_on_plateau', monitor: 'val_accuracy', factor: 0.1, patience: 0, min_lr: 0.005, warmup_epochs: 0 }, 0.1, opts);
    s.endEpoch(0, { val_accuracy: 0.5 });
    expect(s.lrAt(10)).toBe(0.1);
    s.endEpoch(1, { val_accuracy: 0.6 });
    expect(s.lrAt(20)).toBe(0.1);
    s.endEpoch(2, { val_accuracy: 0.55 }); // worse → reduce
    expect(s.lrAt(30)).toBeCloseTo(0.01, 12);
    s.endEpoch(3, { val_accuracy: 0.55 });
    expect(s.lrAt(40)).toBeCloseTo(0.005, 12);
    s.endEpoch(4, { val_accuracy: 0.1 });
    expect(s.lrAt(50)).toBeCloseTo(0.005, 12);
  });

  it('ignores epochs without the monitored metric; warmup scales the current rate', () => {
    const s = makeSchedule({ kind: 'reduce_on_plateau', monitor: 'val_loss', factor: 0.5, patience: 0, min_lr: 0, warmup_epochs: 1 }, 0.1, opts);
    expect(s.lrAt(4)).toBeCloseTo(0.05, 12);
    s.endEpoch(0, { loss: 3 });
    s.endEpoch(1, { loss: 3 });
    expect(s.lrAt(20)).toBe(0.1);
  });

  it('state round-trips through JSON and resumes the same decisions', () => {
    const spec: ScheduleSpec = { kind: 'reduce_on_plateau', monitor: 'val_loss', factor: 0.5, patience: 1, min_lr: 0, warmup_epochs: 0 };
    const a = makeSchedule(spec, 1, opts);
    a.endEpoch(0, { val_loss: 1 });
    a.endEpoch(1, { val_loss: 1.1 });
    const b = makeSchedule(spec, 1, opts);
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    for (const sch of [a, b]) sch.endEpoch(2, { val_loss: 1.2 });
    expect(a.lrAt(30)).toBe(0.5);
    expect(b.lrAt(30)).toBe(0.5);
    expect(b.getState()).toEqual(a.getState());
    // A fresh state (no value seen yet) survives JSON too.
    const c = makeSchedule(spec, 1, opts);
    c.setState(JSON.parse(JSON.stringify(makeSchedule(spec, 1, opts).getState())));
    c.endEpoch(0, { val_loss: 5 });
    expect(c.getState()).toMatchObject({ best: 5, badEpochs: 0, lr: 1 });
  });
});

describe('state of stateless schedules', () => {
  it('accepts its own state and rejects another kind', () => {
    const s = makeSchedule({ kind: 'cosine', min_lr: 0, warmup_epochs: 0 }, 0.1, opts);
    s.setState(JSON.parse(JSON.stringify(s.getState())));
    expect(() => s.setState({ kind: 'step' })).toThrow(/cosine/);
  });
});

describe('PyTorch 1.13 lr_scheduler values (fixtures/torch-schedules.json)', () => {
  const ref = JSON.parse(readFileSync(new URL('./fixtures/torch-schedules.json', import.meta.url), 'utf8')) as {
    base_lr: number;
    steps_per_epoch: number;
    epochs: number;
    cases: Record<string, { spec: ScheduleSpec; lrs?: number[]; metrics?: number[]; lrs_after_epoch?: number[] }>;
  };
  const o = { stepsPerEpoch: ref.steps_per_epoch, epochs: ref.epochs };

  it.each(['one_cycle', 'one_cycle_b', 'step', 'multi_step', 'exponential', 'cosine'])('%s: every step', (name) => {
    const c = ref.cases[name];
    const s = makeSchedule(c.spec, ref.base_lr, o);
    c.lrs!.forEach((want, step) => expect(Math.abs(s.lrAt(step) - want)).toBeLessThan(1e-12 + 1e-9 * want));
  });

  it('reduce_on_plateau: same reductions epoch by epoch', () => {
    const c = ref.cases.reduce_on_plateau;
    const s = makeSchedule(c.spec, ref.base_lr, o);
    const got = c.metrics!.map((m, e) => {
      s.endEpoch(e, { val_loss: m });
      return s.lrAt((e + 1) * ref.steps_per_epoch);
    });
    got.forEach((lr, i) => expect(lr).toBeCloseTo(c.lrs_after_epoch![i], 12));
  });
});
