/**
 * Lowering diagnostics through the whole compiler, from YAML text: the
 * position of each diagnostic is checked by what the source has there (the
 * offending value), so these tests pin real file:line:col behaviour.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/compile.js';

const HEAD = `name: t
data:
  dataset: cifar10
loss: cross_entropy
optimizer: {sgd: {learning_rate: 0.01}}
`;

/** Each diagnostic as [code, the source text at its position (up to the next , or })]. */
function located(source: string): [string, string][] {
  const { diagnostics } = compile(source, { file: 'spec.yaml' });
  const lines = source.split('\n');
  return diagnostics.map((d) => [d.code, lines[d.line - 1].slice(d.col - 1).split(/[,}]/)[0].trim()]);
}

const cases: [string, { given: string; want: [string, string][] }][] = [
  [
    'the blog ConvNet transcribed from PyTorch: three mistakes, three diagnostics',
    {
      given: `${HEAD}model:
  layers:
    - conv2d: {filters: 16, kernel_size: 3, padding: 1, in_channels: 1, activation: relu}
    - max_pool2d: 2
    - conv2d: {filters: 32, kernel_size: 3, padding: 1, in_channels: 16, activation: relu}
    - max_pool2d: 2
    - flatten
    - dense: {units: 10, in_features: 1024, activation: relu}
`,
      want: [
        ['DLC103', '1'],
        ['DLC104', '1024'],
        ['DLC109', 'relu'],
      ],
    },
  ],
  [
    'an unknown reference with a did-you-mean',
    {
      given: `${HEAD}model:
  layers:
    - conv2d: {filters: 16, kernel_size: 3, padding: same, name: stem}
    - conv2d: {filters: 16, kernel_size: 3, padding: same}
    - add: [stme, conv2d_1]
    - global_avg_pool2d
    - dense: {units: 10}
`,
      want: [['DLC100', 'stme']],
    },
  ],
  [
    'a residual block without projection, reported once at the block definition',
    {
      given: `${HEAD}model:
  blocks:
    basic:
      params: {filters: 16, strides: 1}
      layers:
        - conv2d: {filters: $filters, kernel_size: 3, strides: $strides, padding: same}
        - batch_norm: {name: bn}
        - add: [bn, input]
  layers:
    - conv2d: {filters: 16, kernel_size: 3, padding: same}
    - block: {use: basic, repeat: 2}
    - block: {use: basic, repeat: 2, with: {filters: 32, strides: 2}}
    - global_avg_pool2d
    - dense: {units: 10}
`,
      want: [['DLC107', '[bn']],
    },
  ],
  [
    'too many pools',
    {
      given: `${HEAD}model:
  layers:
    - conv2d: {filters: 8, kernel_size: 3}
    - max_pool2d: 4
    - max_pool2d: 4
    - max_pool2d: 4
    - flatten
    - dense: {units: 10}
`,
      want: [['DLC106', 'max_pool2d: 4']],
    },
  ],
];

describe('lowering diagnostics at their YAML positions', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(located(given)).toEqual(want);
  });

  it('a clean DAG lowers to an IR', () => {
    const { ir, diagnostics } = compile(`${HEAD}model:
  layers:
    - conv2d: {filters: 16, kernel_size: 3, padding: same, name: a}
    - conv2d: {filters: 16, kernel_size: 3, padding: same}
    - add: [a, conv2d_1]
    - global_avg_pool2d
    - dense: {units: 10}
`);
    expect(diagnostics).toEqual([]);
    expect(ir?.nodes.map((n) => n.op)).toEqual(['input', 'conv2d', 'conv2d', 'add', 'global_avg_pool2d', 'dense']);
  });
});
