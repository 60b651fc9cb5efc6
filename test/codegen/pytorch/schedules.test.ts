/**
 * Every schedule's per-step learning rate in dlc_runtime/schedules.py is identical
 * (===, not close) to dlc's makeSchedule, warmup included; reduce_on_plateau follows
 * the same metric sequence and saves the same state.
 */
import { describe, expect, it } from 'vitest';
import type { ScheduleSpec } from '../../../src/compiler/spec.js';
import { makeSchedule } from '../../../src/runtime/schedules/index.js';
import { PYTHON, runPython } from './python.js';

const SPECS: ScheduleSpec[] = [
  { kind: 'constant', warmup_epochs: 0 },
  { kind: 'constant', warmup_epochs: 1.5 },
  { kind: 'step', step_size: 2, gamma: 0.3, warmup_epochs: 0.5 },
  { kind: 'step', step_size: 1.5, gamma: 0.1, warmup_epochs: 0 },
  { kind: 'multi_step', milestones: [1, 3, 4], gamma: 0.2, warmup_epochs: 1 },
  { kind: 'exponential', gamma: 0.87, warmup_epochs: 0 },
  { kind: 'cosine', min_lr: 1e-4, warmup_epochs: 0 },
  { kind: 'cosine', min_lr: 0, warmup_epochs: 1.3 },
  { kind: 'one_cycle', max_lr: 0.4, pct_start: 0.3, div_factor: 25, final_div_factor: 1e4 },
  { kind: 'one_cycle', max_lr: 0.01, pct_start: 0.05, div_factor: 10, final_div_factor: 100 },
  { kind: 'reduce_on_plateau', monitor: 'val_loss', factor: 0.5, patience: 1, min_lr: 0.003, warmup_epochs: 0.5 },
  { kind: 'reduce_on_plateau', monitor: 'val_accuracy', factor: 0.1, patience: 0, min_lr: 0, warmup_epochs: 0 },
];
const BASE_LR = 0.05;
const STEPS = 7;
const EPOCHS = 6;
// A metric history with improvements, plateaus, a NaN and a missing value.
const METRICS: Record<string, number>[] = [
  { val_loss: 1.0, val_accuracy: 0.5 },
  { val_loss: 0.9, val_accuracy: 0.6 },
  { val_loss: 0.95, val_accuracy: 0.6 },
  { val_loss: 0.89995, val_accuracy: 0.60001 },
  { loss: 0.1 },
  { val_loss: Number.NaN, val_accuracy: 0.7 },
];

describe.skipIf(!PYTHON)('dlc_runtime schedules = dlc schedules', () => {
  it('gives the identical lr at every step of every schedule, and the same checkpoint state', () => {
    const js = SPECS.map((spec) => {
      const s = makeSchedule(spec, BASE_LR, { stepsPerEpoch: STEPS, epochs: EPOCHS });
      const lrs: number[] = [];
      const states: unknown[] = [];
      for (let e = 0; e < EPOCHS; e++) {
        for (let k = 0; k < STEPS; k++) lrs.push(s.lrAt(e * STEPS + k));
        s.endEpoch(e, METRICS[e]);
        states.push(JSON.parse(JSON.stringify(s.getState())));
      }
      // Past the end (resume with more epochs) the curves hold their last value.
      lrs.push(s.lrAt(EPOCHS * STEPS + 3));
      return { lrs, states };
    });
    const py = runPython<{ lrs: number[]; states: unknown[] }[]>(
      `import math
from dlc_runtime.schedules import make_schedule
out = []
metrics = [{k: (math.nan if v is None else v) for k, v in m.items()} for m in INPUT['metrics']]
for spec in INPUT['specs']:
    s = make_schedule(spec, INPUT['base'], INPUT['steps'], INPUT['epochs'])
    lrs, states = [], []
    for e in range(INPUT['epochs']):
        lrs += [s.lr_at(e * INPUT['steps'] + k) for k in range(INPUT['steps'])]
        s.end_epoch(e, metrics[e])
        states.append(s.get_state())
    lrs.append(s.lr_at(INPUT['epochs'] * INPUT['steps'] + 3))
    out.append({'lrs': lrs, 'states': states})
print(json.dumps(out))`,
      { specs: SPECS, base: BASE_LR, steps: STEPS, epochs: EPOCHS, metrics: METRICS },
    );
    SPECS.forEach((spec, i) => {
      expect(py[i].lrs, spec.kind).toEqual(js[i].lrs);
      expect(py[i].states, spec.kind).toEqual(js[i].states);
    });
    // Not vacuous: the plateau schedules did reduce, and the decaying ones decayed.
    expect(new Set(js[10].lrs).size).toBeGreaterThan(3);
    expect(js[11].lrs.at(-1)).toBeLessThan(BASE_LR);
  });

  it('jsmath.sin/cos equal V8\'s Math.sin/Math.cos bit for bit (the C library\'s differ by an ulp at times)', () => {
    let seed = 1;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const xs = Array.from({ length: 20000 }, (_, i) => (next() * 2 - 1) * Math.PI * [1, 4, 30][i % 3]);
    // (no -0: JSON carries it as 0)
    for (let k = 1; k <= 40; k++) xs.push((k * Math.PI) / 4, (-k * Math.PI) / 2, k * 1e-9);
    const py = runPython<{ c: number[]; s: number[] }>(
      `from dlc_runtime import jsmath
print(json.dumps({'c': [jsmath.cos(x) for x in INPUT], 's': [jsmath.sin(x) for x in INPUT]}))`,
      xs,
    );
    expect(py.c).toEqual(xs.map(Math.cos));
    expect(py.s).toEqual(xs.map(Math.sin));
  });

  it('restores a saved plateau state and continues identically', () => {
    const spec = SPECS[10];
    const a = makeSchedule(spec, BASE_LR, { stepsPerEpoch: STEPS, epochs: EPOCHS });
    for (let e = 0; e < 3; e++) a.endEpoch(e, METRICS[e]);
    const state = a.getState();
    const py = runPython<number[]>(
      `from dlc_runtime.schedules import make_schedule
s = make_schedule(INPUT['spec'], INPUT['base'], INPUT['steps'], INPUT['epochs'])
s.set_state(INPUT['state'])
out = []
for e in range(3, 6):
    s.end_epoch(e, INPUT['metrics'][e])
    out.append(s.lr_at((e + 1) * INPUT['steps']))
print(json.dumps(out))`,
      { spec, state, base: BASE_LR, steps: STEPS, epochs: EPOCHS, metrics: METRICS.map((m) => Object.fromEntries(Object.entries(m).filter(([, v]) => !Number.isNaN(v)))) },
    );
    const js: number[] = [];
    for (let e = 3; e < 6; e++) {
      a.endEpoch(e, Object.fromEntries(Object.entries(METRICS[e]).filter(([, v]) => !Number.isNaN(v))));
      js.push(a.lrAt((e + 1) * STEPS));
    }
    expect(py).toEqual(js);
  });
});
