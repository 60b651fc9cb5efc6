/**
 * normalize: shorthands, defaults (the same as the schema's), blocks; and
 * every shipped spec compiles with no diagnostics.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile, compileFile } from '../../../src/compiler/compile.js';
import { buildSchema } from '../../../src/compiler/front/schema/build.js';
import { LAYER_KINDS } from '../../../src/compiler/front/schema/layers.js';
import { LOSSES as LOSS_KINDS, OPTIMIZERS as OPTIMIZER_KINDS, SCHEDULES as SCHEDULE_KINDS, TRANSFORMS as TRANSFORM_KINDS } from '../../../src/compiler/kinds/index.js';
import type { Spec } from '../../../src/compiler/spec.js';

const HEAD = 'name: t\ndata: {dataset: mnist}\n';
const spec = (yaml: string): Spec => {
  const r = compile(yaml, { file: 'spec.yaml', noLower: true });
  expect(r.diagnostics).toEqual([]);
  return r.spec!;
};
const layers = (items: string) => spec(`${HEAD}model:\n  layers:\n${items}`).model.layers;

describe('shorthands', () => {
  it('expands layer shorthands and fills defaults', () => {
    const l = layers('    - conv2d: {filters: 8, kernel_size: 3}\n    - max_pool2d: 2\n    - dropout: 0.5\n    - add: [a, input]\n    - concat: [a, b]\n    - flatten\n    - batch_norm:\n');
    expect(l[0]).toEqual({ kind: 'conv2d', filters: 8, kernel_size: [3, 3], strides: [1, 1], padding: 'valid', dilation_rate: [1, 1], activation: 'linear', use_bias: true, path: '/model/layers/0' });
    expect(l[1]).toEqual({ kind: 'max_pool2d', pool_size: [2, 2], strides: [2, 2], padding: 'valid', path: '/model/layers/1' });
    expect(l[2]).toEqual({ kind: 'dropout', rate: 0.5, path: '/model/layers/2' });
    expect(l[3]).toEqual({ kind: 'add', inputs: ['a', 'input'], path: '/model/layers/3' });
    expect(l[4]).toEqual({ kind: 'concat', axis: -1, inputs: ['a', 'b'], path: '/model/layers/4' });
    expect(l[5]).toEqual({ kind: 'flatten', path: '/model/layers/5' });
    expect(l[6]).toEqual({ kind: 'batch_norm', momentum: 0.9, epsilon: 1e-5, path: '/model/layers/6' });
  });

  it('keeps common keys and explicit pairs', () => {
    const [c] = layers('    - conv2d: {name: c1, inputs: [input], filters: 4, kernel_size: [3, 1], strides: [2, 1], padding: 1, in_channels: 3, expect_shape: [28, 28, 1]}\n');
    expect(c).toMatchObject({ name: 'c1', inputs: ['input'], kernel_size: [3, 1], strides: [2, 1], padding: 1, in_channels: 3, expect_shape: [28, 28, 1] });
  });

  it('expands transform, loss, optimizer, schedule, metric shorthands', () => {
    const s = spec(`name: t
data:
  dataset: mnist
  transforms:
    train: [random_flip, {random_rotation: 15}, {random_translation: 4}, {cutout: 8}, {random_crop: 28}, {resize: [32, 32]}, rescale]
model: {layers: [flatten, {dense: {units: 10}}]}
loss: mse
optimizer: adamw
schedule: cosine
metrics: [accuracy, {top_k_accuracy: 3}, top_k_accuracy]
`);
    expect(s.data.transforms.train.map(({ path: _p, ...t }) => t)).toEqual([
      { kind: 'random_flip', mode: 'horizontal' },
      { kind: 'random_rotation', degrees: 15 },
      { kind: 'random_translation', max_pixels: 4 },
      { kind: 'cutout', size: 8 },
      { kind: 'random_crop', size: 28, padding: 0 },
      { kind: 'resize', size: [32, 32] },
      { kind: 'rescale', scale: 1, offset: 0 },
    ]);
    expect(s.data.transforms.eval).toEqual([]);
    expect(s.loss).toEqual({ kind: 'mse' });
    expect(s.optimizer).toEqual({ kind: 'adamw', learning_rate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0.01 });
    expect(s.schedule).toEqual({ kind: 'cosine', min_lr: 0, warmup_epochs: 0 });
    expect(s.metrics).toEqual([{ kind: 'accuracy' }, { kind: 'top_k_accuracy', k: 3 }, { kind: 'top_k_accuracy', k: 5 }]);
  });

  it('fills the top-level defaults', () => {
    const s = spec(`${HEAD}model: {layers: [flatten]}\n`);
    expect(s.seed).toBe(42);
    expect(s.data).toMatchObject({ validation_split: 0.1, batch_size: 64 });
    expect(s.loss).toEqual({ kind: 'cross_entropy', label_smoothing: 0 });
    expect(s.optimizer).toMatchObject({ kind: 'adam', learning_rate: 0.001, weight_decay: 0 });
    expect(s.schedule).toEqual({ kind: 'constant', warmup_epochs: 0 });
    expect(s.train).toEqual({ epochs: 10, checkpoint: { every_epochs: 1, keep_best: true, monitor: 'val_accuracy' } });
    expect(s.metrics).toEqual([{ kind: 'accuracy' }]);
    expect(spec(`${HEAD}model: {layers: [flatten]}\ntrain: {early_stopping: {}}\n`).train.early_stopping).toEqual({ monitor: 'val_loss', patience: 3, min_delta: 0 });
  });
});

describe('schema defaults equal normalize defaults', () => {
  type KindTable = Record<string, { attrs: Record<string, Record<string, unknown>>; required?: readonly string[] }>;
  const REQUIRED_VALUES: Record<string, unknown> = { filters: 4, kernel_size: 3, pool_size: 2, units: 3, target_shape: [4], rate: 0.5, mean: [0.5], std: [0.5], size: 8, degrees: 10, max_pixels: 2, step_size: 2, milestones: [2], gamma: 0.5, max_lr: 0.1, input_dim: 20, output_dim: 4, layer: 'lstm', num_heads: 2, ff_dim: 8, output_size: 2, groups: 2 };
  const defaultOf = (s: Record<string, unknown>, root: Record<string, unknown>): unknown => {
    if (typeof s.$ref === 'string') return defaultOf((root.definitions as Record<string, Record<string, unknown>>)[s.$ref.split('/').pop()!], root);
    return s.default;
  };
  const check = (table: KindTable, section: string, build: (kind: string, attrs: Record<string, unknown>) => string, pick: (s: Spec) => Record<string, unknown>) => {
    const root = buildSchema();
    for (const [kind, def] of Object.entries(table)) {
      const attrs = Object.fromEntries((def.required ?? []).map((r) => [r, kind === 'resize' ? [8, 8] : REQUIRED_VALUES[r]]));
      const got = pick(spec(build(kind, attrs)));
      for (const [attr, s] of Object.entries(def.attrs)) {
        const d = defaultOf(s, root);
        if (d === undefined) continue;
        // Leaving the attribute out gives what writing its schema default gives (2-D sizes, for one, normalise to pairs).
        const explicit = pick(spec(build(kind, { ...attrs, [attr]: d })));
        expect(got[attr], `${section}.${kind}.${attr}`).toEqual(explicit[attr]);
      }
    }
  };
  const flow = (kind: string, attrs: Record<string, unknown>) => `{${kind}: ${JSON.stringify(attrs)}}`;

  it('layers', () => check(LAYER_KINDS as unknown as KindTable, 'layer', (k, a) => `${HEAD}model: {layers: [${flow(k, a)}]}\n`, (s) => s.model.layers[0] as unknown as Record<string, unknown>));
  it('transforms', () => check(TRANSFORM_KINDS as unknown as KindTable, 'transform', (k, a) => `name: t\ndata: {dataset: mnist, transforms: {train: [${flow(k, a)}]}}\nmodel: {layers: [flatten]}\n`, (s) => s.data.transforms.train[0] as unknown as Record<string, unknown>));
  it('losses', () => check(LOSS_KINDS as unknown as KindTable, 'loss', (k, a) => `${HEAD}model: {layers: [flatten]}\nloss: ${flow(k, a)}\n`, (s) => s.loss as unknown as Record<string, unknown>));
  it('optimizers', () => check(OPTIMIZER_KINDS as unknown as KindTable, 'optimizer', (k, a) => `${HEAD}model: {layers: [flatten]}\noptimizer: ${flow(k, a)}\n`, (s) => s.optimizer as unknown as Record<string, unknown>));
  it('schedules', () => check(SCHEDULE_KINDS as unknown as KindTable, 'schedule', (k, a) => `${HEAD}model: {layers: [flatten]}\nschedule: ${flow(k, a)}\n`, (s) => s.schedule as unknown as Record<string, unknown>));

  it('top level, data and train', () => {
    const root = buildSchema();
    const props = root.properties as Record<string, Record<string, unknown>>;
    const s = spec(`${HEAD}model: {layers: [flatten]}\ntrain: {early_stopping: {}}\n`);
    expect(s.seed).toBe(props.seed.default);
    expect(s.metrics.map((m) => m.kind)).toEqual(props.metrics.default);
    const data = props.data.properties as Record<string, Record<string, unknown>>;
    expect(s.data.validation_split).toBe(data.validation_split.default);
    expect(s.data.batch_size).toBe(data.batch_size.default);
    const train = props.train.properties as Record<string, Record<string, unknown>>;
    expect(s.train.epochs).toBe(train.epochs.default);
    for (const section of ['early_stopping', 'checkpoint'] as const) {
      for (const [k, p] of Object.entries(train[section].properties as Record<string, Record<string, unknown>>)) {
        // The best-checkpoint monitor's default depends on the target kind (kinds/target.ts): no schema default; cifar10 has classes.
        if (section === 'checkpoint' && k === 'monitor') {
          expect(p.default).toBeUndefined();
          expect(s.train.checkpoint.monitor).toBe('val_accuracy');
          continue;
        }
        expect((s.train[section] as unknown as Record<string, unknown>)[k], `${section}.${k}`).toEqual(p.default);
      }
    }
  });
});

describe('blocks', () => {
  const BLOCKS = `${HEAD}model:
  blocks:
    res:
      params: {filters: 8, stride: 1}
      layers:
        - conv2d: {filters: $filters, kernel_size: 3, strides: $stride, padding: same}
        - relu
        - conv2d: {name: last, filters: $filters, kernel_size: 3, padding: same}
        - add: [last, input]
  layers:
    - conv2d: {filters: 8, kernel_size: 3}
    - block: {name: stage, use: res, repeat: 2, with: {filters: 16}}
    - block: {use: res}
    - flatten
`;

  it('expands copies with scoped names, rewired inputs and definition paths', () => {
    const l = spec(BLOCKS).model.layers;
    expect(l.map((x) => x.name ?? x.kind)).toEqual([
      'stage_input',
      'stage.0.conv2d_1', 'stage.0.relu_1', 'stage.0.last', 'stage.0.add_1',
      'stage.1.conv2d_1', 'stage.1.relu_1', 'stage.1.last', 'stage.1.add_1',
      'res_1.0.conv2d_1', 'res_1.0.relu_1', 'res_1.0.last', 'res_1.0.add_1',
      'flatten',
    ]);
    expect(l[0]).toMatchObject({ kind: 'conv2d', path: '/model/layers/0' });
    expect(l[1]).toMatchObject({ filters: 16, strides: [1, 1], path: '/model/blocks/res/layers/0' });
    expect(l[1].inputs).toBeUndefined(); // reads the previous layer
    expect(l[4]).toMatchObject({ kind: 'add', inputs: ['stage.0.last', 'stage_input'], path: '/model/blocks/res/layers/3' });
    expect(l[8]).toMatchObject({ inputs: ['stage.1.last', 'stage.0.add_1'] });
    expect(l[9]).toMatchObject({ filters: 8 }); // parameter default
    expect(l[12]).toMatchObject({ inputs: ['res_1.0.last', 'stage.1.add_1'] });
  });

  it('a block first in the model reads the model input', () => {
    const l = spec(BLOCKS.replace('    - conv2d: {filters: 8, kernel_size: 3}\n', '')).model.layers;
    expect(l[3]).toMatchObject({ inputs: ['stage.0.last', 'input'] });
  });
});

describe('shipped specs', () => {
  const dir = fileURLToPath(new URL('../../../specs/', import.meta.url));
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

  it('include the five required ones', () => {
    expect(files).toEqual(expect.arrayContaining(['mnist-convnet.yaml', 'cifar-convnet.yaml', 'lenet5.yaml', 'resnet20-cifar.yaml', 'fashion-mnist.yaml']));
  });

  it.each(files)('%s starts with the modeline and compiles with no diagnostics', (f) => {
    expect(readFileSync(dir + f, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/dlc.schema.json');
    const r = compileFile(dir + f);
    expect(r.diagnostics).toEqual([]);
    expect(r.spec).toBeDefined();
  });
});
