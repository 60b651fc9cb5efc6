import { describe, expect, it } from 'vitest';
import { initialMonitor, monitorValue, observeMonitor } from '../../../src/runtime/train/monitor.js';

describe('monitor (early stopping and best checkpoint)', () => {
  it.each([
    ['val_loss improves when it falls', 'val_loss', [1, 0.8, 0.9, 0.85, 0.7], [true, true, false, false, true], [0, 0, 1, 2, 0]],
    ['val_accuracy improves when it rises', 'val_accuracy', [0.5, 0.6, 0.6, 0.55], [true, true, false, false], [0, 0, 1, 2]],
  ] as const)('%s', (_name, monitor, values, improved, waits) => {
    let state = initialMonitor(monitor);
    values.forEach((v, i) => {
      const r = observeMonitor(state, i + 1, { [monitor]: v });
      state = r.state;
      expect(r.improved, `epoch ${i + 1}`).toBe(improved[i]);
      expect(state.wait).toBe(waits[i]);
    });
  });

  it('needs more than min_delta to count as an improvement', () => {
    const s1 = observeMonitor(initialMonitor('val_loss'), 1, { val_loss: 1 }, 0.1).state;
    expect(observeMonitor(s1, 2, { val_loss: 0.95 }, 0.1).improved).toBe(false);
    expect(observeMonitor(s1, 2, { val_loss: 0.85 }, 0.1).improved).toBe(true);
  });

  it('treats NaN as no improvement and falls back to the training metric without validation', () => {
    const s1 = observeMonitor(initialMonitor('val_loss'), 1, { val_loss: 1 }).state;
    expect(observeMonitor(s1, 2, { val_loss: NaN })).toEqual({ state: { ...s1, wait: 1 }, improved: false });
    expect(monitorValue('val_accuracy', { accuracy: 0.7 })).toBe(0.7);
  });
});
