import { describe, expect, it } from 'vitest';
import { DATASETS, type DatasetDef } from '../../../src/compiler/datasets/index.js';
import { resolveDataFacts } from '../../../src/compiler/lower/datasets.js';
import type { DataSpec, TransformSpec } from '../../../src/compiler/spec.js';
import { CIFAR_DATA, fakeCtx } from '../helpers/spec-builder.js';

const data = (over: Partial<DataSpec>): DataSpec => ({ ...CIFAR_DATA, ...over });
const t = (i: number, split: 'train' | 'eval', spec: Record<string, unknown>): TransformSpec => ({ ...spec, path: `/data/transforms/${split}/${i}` }) as TransformSpec;

const facts: [string, { given: { data: DataSpec; listDir?: (p: string) => string[] | undefined }; want: { inputShape: number[]; numClasses: number; first?: string; last?: string } }][] = [
  ['mnist', { given: { data: data({ dataset: 'mnist' }) }, want: { inputShape: [28, 28, 1], numClasses: 10, first: '0', last: '9' } }],
  ['fashion_mnist', { given: { data: data({ dataset: 'fashion_mnist' }) }, want: { inputShape: [28, 28, 1], numClasses: 10, first: 'T-shirt/top', last: 'Ankle boot' } }],
  ['cifar10', { given: { data: data({}) }, want: { inputShape: [32, 32, 3], numClasses: 10, first: 'airplane', last: 'truck' } }],
  ['synthetic', { given: { data: data({ dataset: 'synthetic', synthetic: { train_samples: 4, test_samples: 4, shape: [12, 10, 2], classes: 4 } }) }, want: { inputShape: [12, 10, 2], numClasses: 4, first: '0', last: '3' } }],
  ['image_folder from folders', { given: { data: data({ dataset: 'image_folder', path: '/d', image_size: [64, 48], channels: 1 }), listDir: (p) => (p === '/d/train' ? ['b', 'a'] : undefined) }, want: { inputShape: [64, 48, 1], numClasses: 2, first: 'a', last: 'b' } }],
  ['image_folder from stated facts', { given: { data: data({ dataset: 'image_folder', input_shape: [20, 20, 3], num_classes: 5 }) }, want: { inputShape: [20, 20, 3], numClasses: 5 } }],
  ['image_folder, unlistable dir falls back to num_classes', { given: { data: data({ dataset: 'image_folder', path: '/d', image_size: [8, 8], num_classes: 3 }), listDir: () => undefined }, want: { inputShape: [8, 8, 3], numClasses: 3 } }],
  ['resize in train and eval', { given: { data: data({ transforms: { train: [t(0, 'train', { kind: 'resize', size: [40, 40] }), t(1, 'train', { kind: 'random_crop', size: 40, padding: 4 })], eval: [t(0, 'eval', { kind: 'resize', size: [40, 40] })] } }) }, want: { inputShape: [40, 40, 3], numClasses: 10 } }],
  ['CIFAR crop + flip + normalize keep 32×32', { given: { data: data({ transforms: { train: [t(0, 'train', { kind: 'random_crop', size: 32, padding: 4 }), t(1, 'train', { kind: 'random_flip', mode: 'horizontal' }), t(2, 'train', { kind: 'normalize', mean: [0.49, 0.48, 0.45], std: [0.25, 0.24, 0.26] })], eval: [] } }) }, want: { inputShape: [32, 32, 3], numClasses: 10 } }],
];

describe('resolveDataFacts', () => {
  it.each(facts)('%s', (_name, { given, want }) => {
    const r = resolveDataFacts(given.data, fakeCtx(given.listDir));
    expect(r.diagnostics).toEqual([]);
    expect(r.facts?.inputShape).toEqual(want.inputShape);
    expect(r.facts?.numClasses).toBe(want.numClasses);
    if (want.first) expect(r.facts?.classNames?.[0]).toBe(want.first);
    if (want.last) expect(r.facts?.classNames?.[want.numClasses - 1]).toBe(want.last);
  });

  const problems: [string, { given: DataSpec; want: [string, string][] }][] = [
    ['input_shape disagrees', { given: data({ input_shape: [32, 32, 1] }), want: [['DLC111', '/data/input_shape']] }],
    ['num_classes disagrees', { given: data({ dataset: 'mnist', num_classes: 9 }), want: [['DLC112', '/data/num_classes']] }],
    ['normalize std for 3 channels on mnist', { given: data({ dataset: 'mnist', transforms: { train: [], eval: [t(0, 'eval', { kind: 'normalize', mean: [0.1307], std: [0.3, 0.3, 0.3] })] } }), want: [['DLC115', '/data/transforms/eval/0/normalize/std']] }],
    ['cutout larger than the image', { given: data({ dataset: 'mnist', transforms: { train: [t(0, 'train', { kind: 'cutout', size: 30 })], eval: [] } }), want: [['DLC115', '/data/transforms/train/0/cutout/size']] }],
    ['resize only in eval', { given: data({ transforms: { train: [], eval: [t(0, 'eval', { kind: 'resize', size: [64, 64] })] } }), want: [['DLC115', '/data/transforms/eval/0/resize']] }],
    ['synthetic without its section', { given: data({ dataset: 'synthetic' }), want: [['DLC118', '/data/dataset']] }],
  ];
  it.each(problems)('%s', (_name, { given, want }) => {
    expect(resolveDataFacts(given, fakeCtx()).diagnostics.map((d) => [d.code, d.path])).toEqual(want);
  });
});

describe('resolveDataFacts on a set that is not images', () => {
  // A stand-in definition (no such set is registered yet): token ids [12] with 5-wide multi-label targets.
  const tokens: DatasetDef = {
    ...DATASETS.synthetic,
    input: 'int32',
    target: 'multi_label',
    facts: () => ({ shape: [12], numClasses: 5, classNames: ['a', 'b', 'c', 'd', 'e'], classesFrom: 'the labels have' }),
  };

  it('gives any-rank input facts with the set’s dtype and target kind', () => {
    const r = resolveDataFacts(data({}), fakeCtx(), tokens);
    expect(r.diagnostics).toEqual([]);
    expect(r.facts).toMatchObject({ sourceShape: [12], inputShape: [12], inputDType: 'int32', target: { kind: 'multi_label', width: 5 }, numClasses: 5 });
  });

  it('reports every image transform on it (DLC115 at the transform) and a stated input_shape that disagrees (DLC111)', () => {
    const given = data({ input_shape: [32, 32, 3], transforms: { train: [t(0, 'train', { kind: 'random_flip', mode: 'horizontal' })], eval: [t(0, 'eval', { kind: 'normalize', mean: [0.5], std: [0.5] })] } });
    const r = resolveDataFacts(given, fakeCtx(), tokens);
    expect(r.diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['DLC115', '/data/transforms/train/0/random_flip'],
      ['DLC115', '/data/transforms/eval/0/normalize'],
      ['DLC111', '/data/input_shape'],
    ]);
    expect(r.diagnostics[2].message).toContain('inputs are 12');
  });
});
