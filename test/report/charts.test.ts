/**
 * The confusion-matrix chart of a 1,000-class model (the ImageNet zoo specs): building its
 * spec must not overflow the stack (it spread 10⁶ counts into Math.max), and the text colour
 * threshold is half the largest count.
 */
import { describe, expect, it } from 'vitest';
import { confusionChart } from '../../src/report/charts.js';

describe('confusionChart', () => {
  it('builds for 1,000 classes', () => {
    const n = 1000;
    const matrix = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 3 : 0)));
    const spec = confusionChart(matrix, []) as unknown as { data: { values: unknown[] } };
    expect(spec.data.values).toHaveLength(n * n);
  });

  it('colours counts above half the largest white (small matrices print counts)', () => {
    const spec = JSON.stringify(confusionChart([[8, 1], [2, 5]], ['a', 'b']));
    expect(spec).toContain('datum.count > 4');
  });
});
