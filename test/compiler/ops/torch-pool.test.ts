/**
 * PyTorch-style pooling in a spec: shapes follow PyTorch's formula (ResNet's
 * stem pool, GoogLeNet's ceil-mode pools, adaptive pooling), the recipes of
 * `valid`/`same` pooling stay tfjs's own layers, and a padding larger than
 * half the window (PyTorch refuses it), ceil_mode or count_include_pad: true
 * with `same` are reported at their key's position.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/compile.js';

const spec = (shape: number[], layers: string[]): string => `name: t
data:
  dataset: synthetic
  synthetic: {train_samples: 8, test_samples: 4, shape: [${shape.join(', ')}], classes: 2}
  batch_size: 4
model:
  layers:
${layers.map((l) => `    - ${l}`).join('\n')}
    - flatten
    - dense: {units: 2}
optimizer: {sgd: {learning_rate: 0.1}}
train: {epochs: 1}
`;

const shapesOf = (src: string) => {
  const r = compile(src, { file: 't.yaml' } as never);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ir!.nodes.slice(1).map((n) => [n.op, n.shape, n.layers.map((c) => c.layer).join('+')]);
};

describe('PyTorch pooling in specs', () => {
  it('infers PyTorch output sizes and builds tfjs pools for valid/same, dlc pools otherwise', () => {
    expect(
      shapesOf(
        spec([112, 112, 4], [
          'max_pool2d: {pool_size: 3, strides: 2, padding: 1}', // ResNet: 112 → 56
          'max_pool2d: {pool_size: 3, strides: 2, ceil_mode: true}', // GoogLeNet: 56 → 28 (floor: 27)
          'avg_pool2d: {pool_size: 3, strides: 1, padding: 1, count_include_pad: false}',
          'max_pool2d: {pool_size: 2, padding: same}',
          'avg_pool2d: 2',
          'adaptive_avg_pool2d: [3, 5]',
          'adaptive_max_pool2d: 1',
        ]),
      ).slice(0, 7),
    ).toEqual([
      ['max_pool2d', [56, 56, 4], 'dlcTorchPool'],
      ['max_pool2d', [28, 28, 4], 'dlcTorchPool'],
      ['avg_pool2d', [28, 28, 4], 'dlcTorchPool'],
      ['max_pool2d', [14, 14, 4], 'maxPooling2d'],
      ['avg_pool2d', [7, 7, 4], 'averagePooling2d'],
      ['adaptive_avg_pool2d', [3, 5, 4], 'dlcAdaptivePool2d'],
      ['adaptive_max_pool2d', [1, 1, 4], 'dlcAdaptivePool2d'],
    ]);
  });

  it.each([
    ['max_pool2d: {pool_size: 3, strides: 2, padding: 2}', 'DLC012', 'padding', 'more than half the window', 'value'],
    ['avg_pool2d: {pool_size: [3, 2], padding: [1, 2]}', 'DLC012', 'padding', 'PyTorch allows at most 1', 'value'],
    ['max_pool2d: {pool_size: 2, padding: same, ceil_mode: true}', 'DLC013', 'ceil_mode', 'ceil_mode does not apply', 'value'],
    ['avg_pool2d: {pool_size: 2, padding: same, count_include_pad: true}', 'DLC013', 'count_include_pad', 'count_include_pad: true does not apply', 'value'],
    ['max_pool2d: {pool_size: 2, count_include_pad: false}', 'DLC010', 'count_include_pad', "unknown key 'count_include_pad'", 'key'],
  ])('%s → %s at its %s', (layer, code, key, text, at) => {
    const src = spec([8, 8, 1], [layer]);
    const r = compile(src, { file: 't.yaml' } as never);
    const d = r.diagnostics.find((x) => x.code === code);
    expect(d, JSON.stringify(r.diagnostics)).toBeDefined();
    expect(d!.message).toContain(text);
    const line = src.split('\n').findIndex((l) => l.includes(layer)) + 1;
    const keyCol = src.split('\n')[line - 1].indexOf(`${key}: `) + 1;
    expect([d!.line, d!.col]).toEqual([line, at === 'key' ? keyCol : keyCol + key.length + 2]);
  });
});
