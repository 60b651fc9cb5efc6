import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/compile.js';

const BLOG = `name: blog-convnet
data: {dataset: cifar10}
model:
  layers:
    - conv2d: {filters: 16, kernel_size: 3, padding: same, activation: relu, in_channels: 1}
    - max_pool2d: 2
    - conv2d: {filters: 32, kernel_size: 3, padding: same, activation: relu}
    - max_pool2d: 2
    - flatten
    - dense: {units: 10, in_features: 4096, activation: relu}
optimizer: {sgd: {learning_rate: 0.01, momentun: 0.9}}
`;

/** The blog post's model as transcribed in issue 14 (PyTorch names on the dense layer). */
const ISSUE = `name: blog
data: {dataset: cifar10}
model:
  layers:
    - conv2d: {in_channels: 1, filters: 16, kernel_size: 3, padding: same, activation: relu}
    - max_pool2d: 2
    - conv2d: {filters: 32, kernel_size: 3, padding: same, activation: relu}
    - max_pool2d: 2
    - flatten
    - dense: {in_features: 16384, out_channels: 10, activation: relu}
`;

type Row = readonly [string, string, ReadonlyArray<readonly [string, string]>];

/** [what, spec, every expected [code, pointer]] — schema and graph mistakes mixed, 2–5 per spec. */
const TABLE: readonly Row[] = [
  ['the issue transcription: in_channels, out_channels → units, in_features, ReLU on logits', ISSUE, [
    ['DLC103', '/model/layers/0/conv2d/in_channels'],
    ['DLC010', '/model/layers/5/dense/out_channels'],
    ['DLC104', '/model/layers/5/dense/in_features'],
    ['DLC109', '/model/layers/5/dense/activation'],
  ]],
  ['a misspelled layer argument no longer hides the graph mistakes', BLOG.replace('filters: 32', 'filtres: 32'), [
    ['DLC103', '/model/layers/0/conv2d/in_channels'],
    ['DLC010', '/model/layers/2/conv2d/filtres'],
    ['DLC104', '/model/layers/5/dense/in_features'],
    ['DLC109', '/model/layers/5/dense/activation'],
    ['DLC010', '/optimizer/sgd/momentun'],
  ]],
  ['PyTorch layer kinds and loss name: Linear, CrossEntropyLoss, plus a wrong in_channels', `name: t
data: {dataset: mnist}
model:
  layers:
    - conv2d: {filters: 8, kernel_size: 3, in_channels: 3}
    - flatten
    - Linear: {units: 10, activation: softmax}
loss: CrossEntropyLoss
`, [
    ['DLC103', '/model/layers/0/conv2d/in_channels'],
    ['DLC015', '/model/layers/2/Linear'],
    ['DLC109', '/model/layers/2/Linear/activation'], // said at the key the author wrote
    ['DLC013', '/loss'],
  ]],
  ['a layer whose meaning is unknown (wrong type): the layers before it are still checked, nothing after it', `name: t
data: {dataset: cifar10}
model:
  layers:
    - conv2d: {filters: 8, kernel_size: 3, in_channels: 1}
    - conv2d: {filters: 8, kernel_size: three}
    - flatten
    - dense: {units: 7, in_features: 3}
optimizer: {adam: {lr: 0.001}}
`, [
    ['DLC103', '/model/layers/0/conv2d/in_channels'],
    ['DLC011', '/model/layers/1/conv2d/kernel_size'],
    ['DLC010', '/optimizer/adam/lr'],
  ]],
  ['an unknown key without a suggestion is dropped, the rest is checked', `name: t
data: {dataset: mnist}
model:
  layers:
    - flatten
    - dense: {units: 12, zzzzqqq: 1}
`, [
    ['DLC010', '/model/layers/1/dense/zzzzqqq'],
    ['DLC108', '/model/layers/1/dense/units'],
  ]],
];

describe('all problems of a file in one pass', () => {
  it.each(TABLE)('%s', (_what, text, want) => {
    const r = compile(text, { file: 'spec.yaml' });
    const got = r.diagnostics.map((d) => [d.code, d.path] as const);
    expect(got, JSON.stringify(r.diagnostics.map((d) => [d.code, d.path, d.message]))).toEqual(expect.arrayContaining(want.map((w) => [...w])));
    expect(got).toHaveLength(want.length);
    expect(r.ir).toBeUndefined();
  });

  it('the blog post transcription: positions of its four mistakes, though one is a schema error', () => {
    const r = compile(BLOG, { file: 'blog.yaml' });
    expect(r.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([
      ['DLC103', 5, 91], // in_channels 1 for RGB data
      ['DLC104', 10, 39], // dense sized for the wrong flattened shape
      ['DLC109', 10, 57], // ReLU on the logits
      ['DLC010', 11, 40], // misspelled argument
    ]);
  });

  it('the issue transcription: out_channels on dense suggests units, and the graph is checked as if it were', () => {
    const r = compile(ISSUE, { file: 'blog.yaml' });
    const d = r.diagnostics.find((x) => x.code === 'DLC010')!;
    expect(d.fix?.replacement).toBe('units');
    expect(r.diagnostics.find((x) => x.code === 'DLC104')!.message).toContain('2048');
  });

  it('the editor gets the salvaged graph (hovers stay) while a layer is broken', () => {
    const r = compile(ISSUE, { file: 'blog.yaml', partial: true });
    expect(r.partialIr?.nodes.length).toBeGreaterThanOrEqual(6);
  });
});
