/**
 * Each IR pass on its own (run on the inferred graph, before the pipeline),
 * table-driven, plus the end-to-end promise: a PyTorch transcription with
 * three mistakes gets exactly three diagnostics.
 */
import { describe, expect, it } from 'vitest';
import { inferGraph, lower } from '../../../../src/compiler/lower/lower.js';
import { checkClassCount } from '../../../../src/compiler/lower/passes/class-count.js';
import type { Pass } from '../../../../src/compiler/lower/passes/context.js';
import { checkExpectations } from '../../../../src/compiler/lower/passes/expectations.js';
import { checkLogitsActivation } from '../../../../src/compiler/lower/passes/logits-activation.js';
import { PASSES } from '../../../../src/compiler/lower/passes/pipeline.js';
import { checkMemoryBudget } from '../../../../src/compiler/lower/passes/memory-budget.js';
import { checkSanity } from '../../../../src/compiler/lower/passes/sanity.js';
import { checkTargetFit } from '../../../../src/compiler/lower/passes/target-fit.js';
import { checkTrainingSettings } from '../../../../src/compiler/lower/passes/training-settings.js';
import { checkEmbeddingVocab } from '../../../../src/compiler/lower/passes/embedding-vocab.js';
import { checkUnusedNodes } from '../../../../src/compiler/lower/passes/unused-nodes.js';
import { fakeCtx, L, makeSpec, type Draft } from '../../helpers/spec-builder.js';

type Over = Parameters<typeof makeSpec>[1];

function runPass(pass: Pass, layers: Draft[], over?: Over): [string, string][] {
  const g = inferGraph(makeSpec(layers, over), fakeCtx());
  return pass(g.ir!, g.passContext!).map((d) => [d.code, d.path]);
}

const head = [L.gap(), L.dense(10)];

