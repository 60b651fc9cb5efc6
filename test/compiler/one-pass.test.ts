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

describe('all problems of a file in one pass', () => {
  it('the blog post transcription: four mistakes, four diagnostics, though one is a schema error', () => {
    const r = compile(BLOG, { file: 'blog.yaml' });
    expect(r.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([
      ['DLC103', 5, 91], // in_channels 1 for RGB data
      ['DLC104', 10, 39], // dense sized for the wrong flattened shape
      ['DLC109', 10, 57], // ReLU on the logits
      ['DLC010', 11, 40], // misspelled argument
    ]);
    expect(r.ir).toBeUndefined();
  });

  it('a schema error inside the model still stops the graph checks (no cascades)', () => {
    const r = compile(BLOG.replace('filters: 32', 'filtres: 32'), { file: 'blog.yaml' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['DLC010', 'DLC010']);
  });
});
