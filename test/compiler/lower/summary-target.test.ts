/**
 * `dlc inspect`'s header names what the model predicts (issue 14 leftover): classes for a
 * class target, real targets for regression (it said "1 classes" for specs/auto-mpg.yaml),
 * labels for multi-label targets.
 */
import { describe, expect, it } from 'vitest';
import type { IR } from '../../../src/compiler/ir.js';
import { formatSummary, summarize } from '../../../src/compiler/lower/summary.js';
import { lowerSpec, tinySpec } from '../../codegen/helpers.js';

const header = (ir: IR): string => formatSummary(summarize(ir)).split('\n')[0];

describe('inspect header: the target kind', () => {
  const ir = lowerSpec(tinySpec());
  it.each([
    [undefined, 'synthetic: 8×8×1 input, 3 classes;'],
    [{ kind: 'class', width: 3 }, 'synthetic: 8×8×1 input, 3 classes;'],
    [{ kind: 'real', width: 1 }, 'synthetic: 8×8×1 input, 1 real target (regression);'],
    [{ kind: 'real', width: 3 }, 'synthetic: 8×8×1 input, 3 real targets (regression);'],
    [{ kind: 'multi_label', width: 3 }, 'synthetic: 8×8×1 input, 3 labels (multi-label);'],
  ] as const)('%j', (target, text) => {
    expect(header({ ...ir, ...(target ? { target } : {}) } as IR)).toContain(text);
  });
});
