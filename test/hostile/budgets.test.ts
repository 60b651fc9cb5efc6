/**
 * Fault corpus, root cause 4 (unbounded sizes): block repeat and expanded
 * layer count, and the memory estimate (units, filters, kernel, batch,
 * synthetic data) give `dlc check` diagnostics at the value's position, fast.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/compile.js';
import { MAX_EXPANDED_LAYERS } from '../../src/compiler/front/blocks.js';
import { memoryBudget, parseBytes } from '../../src/compiler/lower/passes/memory-budget.js';

const codes = (src: string) => compile(src, { file: 'spec.yaml' }).diagnostics.filter((d) => d.severity === 'error');

function timed<T>(f: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = f();
  return { value, ms: performance.now() - t };
}

const REPEAT = (n: number) => `name: rep
data: {dataset: mnist}
model:
  blocks:
    b:
      layers:
        - dense: {units: 4}
  layers:
    - flatten
    - block: {use: b, repeat: ${n}}
    - dense: {units: 10}
`;

describe('block expansion cap (DLC022)', { timeout: 20_000 }, () => {
  it('repeat: 100000000 is one diagnostic at the repeat value, in well under a second', () => {
    const { value, ms } = timed(() => codes(REPEAT(100_000_000)));
    expect(value.map((d) => [d.code, d.line, d.col])).toEqual([['DLC022', 10, 31]]);
    expect(value[0].message).toContain(`more than ${MAX_EXPANDED_LAYERS} layers`);
    expect(ms).toBeLessThan(5000);
  });

  it('a repeat just under the cap still compiles; one over it does not', () => {
    // flatten + the copies + dense: the cap counts every layer after expansion.
    expect(codes(REPEAT(MAX_EXPANDED_LAYERS - 2)).map((d) => d.code)).toEqual([]);
    expect(codes(REPEAT(MAX_EXPANDED_LAYERS)).map((d) => d.code)).toEqual(['DLC022']);
  });
});

const MODEL = (layers: string, data = 'data: {dataset: mnist}') => `name: big
${data}
model:
  layers:
${layers}
`;

describe('memory estimate (DLC119)', { timeout: 20_000 }, () => {
  it('dense: {units: 1000000000} fails in check at that layer', () => {
    const ds = codes(MODEL('    - flatten\n    - dense: {units: 1000000000}\n    - dense: {units: 10}'));
    expect(ds.map((d) => [d.code, d.line])).toEqual([['DLC119', 6]]);
    expect(ds[0].message).toMatch(/Layer 'dense_1' alone takes .* \(785,000,000,000 parameters\)/);
  });

  it('a conv of 10^6 filters and a huge kernel fail at their layer', () => {
    const conv = codes(MODEL('    - conv2d: {filters: 1000000, kernel_size: 3}\n    - flatten\n    - dense: {units: 10}'));
    expect(conv.map((d) => [d.code, d.line])).toEqual([['DLC119', 5]]);
  });

  it('huge synthetic data fails at data.synthetic', () => {
    const ds = codes(MODEL('    - flatten\n    - dense: {units: 10}', 'data: {dataset: synthetic, synthetic: {train_samples: 100000000, test_samples: 10, shape: [512, 512, 3], classes: 10}}'));
    expect(ds.map((d) => d.code)).toEqual(['DLC119']);
    expect(ds[0].message).toMatch(/synthetic data set needs about/);
  });

  it('the shipped-size models pass', () => {
    expect(codes(MODEL('    - conv2d: {filters: 32, kernel_size: 3}\n    - flatten\n    - dense: {units: 128}\n    - dense: {units: 10}'))).toEqual([]);
  });

  it('DLC_MEMORY_BUDGET overrides the budget; parseBytes reads suffixes', () => {
    expect(parseBytes('512M')).toBe(512 * 1024 ** 2);
    expect(parseBytes('2g')).toBe(2 * 1024 ** 3);
    expect(parseBytes('lots')).toBeUndefined();
    expect(memoryBudget({ DLC_MEMORY_BUDGET: '1K' })).toEqual({ bytes: 1024, source: 'DLC_MEMORY_BUDGET' });
    expect(memoryBudget({}).bytes).toBeGreaterThan(0);
  });
});
