/**
 * The transform shape rules both `dlc check` (DLC115) and the runtime's
 * input pipeline use: each transform's output shape and why it cannot apply.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/compile.js';
import { firstTransformProblem, isRandomTransform, transformedShape, transformStep } from '../../../src/compiler/shared/transform-shape.js';
import type { TransformSpec } from '../../../src/compiler/spec.js';
import { checkTransform, transformedShape as runtimeShape } from '../../../src/runtime/transforms/apply.js';
import { DataError } from '../../../src/runtime/data/errors.js';

const P = '/data/transforms/train/0';
const t = (x: Record<string, unknown>): TransformSpec => ({ path: P, ...x }) as unknown as TransformSpec;

describe('transformStep', () => {
  it('resize sets height×width, random_crop sets size×size, the rest keep the shape', () => {
    expect(transformStep(t({ kind: 'resize', size: [12, 20] }), [28, 28, 3]).shape).toEqual([12, 20, 3]);
    expect(transformStep(t({ kind: 'random_crop', size: 24, padding: 2 }), [28, 28, 1]).shape).toEqual([24, 24, 1]);
    for (const k of [t({ kind: 'rescale', scale: 2, offset: -1 }), t({ kind: 'random_flip', mode: 'both' }), t({ kind: 'random_rotation', degrees: 10 }), t({ kind: 'cutout', size: 4 }), t({ kind: 'random_translation', max_pixels: 3 }), t({ kind: 'normalize', mean: [0.5], std: [0.2] })])
      expect(transformStep(k, [28, 28, 1])).toEqual({ shape: [28, 28, 1] });
    expect(transformedShape([32, 32, 3], [t({ kind: 'random_crop', size: 28, padding: 0 }), t({ kind: 'resize', size: [16, 8] })])).toEqual([16, 8, 3]);
  });

  it.each([
    ['crop larger than the padded image', t({ kind: 'random_crop', size: 33, padding: 0 }), [32, 32, 3], 'size', /random_crop of 33×33 does not fit 32×32 images padded by 0/],
    ['means for the wrong channel count', t({ kind: 'normalize', mean: [0.1, 0.2], std: [0.3] }), [8, 8, 3], 'mean', /normalize mean has 2 values, but the images have 3 channels/],
    ['stds for the wrong channel count', t({ kind: 'normalize', mean: [0.1], std: [0.3, 0.3, 0.3] }), [8, 8, 1], 'std', /normalize std has 3 values, but the images have 1 channel$/],
    ['one mean but three stds', t({ kind: 'normalize', mean: [0.1], std: [0.3, 0.3, 0.3] }), [8, 8, 3], 'std', /normalize has 1 means but 3 stds/],
    ['a zero std', t({ kind: 'normalize', mean: [0.1], std: [0] }), [8, 8, 1], 'std', /every std > 0/],
    ['cutout larger than the image', t({ kind: 'cutout', size: 9 }), [8, 8, 1], 'size', /cutout of 9×9 is larger than the 8×8 images/],
    ['translation out of frame', t({ kind: 'random_translation', max_pixels: 8 }), [8, 12, 1], 'max_pixels', /out of frame/],
    ['an empty resize', t({ kind: 'resize', size: [0, 4] }), [8, 8, 1], 'size', /positive size/],
  ] as const)('%s is a problem at its key, and the shape is unchanged', (_name, tr, shape, key, msg) => {
    const r = transformStep(tr, shape);
    expect(r.shape).toEqual(shape);
    expect(r.problem?.key).toBe(key);
    expect(r.problem?.message).toMatch(msg);
    // The runtime reports the same problem, at the spec path.
    expect(() => checkTransform(tr, shape)).toThrow(DataError);
    expect(() => checkTransform(tr, shape)).toThrow(new RegExp(`^${P}: ${r.problem!.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  });

  it('firstTransformProblem follows the shape through the list', () => {
    // The crop fits the 32×32 image, but cutout 30 does not fit its 24×24 output.
    const list = [t({ kind: 'random_crop', size: 24, padding: 0 }), t({ kind: 'cutout', size: 30 })];
    expect(firstTransformProblem([32, 32, 3], list)).toMatchObject({ transform: list[1], problem: { key: 'size' } });
    expect(firstTransformProblem([32, 32, 3], list.slice(0, 1))).toBeUndefined();
    expect(() => runtimeShape([32, 32, 3], list)).toThrow(/cutout of 30×30 is larger than the 24×24 images/);
    expect(runtimeShape([32, 32, 3], list.slice(0, 1))).toEqual([24, 24, 3]);
  });

  it('isRandomTransform: the ones that draw random numbers', () => {
    const random = ['random_flip', 'random_crop', 'random_rotation', 'random_translation', 'cutout'];
    for (const kind of ['normalize', 'rescale', 'resize', ...random]) expect(isRandomTransform(t({ kind })), kind).toBe(random.includes(kind));
  });
});

describe('dlc check uses the same rules (DLC115)', () => {
  it('reports a mean/std count mismatch the runtime would reject', () => {
    const r = compile('name: t\ndata: {dataset: cifar10, transforms: {eval: [{normalize: {mean: [0.5], std: [0.2, 0.2, 0.2]}}]}}\nmodel: {layers: [flatten, {dense: {units: 10}}]}\n', { file: 'spec.yaml' });
    expect(r.diagnostics.map((d) => [d.code, d.path])).toEqual([['DLC115', '/data/transforms/eval/0/normalize/std']]);
    expect(r.diagnostics[0].message).toBe('normalize has 1 means but 3 stds');
  });
});