const table: [string, { given: { pass: Pass; layers: Draft[]; over?: Over }; want: [string, string][] }][] = [
  ['expectations: all agree', { given: { pass: checkExpectations, layers: [L.conv(8, 3, { in_channels: 3, expect_shape: [32, 32, 3] }), L.flatten(), L.dense(10, { in_features: 30 * 30 * 8 })] }, want: [] }],
  ['expectations: in_channels', { given: { pass: checkExpectations, layers: [L.conv(8, 3, { in_channels: 1 }), ...head] }, want: [['DLC103', '/model/layers/0/conv2d/in_channels']] }],
  ['expectations: in_channels on batch_norm', { given: { pass: checkExpectations, layers: [L.conv(8, 3), L.bn({ in_channels: 16 }), ...head] }, want: [['DLC103', '/model/layers/1/batch_norm/in_channels']] }],
  ['expectations: in_features', { given: { pass: checkExpectations, layers: [L.flatten(), L.dense(10, { in_features: 3072 + 1 })] }, want: [['DLC104', '/model/layers/1/dense/in_features']] }],
  ['expectations: expect_shape rank', { given: { pass: checkExpectations, layers: [L.flatten(), L.dense(10, { expect_shape: [32, 32, 3] })] }, want: [['DLC105', '/model/layers/1/dense/expect_shape']] }],
  ['expectations: skip layers whose inference failed', { given: { pass: checkExpectations, layers: [L.dense(10, { in_features: 3072 })] }, want: [] }],
  ['class count: right', { given: { pass: checkClassCount, layers: head }, want: [] }],
  ['class count: wrong units', { given: { pass: checkClassCount, layers: [L.gap(), L.dense(2)] }, want: [['DLC108', '/model/layers/1/dense/units']] }],
  ['class count: through trailing softmax and dropout', { given: { pass: checkClassCount, layers: [L.gap(), L.dense(2), L.act('softmax'), L.dropout(0.1)] }, want: [['DLC108', '/model/layers/1/dense/units']] }],
  ['class count: conv head sets filters', { given: { pass: checkClassCount, layers: [L.conv(7, 1), L.gap()] }, want: [['DLC108', '/model/layers/1']] }],
  ['class count: fashion_mnist', { given: { pass: checkClassCount, layers: [L.flatten(), L.dense(10)], over: { data: { dataset: 'fashion_mnist' } } }, want: [] }],
  ['logits: linear output', { given: { pass: checkLogitsActivation, layers: head }, want: [] }],
  ['logits: softmax activation', { given: { pass: checkLogitsActivation, layers: [L.gap(), L.dense(10, { activation: 'softmax' })] }, want: [['DLC109', '/model/layers/1/dense/activation']] }],
  ['logits: sigmoid with binary_cross_entropy', { given: { pass: checkLogitsActivation, layers: [L.gap(), L.dense(10, { activation: 'sigmoid' })], over: { loss: { kind: 'binary_cross_entropy', label_smoothing: 0 } } }, want: [['DLC109', '/model/layers/1/dense/activation']] }],
  ['logits: trailing relu layer', { given: { pass: checkLogitsActivation, layers: [...head, L.act('relu')] }, want: [['DLC109', '/model/layers/2']] }],
  ['logits: relu earlier is fine', { given: { pass: checkLogitsActivation, layers: [L.act('relu'), ...head] }, want: [] }],
  ['logits: huber loss is not about logits', { given: { pass: checkLogitsActivation, layers: [L.gap(), L.dense(10, { activation: 'tanh' })], over: { loss: { kind: 'huber', delta: 1 } } }, want: [] }],
  ['unused: chain uses everything', { given: { pass: checkUnusedNodes, layers: head }, want: [] }],
  ['unused: unnamed dead leaf', { given: { pass: checkUnusedNodes, layers: [L.conv(8, 3, { name: 'a' }), L.conv(8, 3), L.gap({ inputs: ['a'] }), L.dense(10)] }, want: [['DLC110', '/model/layers/1']] }],
  ['unused: only the leaf of a dead chain', { given: { pass: checkUnusedNodes, layers: [L.conv(8, 3, { name: 'a' }), L.conv(8, 3, { name: 'x' }), L.conv(8, 3, { name: 'y' }), L.gap({ inputs: ['a'] }), L.dense(10)] }, want: [['DLC110', '/model/layers/2/conv2d/name']] }],
  ['unused: no warning on top of a duplicate name', { given: { pass: checkUnusedNodes, layers: [L.conv(8, 3, { name: 'a' }), L.conv(8, 3, { name: 'a', inputs: ['input'] }), L.gap({ inputs: ['a'] }), L.dense(10)] }, want: [] }],
];

describe('passes', () => {
  it.each(table)('%s', (_name, { given, want }) => {
    expect(runPass(given.pass, given.layers, given.over)).toEqual(want);
  });

  it('pipeline lists every pass once, in order', () => {
    expect(PASSES).toEqual([checkExpectations, checkClassCount, checkTargetFit, checkTrainingSettings, checkEmbeddingVocab, checkLogitsActivation, checkUnusedNodes, checkSanity, checkMemoryBudget]);
  });
});

describe('a PyTorch transcription of the blog ConvNet', () => {
  it('gets exactly one diagnostic per mistake', () => {
    // nn.Conv2d(1, 16, 3, padding=1) on RGB; nn.Linear(256 * 2 * 2, 10) after five pools of 32×32; ReLU on the logits.
    const layers: Draft[] = [];
    let cin = 1;
    for (const f of [16, 32, 64, 128, 256]) {
      layers.push(L.conv(f, 3, { padding: 1, in_channels: cin, activation: 'relu' }), L.maxPool(2));
      cin = f;
    }
    layers.push(L.flatten(), L.dense(10, { in_features: 256 * 2 * 2, activation: 'relu' }));
    const { diagnostics, ir } = lower(makeSpec(layers), fakeCtx());
    expect(ir).toBeUndefined();
    expect(diagnostics.map((d) => [d.code, d.path]).sort()).toEqual([
      ['DLC103', '/model/layers/0/conv2d/in_channels'],
      ['DLC104', '/model/layers/11/dense/in_features'],
      ['DLC109', '/model/layers/11/dense/activation'],
    ]);
    expect(diagnostics.find((d) => d.code === 'DLC104')?.message).toMatch(/in_features is 1024, but its input has 256 features/);
  });
});
