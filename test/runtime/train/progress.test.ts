import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration } from '../../../src/runtime/progress/progress.js';

function sink(isTTY: boolean): { write(s: string): boolean; isTTY: boolean; text: string } {
  return { isTTY, text: '', write(s: string) { this.text += s; return true; } };
}

describe('progress', () => {
  it('draws one bar per epoch on a TTY, redrawn with \\r, replaced by the summary', () => {
    let t = 0;
    const out = sink(true);
    const p = createProgress(out, { now: () => t, width: 10 });
    p.startEpoch(1, 3, 100, 4);
    for (let b = 1; b <= 4; b++) {
      t += 500;
      p.update({ samples: b * 25, batches: b, loss: 1 / b, accuracy: b / 4 });
    }
    p.endEpoch('epoch 1/3 done');
    expect(out.text).not.toContain('\n' + 'epoch 1/3 [');
    const frames = out.text.split('\r\x1b[2K').filter(Boolean);
    expect(frames[0]).toMatch(/^epoch 1\/3 \[==>\s+\] 25\/100 50 samples\/s ETA 0:02 loss 1\.0000 acc 25\.00%$/);
    expect(frames[3]).toMatch(/\[==========\] 100\/100/);
    expect(frames[4]).toBe('epoch 1/3 done\n');
  });

  it('throttles redraws to ~10 per second', () => {
    let t = 0;
    const out = sink(true);
    const p = createProgress(out, { now: () => t });
    p.startEpoch(1, 1, 1000, 1000);
    for (let b = 1; b < 1000; b++) {
      t += 1;
      p.update({ samples: b, batches: b, loss: 1, accuracy: 0 });
    }
    expect(out.text.split('\r').length).toBeLessThan(15);
  });

  it('writes plain lines every N batches when not a TTY', () => {
    const out = sink(false);
    const p = createProgress(out, { logEvery: 2, now: () => 1000 });
    p.startEpoch(2, 2, 50, 5);
    for (let b = 1; b <= 5; b++) p.update({ samples: b * 10, batches: b, loss: 0.5, accuracy: 0.5 });
    p.endEpoch('epoch 2/2 done');
    expect(out.text).not.toContain('\r');
    expect(out.text.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^epoch 2\/2 batch 2\/5 loss 0\.5000 acc 50\.00%/),
      expect.stringMatching(/^epoch 2\/2 batch 4\/5 /),
      'epoch 2/2 done',
    ]);
  });

  it('formats durations', () => {
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Infinity)).toBe('--:--');
  });
});
