/**
 * target-fit (DLC140–DLC144): the output and the loss against the data set's
 * target kind. The graph is inferred from a cifar10 spec, then given the
 * target a data set's facts would (real, multi-label or class) — so no data
 * files are needed — and the whole pass pipeline runs on it, so the table
 * also shows that DLC108/DLC109 stay quiet where target-fit speaks.
 */
import { describe, expect, it } from 'vitest';
import type { IR } from '../../../../src/compiler/ir.js';
import { inferGraph } from '../../../../src/compiler/lower/lower.js';
import { runPasses } from '../../../../src/compiler/lower/passes/pipeline.js';
import type { LossSpec } from '../../../../src/compiler/spec.js';
import { L, makeSpec, fakeCtx, type Draft } from '../../helpers/spec-builder.js';

type Target = NonNullable<IR['target']>;

function run(layers: Draft[], target: Target | undefined, loss?: LossSpec) {
  const g = inferGraph(makeSpec(layers, loss ? { loss } : {}), fakeCtx());
  const width = target?.width ?? 10;
  const ir: IR = { ...g.ir!, numClasses: width, ...(target ? { target } : {}) };
  const ctx = { ...g.passContext!, facts: { ...g.passContext!.facts, numClasses: width, target: target ?? { kind: 'class' as const, width } } };
  return runPasses(ir, ctx).filter((d) => d.code !== 'DLC119');
}
const codes = (...a: Parameters<typeof run>): [string, string][] => run(...a).map((d) => [d.code, d.path]);

const real = (width: number): Target => ({ kind: 'real', width });
const multi = (width: number): Target => ({ kind: 'multi_label', width });
const CE: LossSpec = { kind: 'cross_entropy', label_smoothing: 0 };
const BCE: LossSpec = { kind: 'binary_cross_entropy', label_smoothing: 0 };
const MSE: LossSpec = { kind: 'mse' };
const HUBER: LossSpec = { kind: 'huber', delta: 1 };

const table: [string, Draft[], Target | undefined, LossSpec | undefined, [string, string][]][] = [
  ['regression, linear output, mse: clean', [L.gap(), L.dense(1)], real(1), MSE, []],
  ['regression, 3 outputs, huber: clean', [L.gap(), L.dense(3)], real(3), HUBER, []],
  ['regression with softmax activation', [L.gap(), L.dense(1, { activation: 'softmax' })], real(1), MSE, [['DLC140', '/model/layers/1/dense/activation']]],
  ['regression with a trailing softmax layer (through dropout)', [L.gap(), L.dense(2), L.act('softmax'), L.dropout(0.1)], real(2), MSE, [['DLC140', '/model/layers/2']]],
  ['regression with cross_entropy', [L.gap(), L.dense(1)], real(1), CE, [['DLC141', '/loss']]],
  ['regression with binary_cross_entropy', [L.gap(), L.dense(1)], real(1), BCE, [['DLC141', '/loss']]],
  ['regression: output width against targets', [L.gap(), L.dense(10)], real(2), MSE, [['DLC143', '/model/layers/1/dense/units']]],
  ['regression: width set before trailing dropout', [L.gap(), L.dense(4), L.dropout(0.2)], real(1), MSE, [['DLC143', '/model/layers/1/dense/units']]],
  ['regression: unflattened output', [L.conv(1, 3)], real(1), MSE, [['DLC143', '/model/layers/0']]],
  ['multi-label, bce, linear: clean', [L.gap(), L.dense(5)], multi(5), BCE, []],
  ['multi-label with cross_entropy', [L.gap(), L.dense(5)], multi(5), CE, [['DLC144', '/loss']]],
  ['multi-label with softmax (one diagnostic, not DLC109 too)', [L.gap(), L.dense(5, { activation: 'softmax' })], multi(5), BCE, [['DLC140', '/model/layers/1/dense/activation']]],
  ['multi-label: sigmoid on the output is DLC109 (bce applies it)', [L.gap(), L.dense(5, { activation: 'sigmoid' })], multi(5), BCE, [['DLC109', '/model/layers/1/dense/activation']]],
  ['multi-label: width', [L.gap(), L.dense(4)], multi(5), BCE, [['DLC143', '/model/layers/1/dense/units']]],
  ['multi-label with mse', [L.gap(), L.dense(5)], multi(5), MSE, [['DLC142', '/loss']]],
  ['classes with mse', [L.gap(), L.dense(10)], undefined, MSE, [['DLC142', '/loss']]],
  ['classes with cross_entropy: clean', [L.gap(), L.dense(10)], undefined, CE, []],
  ['classes: width stays DLC108', [L.gap(), L.dense(3)], undefined, CE, [['DLC108', '/model/layers/1/dense/units']]],
  ['classes: softmax + cross_entropy stays DLC109', [L.gap(), L.dense(10, { activation: 'softmax' })], undefined, CE, [['DLC109', '/model/layers/1/dense/activation']]],
];

describe('target-fit diagnostics', () => {
  it.each(table)('%s', (_, layers, target, loss, want) => {
    expect(codes(layers, target, loss)).toEqual(want);
  });

  it('fixes as data: the loss name and the units', () => {
    const [ce] = run([L.gap(), L.dense(1)], real(1), CE);
    expect(ce.fix).toMatchObject({ replacement: 'mse', expected: 'cross_entropy' });
    const [ml] = run([L.gap(), L.dense(5)], multi(5), CE);
    expect(ml.fix).toMatchObject({ replacement: 'binary_cross_entropy', expected: 'cross_entropy' });
    const [w] = run([L.gap(), L.dense(10)], real(2), MSE);
    expect(w.fix).toMatchObject({ replacement: '2', expected: '10' });
    expect(w.message).toContain('10 outputs');
    expect(w.severity).toBe('error');
  });
});
