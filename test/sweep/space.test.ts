/** Trials of a sweep: grid order and count, seeded random draws within their bounds, flag and section parsing. */
import { describe, expect, it } from 'vitest';
import { configFromSection, expandTrials, parseGridFlag, parseRandomFlag, SweepError } from '../../src/sweep/space.js';

describe('sweep space', () => {
  it('expands a grid into every combination, first key slowest', () => {
    const trials = expandTrials({ method: 'grid', parameters: Object.fromEntries([parseGridFlag('lr=0.1,0.01'), parseGridFlag('data.batch_size=16,32,64')]) }, 1);
    expect(trials.map((t) => t.id)).toEqual(['t000', 't001', 't002', 't003', 't004', 't005']);
    expect(trials.map((t) => [t.params.lr, t.params['data.batch_size']])).toEqual([
      [0.1, 16], [0.1, 32], [0.1, 64], [0.01, 16], [0.01, 32], [0.01, 64],
    ]);
  });

  it('draws random trials from the seed, within the bounds, the same every time', () => {
    const config = { method: 'random' as const, trials: 50, parameters: Object.fromEntries([parseRandomFlag('lr=loguniform(1e-4,1e-1)'), parseRandomFlag('units=int_uniform(8,12)'), parseRandomFlag('act=choice(relu,gelu)')]) };
    const a = expandTrials(config, 42);
    expect(a).toHaveLength(50);
    expect(expandTrials(config, 42)).toEqual(a);
    expect(expandTrials(config, 43)).not.toEqual(a);
    for (const t of a) {
      expect(t.params.lr as number).toBeGreaterThanOrEqual(1e-4);
      expect(t.params.lr as number).toBeLessThanOrEqual(1e-1);
      expect([8, 9, 10, 11, 12]).toContain(t.params.units);
      expect(['relu', 'gelu']).toContain(t.params.act);
    }
    // Log-uniform: about as many draws below 1e-2.5 as above.
    const low = a.filter((t) => (t.params.lr as number) < 10 ** -2.5).length;
    expect(low).toBeGreaterThan(12);
    expect(low).toBeLessThan(38);
    expect(new Set(a.map((t) => t.params.units)).size).toBe(5);
  });

  it('reads the sweep: section', () => {
    const c = configFromSection({ parameters: { 'optimizer.sgd.learning_rate': { loguniform: [0.001, 0.1] }, 'data.batch_size': [16, 32] }, trials: 3, monitor: 'val_loss', halving: { min_epochs: 1, eta: 3 } });
    expect(c.method).toBe('random');
    expect(c.parameters['data.batch_size']).toEqual({ values: [16, 32] });
    expect(c.parameters['optimizer.sgd.learning_rate']).toEqual({ dist: 'loguniform', low: 0.001, high: 0.1 });
    expect(c.halving).toEqual({ min_epochs: 1, eta: 3 });
    expect(expandTrials(c, 0)).toHaveLength(3);
    expect(configFromSection({ parameters: { a: [1, 2] } }).method).toBe('grid');
  });

  it('rejects malformed flags and a grid over a distribution', () => {
    expect(() => parseGridFlag('lr')).toThrow(SweepError);
    expect(() => parseRandomFlag('lr=normal(0,1)')).toThrow(/loguniform/);
    expect(() => parseRandomFlag('lr=loguniform(0,1)')).toThrow(/low > 0/);
    expect(() => parseRandomFlag('lr=uniform(2,1)')).toThrow(/low < high/);
    expect(() => expandTrials({ method: 'grid', parameters: { lr: { dist: 'uniform', low: 0, high: 1 } } }, 0)).toThrow(/method: random/);
  });
});
