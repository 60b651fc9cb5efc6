import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/compile.js';
import { trainingMemory } from '../../../src/compiler/lower/passes/memory-budget.js';
import { formatSummary, summarize } from '../../../src/compiler/lower/summary.js';

const spec = (optimizer: string, batch = 32) => `name: m
conventions: keras
data: {dataset: mnist, batch_size: ${batch}}
model:
  layers:
    - flatten
    - dense: {units: 16, activation: relu}
    - batch_norm
    - dense: {units: 10}
optimizer: ${optimizer}
`;

const ir = (text: string) => {
  const r = compile(text, { file: 'm.yaml' });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ir!;
};

describe('training memory (issue 14 item 6)', () => {
  // dense 784→16: 12,560; batch_norm(16): 32 trainable + 32 moving stats; dense 16→10: 170.
  const trainable = 784 * 16 + 16 + 2 * 16 + 16 * 10 + 10;
  const all = trainable + 2 * 16;
  const outputs = 784 + 784 + 16 + 16 + 10; // input, flatten, dense, batch_norm, dense

  it.each([
    ['{sgd: {learning_rate: 0.1}}', 0],
    ['{sgd: {learning_rate: 0.1, momentum: 0.9}}', 1],
    ['{adagrad: {}}', 1],
    ['adam', 2],
    ['{rmsprop: {}}', 2],
  ] as const)('%s keeps %d slots per trainable weight', (opt, slots) => {
    const m = trainingMemory(ir(spec(opt, 32)));
    expect(m.parameters).toBe(all * 4);
    expect(m.gradients).toBe(trainable * 4);
    expect(m.optimizerSlots).toBe(slots);
    expect(m.optimizerState).toBe(trainable * 4 * slots);
    expect(m.activations).toBe(32 * outputs * 2 * 4);
    expect(m.total).toBe(m.parameters + m.gradients + m.optimizerState + m.activations);
  });

  it('activations scale with the batch, parameters do not', () => {
    const a = trainingMemory(ir(spec('adam', 8)));
    const b = trainingMemory(ir(spec('adam', 64)));
    expect(b.activations).toBe(a.activations * 8);
    expect(b.parameters).toBe(a.parameters);
  });

  it('dlc inspect prints the four parts and the total', () => {
    const text = formatSummary(summarize(ir(spec('adam', 32))));
    const line = text.split('\n').find((l) => l.startsWith('Training memory:'));
    expect(line).toMatch(/for a batch of 32: parameters .*, gradients .*, adam state .* \(2 per weight\), activations /);
  });

  it('DLC119 uses the same estimate: a budget just under it refuses, just over it passes', () => {
    const m = trainingMemory(ir(spec('adam', 32)));
    const prev = process.env.DLC_MEMORY_BUDGET;
    try {
      process.env.DLC_MEMORY_BUDGET = String(m.total - 1);
      expect(compile(spec('adam', 32), { file: 'm.yaml' }).diagnostics.map((d) => d.code)).toContain('DLC119');
      process.env.DLC_MEMORY_BUDGET = String(m.total);
      expect(compile(spec('adam', 32), { file: 'm.yaml' }).diagnostics.map((d) => d.code)).not.toContain('DLC119');
    } finally {
      if (prev === undefined) delete process.env.DLC_MEMORY_BUDGET;
      else process.env.DLC_MEMORY_BUDGET = prev;
    }
  });
});
