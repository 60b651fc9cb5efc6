import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/compile.js';
import { FRAMEWORK_VOCABULARY, frameworkName } from '../../../src/compiler/diagnostics/did-you-mean.js';

const spec = (layers: string, extra = '') => `name: v
data: {dataset: mnist}
model:
  layers:
${layers}
    - flatten
    - dense: 10
${extra}`;

/** Words whose dlc op is still to come (issue 14 item 1): listed so that they light up when it lands. */
const PLANNED: string[] = [];

/** [what was typed, the spec, the diagnostic code, the renamed word, the suggested dlc name] */
const CASES: ReadonlyArray<readonly [string, string, string, string, string]> = [
  ['out_channels on a conv', spec('    - conv2d: {out_channels: 8, kernel_size: 3}'), 'DLC010', 'out_channels', 'filters'],
  ['out_channels on dense', spec('    - flatten\n    - dense: {out_channels: 8}'), 'DLC010', 'out_channels', 'units'],
  ['out_features', spec('    - flatten\n    - dense: {out_features: 8}'), 'DLC010', 'out_features', 'units'],
  ['kernel', spec('    - conv2d: {filters: 8, kernel: 3}'), 'DLC010', 'kernel', 'kernel_size'],
  ['stride', spec('    - conv2d: {filters: 8, kernel_size: 3, stride: 2}'), 'DLC010', 'stride', 'strides'],
  ['nn.Linear', spec('    - flatten\n    - nn.Linear: 8'), 'DLC015', 'nn.Linear', 'dense'],
  ['Linear', spec('    - flatten\n    - Linear: 8'), 'DLC015', 'Linear', 'dense'],
  ['Conv2d', spec('    - Conv2d: {filters: 8, kernel_size: 3}'), 'DLC015', 'Conv2d', 'conv2d'],
  ['MaxPool2d', spec('    - MaxPool2d: 2'), 'DLC015', 'MaxPool2d', 'max_pool2d'],
  ['AdaptiveAvgPool2d', spec('    - AdaptiveAvgPool2d: 1'), 'DLC015', 'AdaptiveAvgPool2d', 'adaptive_avg_pool2d'],
  ['AdaptiveMaxPool2d', spec('    - AdaptiveMaxPool2d: [2, 2]'), 'DLC015', 'AdaptiveMaxPool2d', 'adaptive_max_pool2d'],
  ['AvgPool1d', spec('    - AvgPool1d: 2'), 'DLC015', 'AvgPool1d', 'avg_pool1d'],
  ['BatchNorm2d', spec('    - BatchNorm2d: {}'), 'DLC015', 'BatchNorm2d', 'batch_norm'],
  ['ReLU6', spec('    - ReLU6'), 'DLC015', 'ReLU6', 'relu6'],
  ['SiLU', spec('    - SiLU'), 'DLC015', 'SiLU', 'silu'],
  ['Hardswish', spec('    - nn.Hardswish'), 'DLC015', 'nn.Hardswish', 'hard_swish'],
  ['Hardsigmoid', spec('    - Hardsigmoid'), 'DLC015', 'Hardsigmoid', 'hard_sigmoid'],
  ['lr', spec('', 'optimizer: {sgd: {lr: 0.1}}'), 'DLC010', 'lr', 'learning_rate'],
  ['CrossEntropyLoss', spec('', 'loss: CrossEntropyLoss'), 'DLC013', 'CrossEntropyLoss', 'cross_entropy'],
];

describe('framework vocabulary: PyTorch and Keras words get the dlc name as a fix', () => {
  it.each(CASES)('%s', (_what, text, code, word, name) => {
    const r = compile(text, { file: 'v.yaml', noLower: true });
    const d = r.diagnostics.find((x) => x.fix?.expected === word);
    expect(d, JSON.stringify(r.diagnostics.map((x) => [x.code, x.message]))).toBeDefined();
    expect(d!.code).toBe(code);
    expect(d!.fix!.replacement).toBe(name);
    expect(d!.message).toContain(`did you mean '${name}'?`);
  });

  it('groups is not suggested as depth_multiplier (different meaning)', () => {
    expect(frameworkName('groups', ['depth_multiplier', 'filters'])).toBeUndefined();
  });

  it("groups is conv2d's own key: no unknown-key error, DLC125 at it when it does not divide the channels", () => {
    const ok = compile(spec('    - conv2d: {filters: 8, kernel_size: 3}\n    - conv2d: {filters: 8, kernel_size: 3, groups: 4}'), { file: 'v.yaml' });
    expect(ok.diagnostics.filter((d) => d.path?.includes('groups'))).toEqual([]);
    const bad = compile(spec('    - conv2d: {filters: 8, kernel_size: 3}\n    - conv2d: {filters: 6, kernel_size: 3, groups: 4}'), { file: 'v.yaml' });
    const d = bad.diagnostics.find((x) => x.code === 'DLC125');
    expect(d?.path).toBe('/model/layers/1/conv2d/groups');
    expect([d?.line, d?.col]).toEqual([6, 52]);
    expect(d?.message).toContain('groups 4 does not divide the 6 filters');
    expect(d?.hint).toContain('2 would');
  });

  it('weight_decay typed on a layer or in train says where it belongs', () => {
    const r = compile(spec('', 'train: {epochs: 1, weight_decay: 0.0005}'), { file: 'v.yaml', noLower: true });
    const d = r.diagnostics.find((x) => x.code === 'DLC010');
    expect(d?.path).toBe('/train/weight_decay');
    expect(d?.hint).toMatch(/under the optimizer/);
  });

  it('every dlc name of the table is a real key, kind or loss somewhere in the schema', async () => {
    const { buildSchema } = await import('../../../src/compiler/compile.js');
    const schemaText = JSON.stringify(buildSchema());
    const missing = [...new Set(Object.values(FRAMEWORK_VOCABULARY).flat())].filter((n) => !schemaText.includes(`"${n}"`));
    // Names of ops not (yet) in the registry are allowed only while the table lists another choice after them.
    const unreachable = Object.entries(FRAMEWORK_VOCABULARY).filter(([, names]) => names.length > 0 && names.every((n) => missing.includes(n)));
    expect(PLANNED).toEqual(expect.arrayContaining(unreachable.map(([w]) => w)));
  });
});
