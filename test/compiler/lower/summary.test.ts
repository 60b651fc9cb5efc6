import { describe, expect, it } from 'vitest';
import { lower } from '../../../src/compiler/lower/lower.js';
import { formatBytes, formatCount, formatSummary, summarize, thousands } from '../../../src/compiler/lower/summary.js';
import { fakeCtx, L, makeSpec } from '../helpers/spec-builder.js';

describe('summary', () => {
  it('renders a chain without an inputs column', () => {
    const { ir } = lower(makeSpec([L.conv(6, 5, { padding: 'same', activation: 'relu' }), L.bn(), L.gap(), L.dense(10)], { data: { dataset: 'mnist' } }), fakeCtx());
    const s = summarize(ir!);
    const text = formatSummary(s);
    const m = s.memory; // its numbers are checked in training-memory.test.ts
    expect(text).toBe(
      [
        "Model: test (mnist: 28×28×1 input, 10 classes; output 'dense_1')",
        '───────────────────────────────────────────────────────────────────────────',
        'Layer (type)                             Output shape       Params     MACs',
        '───────────────────────────────────────────────────────────────────────────',
        'input (input)                            (None, 28, 28, 1)       0        0',
        'conv2d_1 (conv2d)                        (None, 28, 28, 6)     156  117,600',
        'batch_norm_1 (batch_norm)                (None, 28, 28, 6)      24        0',
        'global_avg_pool2d_1 (global_avg_pool2d)  (None, 6)               0        0',
        'dense_1 (dense)                          (None, 10)             70       60',
        '───────────────────────────────────────────────────────────────────────────',
        'Total params:             250 (1000.00 B)',
        'Trainable params:         238 (952.00 B)',
        'Non-trainable params:      12 (48.00 B)',
        'Multiply-adds:        117,660 per sample (117.66 K)',
        `Training memory:      ${formatBytes(m.total)} for a batch of ${m.batch}: parameters 1000.00 B, gradients 952.00 B, ${s.optimizer} state ${formatBytes(m.optimizerState)} (${m.optimizerSlots} per weight), activations ${formatBytes(m.activations)}`,
        '',
      ].join('\n'),
    );
  });

  it('adds an inputs column for a DAG and totals like Keras', () => {
    const { ir } = lower(makeSpec([L.conv(16, 3, { padding: 'same', name: 'a' }), L.conv(16, 3, { padding: 'same', name: 'b' }), L.add(['a', 'b'], { name: 'sum' }), L.gap(), L.dense(10)]), fakeCtx());
    const s = summarize(ir!);
    expect(s.rows.find((r) => r.id === 'sum')).toMatchObject({ shape: [null, 32, 32, 16], inputs: ['a', 'b'], params: 0 });
    expect(s.totals).toMatchObject({ params: 448 + 2320 + 170, trainable: 2938, nonTrainable: 0 });
    const text = formatSummary(s);
    expect(text).toContain('Inputs');
    expect(text).toMatch(/sum \(add\) +\(None, 32, 32, 16\) +0 +0 +a, b/);
  });

  it('formats numbers independently of the locale', () => {
    expect(thousands(274442)).toBe('274,442');
    expect(thousands(999)).toBe('999');
    expect(formatBytes(274442 * 4)).toBe('1.05 MB'); // Keras prints ResNet-20 as 1.05 MB
    expect(formatBytes(1376 * 4)).toBe('5.38 KB');
    expect(formatCount(40_813_184)).toBe('40.81 M');
  });
});
