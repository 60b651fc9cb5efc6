/**
 * Lowering and the IR passes, table-driven: each case gives a model (and
 * data/loss overrides) and wants exactly the listed diagnostics, as
 * code + JSON pointer (fakeLocate turns the pointer into line/col; one test
 * checks that mapping). One mistake → one diagnostic, no cascades.
 */
import { describe, expect, it } from 'vitest';
import { lower } from '../../../src/compiler/lower/lower.js';
import type { Spec } from '../../../src/compiler/spec.js';
import { fakeCtx, fakeLocate, L, makeSpec, type Draft } from '../helpers/spec-builder.js';

type Over = Parameters<typeof makeSpec>[1];
type Case = [string, { given: { layers: Draft[]; over?: Over; listDir?: (p: string) => string[] | undefined }; want: [code: string, path: string][] }];

/** The five-block ConvNet of DESIGN.md, correct for CIFAR-10. */
const convnet = (first: Partial<Draft> = {}, head: Draft[] = [L.flatten(), L.dense(10)]): Draft[] => [
  { ...L.conv(16, 3, { padding: 'same', activation: 'relu' }), ...first } as Draft,
  L.maxPool(2),
  L.conv(32, 3, { padding: 'same', activation: 'relu' }),
  L.maxPool(2),
  L.conv(64, 3, { padding: 'same', activation: 'relu' }),
  L.maxPool(2),
  L.conv(128, 3, { padding: 'same', activation: 'relu' }),
  L.maxPool(2),
  L.conv(256, 3, { padding: 'same', activation: 'relu' }),
  L.maxPool(2),
  ...head,
];

const resBlock = (): Draft[] => [
  L.conv(16, 3, { padding: 'same', name: 'c1' }),
  L.bn({ name: 'b1' }),
  L.conv(16, 3, { padding: 'same', name: 'c2' }),
  L.add(['c2', 'c1'], { name: 'sum' }),
  L.gap(),
  L.dense(10),
];

const cases: Case[] = [
  ['clean five-block ConvNet', { given: { layers: convnet() }, want: [] }],
  ['clean small ResNet-style DAG', { given: { layers: resBlock() }, want: [] }],
  // DLC100: unknown reference, at the inputs item
  ['DLC100 unknown input', { given: { layers: [L.conv(8, 3, { name: 'stem' }), L.conv(8, 3, { inputs: ['stme'] }), L.gap(), L.dense(10)] }, want: [['DLC100', '/model/layers/1/conv2d/inputs/0']] }],
  ['DLC100 unknown model output', { given: { layers: [L.gap(), L.dense(10, { name: 'logits' })], over: { model: { layers: [], output: 'logit' } } }, want: [['DLC100', '/model/output']] }],
  // DLC101: duplicate / reserved names, at the second name
  ['DLC101 duplicate name', { given: { layers: [L.conv(8, 3, { name: 'a' }), L.conv(8, 3, { name: 'a' }), L.gap(), L.dense(10)] }, want: [['DLC101', '/model/layers/1/conv2d/name']] }],
  ['DLC101 reserved name input', { given: { layers: [L.conv(8, 3, { name: 'input' }), L.gap(), L.dense(10)] }, want: [['DLC101', '/model/layers/0/conv2d/name']] }],
  // DLC102: a cycle, reported once at its first layer
  [
    'DLC102 cycle',
    {
      given: { layers: [L.conv(8, 3, { name: 'a', padding: 'same' }), L.add(['a', 'c'], { name: 'b' }), L.conv(8, 3, { name: 'c', padding: 'same' }), L.gap(), L.dense(10)] },
      want: [['DLC102', '/model/layers/1/add/inputs']],
    },
  ],
  ['forward reference without a cycle is fine', { given: { layers: [L.conv(8, 3, { name: 'a', inputs: ['input'] }), L.gap({ name: 'g', inputs: ['d'] }), L.dense(10, { name: 'out', inputs: ['g'] }), L.act('relu', { name: 'd', inputs: ['a'] })], over: { model: { layers: [], output: 'out' } } }, want: [] }],
  // DLC103: wrong in_channels — the blog post's 1-channel conv on RGB data
  ['DLC103 in_channels 1 on RGB', { given: { layers: convnet({ in_channels: 1 }) }, want: [['DLC103', '/model/layers/0/conv2d/in_channels']] }],
  // DLC104: dense sized for the wrong flattened shape (no cascade to the next dense)
  [
    'DLC104 in_features for the wrong flatten',
    { given: { layers: convnet({}, [L.flatten(), L.dense(64, { in_features: 4096 }), L.dense(10, { in_features: 64 })]) }, want: [['DLC104', '/model/layers/11/dense/in_features']] },
  ],
  ['DLC105 expect_shape', { given: { layers: [L.conv(8, 3, { expect_shape: [28, 28, 1] }), L.gap(), L.dense(10)] }, want: [['DLC105', '/model/layers/0/conv2d/expect_shape']] }],
  ['expect_shape that matches', { given: { layers: [L.conv(8, 3, { expect_shape: [32, 32, 3] }), L.gap(), L.dense(10)] }, want: [] }],
  // DLC106: too many pools — at the layer that reaches zero, and nothing after it
  ['DLC106 six pools on 32x32', { given: { layers: convnet({}, [L.maxPool(2), L.flatten(), L.dense(10)]) }, want: [['DLC106', '/model/layers/10']] }],
  ['DLC107 add of mismatched branches', { given: { layers: [L.conv(16, 3, { name: 'a', padding: 'same' }), L.conv(32, 3, { name: 'b', padding: 'same' }), L.add(['a', 'b']), L.gap(), L.dense(10)] }, want: [['DLC107', '/model/layers/2/add/inputs']] }],
  // DLC108: final units vs classes, at units
  ['DLC108 100 units on cifar10', { given: { layers: convnet({}, [L.flatten(), L.dense(100)]) }, want: [['DLC108', '/model/layers/11/dense/units']] }],
  ['DLC108 through a trailing dropout', { given: { layers: [L.gap(), L.dense(5), L.dropout(0.1)] }, want: [['DLC108', '/model/layers/1/dense/units']] }],
  ['DLC108 output is not a vector', { given: { layers: [L.conv(10, 3)] }, want: [['DLC108', '/model/layers/0']] }],
  // A single sigmoid unit on two classes: refused (class targets reach the loss one-hot; it trained on a wrong loss silently)
  ['binary_cross_entropy with 1 unit on 2 classes', { given: { layers: [L.gap(), L.dense(1)], over: { data: { dataset: 'synthetic', synthetic: { train_samples: 8, test_samples: 8, shape: [8, 8, 1], classes: 2 } }, loss: { kind: 'binary_cross_entropy', label_smoothing: 0 } } }, want: [['DLC108', '/model/layers/1/dense/units']] }],
  // DLC109: activation on logits (warning)
  ['DLC109 relu on the logits', { given: { layers: convnet({}, [L.flatten(), L.dense(10, { activation: 'relu' })]) }, want: [['DLC109', '/model/layers/11/dense/activation']] }],
  ['DLC109 trailing softmax layer', { given: { layers: [L.gap(), L.dense(10), L.act('softmax')] }, want: [['DLC109', '/model/layers/2']] }],
  ['DLC142 mse on class targets (softmax on the output is then no DLC109)', { given: { layers: [L.gap(), L.dense(10, { activation: 'softmax' })], over: { loss: { kind: 'mse' } } }, want: [['DLC142', '/loss']] }],
  // DLC110: unused layer (warning)
  ['DLC110 unused named branch', { given: { layers: [L.conv(8, 3, { name: 'a', padding: 'same' }), L.conv(8, 3, { name: 'side', padding: 'same' }), L.gap({ inputs: ['a'] }), L.dense(10)] }, want: [['DLC110', '/model/layers/1/conv2d/name']] }],
  ['no DLC110 cascade from an unresolved reference', { given: { layers: [L.conv(8, 3, { name: 'a' }), L.conv(8, 3, { name: 'b', inputs: ['a'] }), L.gap({ inputs: ['bb'] }), L.dense(10)] }, want: [['DLC100', '/model/layers/2/global_avg_pool2d/inputs/0']] }],
  // DLC111/112: stated data facts
  ['DLC111 wrong input_shape', { given: { layers: [L.gap(), L.dense(10)], over: { data: { input_shape: [28, 28, 1] } } }, want: [['DLC111', '/data/input_shape']] }],
  ['DLC112 wrong num_classes', { given: { layers: [L.gap(), L.dense(10)], over: { data: { num_classes: 100 } } }, want: [['DLC112', '/data/num_classes']] }],
  ['DLC112 against image_folder sub-folders', { given: { layers: [L.gap(), L.dense(3)], over: { data: { dataset: 'image_folder', path: 'imgs', image_size: [16, 16], num_classes: 3 } }, listDir: (p) => (p === 'imgs/train' ? ['cat', 'dog'] : undefined) }, want: [['DLC112', '/data/num_classes'], ['DLC108', '/model/layers/1/dense/units']] }],
  ['DLC113 dense without flatten', { given: { layers: [L.conv(8, 3), L.dense(10)] }, want: [['DLC113', '/model/layers/1']] }],
  ['DLC114 reshape', { given: { layers: [L.flatten(), L.reshape([16, 16, 3]), L.gap(), L.dense(10)] }, want: [['DLC114', '/model/layers/1/reshape/target_shape']] }],
  // DLC115: transforms
  ['DLC115 normalize with 1-channel stats on... 2 values', { given: { layers: [L.gap(), L.dense(10)], over: { data: { transforms: { train: [], eval: [{ kind: 'normalize', mean: [0.5, 0.5], std: [0.2, 0.2], path: '/data/transforms/eval/0' }] } } } }, want: [['DLC115', '/data/transforms/eval/0/normalize/mean']] }],
  ['DLC115 crop larger than padded image', { given: { layers: [L.gap(), L.dense(10)], over: { data: { transforms: { train: [{ kind: 'random_crop', size: 48, padding: 4, path: '/data/transforms/train/0' }], eval: [] } } } }, want: [['DLC115', '/data/transforms/train/0/random_crop/size']] }],
  ['DLC115 crop that changes the training size', { given: { layers: [L.gap(), L.dense(10)], over: { data: { transforms: { train: [{ kind: 'random_crop', size: 24, padding: 0, path: '/data/transforms/train/0' }], eval: [] } } } }, want: [['DLC115', '/data/transforms/train/0/random_crop']] }],
  ['resize in both pipelines sets the input shape', { given: { layers: [L.conv(8, 3, { expect_shape: [64, 64, 3] }), L.gap(), L.dense(10)], over: { data: { input_shape: [64, 64, 3], transforms: { train: [{ kind: 'resize', size: [64, 64], path: '/data/transforms/train/0' }], eval: [{ kind: 'resize', size: [64, 64], path: '/data/transforms/eval/0' }] } } } }, want: [] }],
  ['DLC116 add with one input', { given: { layers: [L.conv(8, 3), { kind: 'add' } as Draft, L.gap(), L.dense(10)] }, want: [['DLC116', '/model/layers/1/add/inputs']] }],
  ['DLC117 conv with two inputs', { given: { layers: [L.conv(8, 3, { name: 'a' }), L.conv(8, 3, { inputs: ['a', 'input'] }), L.gap(), L.dense(10)] }, want: [['DLC117', '/model/layers/1/conv2d/inputs']] }],
  ['DLC118 image_folder without size', { given: { layers: [L.gap(), L.dense(10)], over: { data: { dataset: 'image_folder', num_classes: 10 } } }, want: [['DLC118', '/data/dataset']] }],
  ['DLC118 image_folder without classes', { given: { layers: [L.gap(), L.dense(10)], over: { data: { dataset: 'image_folder', image_size: [32, 32] } } }, want: [['DLC118', '/data/dataset']] }],
  // DLC119, 122, 123 (issue 16, hostile input): a model over the memory budget at its biggest layer; legal but surely wrong values (std 0 is DLC115)
  ['DLC119 dense of 10^9 units', { given: { layers: [L.flatten(), L.dense(1_000_000_000), L.dense(10)] }, want: [['DLC119', '/model/layers/1']] }],
  ['DLC122 dropout 1', { given: { layers: [L.gap(), L.dropout(1), L.dense(10)] }, want: [['DLC122', '/model/layers/1/dropout/rate']] }],
  // DLC140–DLC144: outputs and losses against real / multi-label targets (data.synthetic.target)
  ['DLC140 softmax on a regression output', { given: { layers: [L.gap(), L.dense(2, { activation: 'softmax' })], over: { loss: { kind: 'mse' }, data: { dataset: 'synthetic', synthetic: { train_samples: 8, test_samples: 4, shape: [8, 8, 1], classes: 2, target: 'real' } } } }, want: [['DLC140', '/model/layers/1/dense/activation']] }],
  ['DLC141 cross_entropy on real targets', { given: { layers: [L.gap(), L.dense(2)], over: { data: { dataset: 'synthetic', synthetic: { train_samples: 8, test_samples: 4, shape: [8, 8, 1], classes: 2, target: 'real' } } } }, want: [['DLC141', '/loss']] }],
  ['DLC143 outputs against the number of real targets', { given: { layers: [L.gap(), L.dense(3)], over: { loss: { kind: 'huber', delta: 1 }, data: { dataset: 'synthetic', synthetic: { train_samples: 8, test_samples: 4, shape: [8, 8, 1], classes: 1, target: 'real' } } } }, want: [['DLC143', '/model/layers/1/dense/units']] }],
  ['DLC144 cross_entropy on multi-label targets', { given: { layers: [L.gap(), L.dense(4)], over: { data: { dataset: 'synthetic', synthetic: { train_samples: 8, test_samples: 4, shape: [8, 8, 1], classes: 4, target: 'multi_label' } } } }, want: [['DLC144', '/loss']] }],
  ['multi-label with binary_cross_entropy and 4 outputs is clean', { given: { layers: [L.gap(), L.dense(4)], over: { loss: { kind: 'binary_cross_entropy', label_smoothing: 0 }, data: { dataset: 'synthetic', synthetic: { train_samples: 8, test_samples: 4, shape: [8, 8, 1], classes: 4, target: 'multi_label' } } } }, want: [] }],
  // DLC145: a monitor the target does not produce (accuracy/F1 of real targets), at the monitor; DLC146/147: one_cycle's momentum against the optimizer
  ['DLC145 best checkpoint by val_accuracy on real targets', { given: { layers: [L.gap(), L.dense(1)], over: { loss: { kind: 'mse' }, train: { epochs: 1, checkpoint: { every_epochs: 1, keep_best: true, monitor: 'val_accuracy' } }, data: { dataset: 'synthetic', synthetic: { train_samples: 8, test_samples: 4, shape: [8, 8, 1], classes: 1, target: 'real' } } } }, want: [['DLC145', '/train/checkpoint/monitor']] }],
  ['DLC145 early stopping and plateau on accuracy of real targets', { given: { layers: [L.gap(), L.dense(1)], over: { loss: { kind: 'mse' }, schedule: { kind: 'reduce_on_plateau', monitor: 'accuracy', factor: 0.1, patience: 2, min_lr: 0, warmup_epochs: 0 }, train: { epochs: 1, early_stopping: { monitor: 'val_f1', patience: 1, min_delta: 0 }, checkpoint: { every_epochs: 1, keep_best: true, monitor: 'val_loss' } }, data: { dataset: 'synthetic', synthetic: { train_samples: 8, test_samples: 4, shape: [8, 8, 1], classes: 1, target: 'real' } } } }, want: [['DLC145', '/train/early_stopping/monitor'], ['DLC145', '/schedule/reduce_on_plateau/monitor']] }],
  ['val_accuracy on class targets is clean', { given: { layers: [L.gap(), L.dense(10)], over: { train: { epochs: 1, early_stopping: { monitor: 'val_f1', patience: 1, min_delta: 0 }, checkpoint: { every_epochs: 1, keep_best: true, monitor: 'val_accuracy' } } } }, want: [] }],
  ['DLC146 adagrad with a cycling one_cycle', { given: { layers: [L.gap(), L.dense(10)], over: { optimizer: { kind: 'adagrad', learning_rate: 0.01, initial_accumulator_value: 0, epsilon: 1e-10, weight_decay: 0 }, schedule: { kind: 'one_cycle', max_lr: 0.1, pct_start: 0.3, div_factor: 25, final_div_factor: 1e4, cycle_momentum: true, base_momentum: 0.85, max_momentum: 0.95 } } }, want: [['DLC146', '/schedule/one_cycle/cycle_momentum']] }],
  ['adagrad with one_cycle without cycle_momentum is clean', { given: { layers: [L.gap(), L.dense(10)], over: { optimizer: { kind: 'adagrad', learning_rate: 0.01, initial_accumulator_value: 0, epsilon: 1e-10, weight_decay: 0 }, schedule: { kind: 'one_cycle', max_lr: 0.1, pct_start: 0.3, div_factor: 25, final_div_factor: 1e4, cycle_momentum: false, base_momentum: 0.85, max_momentum: 0.95 } } }, want: [] }],
  ['DLC147 one_cycle max_momentum 1 as adam beta1', { given: { layers: [L.gap(), L.dense(10)], over: { optimizer: { kind: 'adam', learning_rate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0 }, schedule: { kind: 'one_cycle', max_lr: 0.1, pct_start: 0.3, div_factor: 25, final_div_factor: 1e4, cycle_momentum: true, base_momentum: 0.85, max_momentum: 1 } } }, want: [['DLC147', '/schedule/one_cycle/max_momentum']] }],
  ['sgd with one_cycle max_momentum 1 is clean (PyTorch and Keras accept momentum 1)', { given: { layers: [L.gap(), L.dense(10)], over: { schedule: { kind: 'one_cycle', max_lr: 0.1, pct_start: 0.3, div_factor: 25, final_div_factor: 1e4, cycle_momentum: true, base_momentum: 0.85, max_momentum: 1 } } }, want: [] }],
  // DLC124: multiply inputs that do not broadcast (a squeeze-excitation gate of the wrong width), at the multiply's inputs
  [
    'DLC124 multiply gate of the wrong width',
    { given: { layers: [L.conv(16, 3, { name: 'feat' }), L.gap(), L.dense(8, { name: 'gate' }), { kind: 'multiply', inputs: ['feat', 'gate'] } as Draft, L.gap(), L.dense(10)] }, want: [['DLC124', '/model/layers/3/multiply/inputs']] },
  ],
  // DLC125: conv2d groups that do not divide the channels, at groups
  ['DLC125 groups not dividing the filters', { given: { layers: [L.conv(16, 3), { ...L.conv(12, 3), groups: 8 } as Draft, L.gap(), L.dense(10)] }, want: [['DLC125', '/model/layers/1/conv2d/groups']] }],
  ['DLC123 a single class', { given: { layers: [L.gap(), L.dense(1)], over: { data: { dataset: 'image_folder', image_size: [32, 32], num_classes: 1 } } }, want: [['DLC123', '/data/path']] }],
  // DLC130, 131 (csv data, issue 11): a column the table's header lacks, at its spec position; a table that cannot be read, at data.path (test/compiler/datasets/csv.test.ts has the messages)
  ['DLC130 a misspelt column', { given: { layers: [L.dense(3)], over: { data: { dataset: 'csv', path: 'vega-datasets/data/penguins.json', features: ['Islnd'], target: 'Species' } } }, want: [['DLC130', '/data/features/0']] }],
  ['DLC131 a table that is not there', { given: { layers: [L.dense(3)], over: { data: { dataset: 'csv', path: 'no-such-table.csv', features: ['a'], target: 'b' } } }, want: [['DLC131', '/data/path']] }],
  // DLC132 (text data, issue 11): an embedding whose input_dim does not cover the text set's ids (vocab_size + 2 reserved), at its input_dim (test/compiler/datasets/text.test.ts has the message)
  ['DLC132 an embedding smaller than the vocabulary', { given: { layers: [{ kind: 'embedding', input_dim: 20, output_dim: 4 } as Draft, { kind: 'global_avg_pool1d' } as Draft, L.dense(3)], over: { data: { dataset: 'text', path: 'vega-datasets/data/penguins.json', text_column: 'Island', target: 'Species', vocab_size: 50, max_length: 4 } } }, want: [['DLC132', '/model/layers/0/embedding/input_dim']] }],
];

function specOf(given: Case[1]['given']): Spec {
  const s = makeSpec(given.layers, given.over);
  return given.over?.model ? { ...s, model: { ...given.over.model, layers: makeSpec(given.layers).model.layers } } : s;
}

describe('lower: diagnostics', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    const { diagnostics } = lower(specOf(given), fakeCtx(given.listDir));
    expect(diagnostics.map((d) => [d.code, d.path])).toEqual(want);
    for (const d of diagnostics) {
      expect({ line: d.line, col: d.col }).toEqual(fakeLocate(d.path));
      expect(d.file).toBe('spec.yaml');
    }
  });
});

describe('lower: the IR', () => {
  it('returns an IR in topological order, input first', () => {
    const { ir } = lower(makeSpec(resBlock()), fakeCtx());
    expect(ir?.nodes.map((n) => n.id)).toEqual(['input', 'c1', 'b1', 'c2', 'sum', 'global_avg_pool2d_1', 'dense_1']);
    expect(ir?.nodes.find((n) => n.id === 'sum')?.inputs).toEqual(['c2', 'c1']);
    expect(ir?.outputId).toBe('dense_1');
    expect(ir?.inputShape).toEqual([32, 32, 3]);
    expect(ir?.classNames?.[0]).toBe('airplane');
  });

  it('orders forward references after what they read', () => {
    const spec = makeSpec([L.conv(8, 3, { name: 'a', inputs: ['input'] }), L.gap({ name: 'g', inputs: ['d'] }), L.dense(10, { name: 'out', inputs: ['g'] }), L.act('relu', { name: 'd', inputs: ['a'] })]);
    const { ir } = lower({ ...spec, model: { ...spec.model, output: 'out' } }, fakeCtx());
    expect(ir?.nodes.map((n) => n.id)).toEqual(['input', 'a', 'd', 'g', 'out']);
  });

  it('returns no IR when there is an error, but keeps warnings with an IR', () => {
    expect(lower(makeSpec([L.gap(), L.dense(100)]), fakeCtx()).ir).toBeUndefined();
    const warned = lower(makeSpec([L.gap(), L.dense(10, { activation: 'softmax' })]), fakeCtx());
    expect(warned.ir).toBeDefined();
    expect(warned.diagnostics.map((d) => d.severity)).toEqual(['warning']);
  });

  it('auto-names avoid user names', () => {
    const { ir } = lower(makeSpec([L.conv(8, 3, { name: 'conv2d_1' }), L.conv(8, 3), L.gap(), L.dense(10)]), fakeCtx());
    expect(ir?.nodes.map((n) => n.id)).toEqual(['input', 'conv2d_1', 'conv2d_2', 'global_avg_pool2d_1', 'dense_1']);
  });

  it('keeps integer padding as stated (the builder pads explicitly)', () => {
    const { ir } = lower(makeSpec([L.conv(8, 3, { padding: 1 }), L.gap(), L.dense(10)]), fakeCtx());
    expect(ir?.nodes[1].attrs.padding).toBe(1);
    expect(ir?.nodes[1].shape).toEqual([32, 32, 8]);
    expect(ir?.nodes[1].attrs).not.toHaveProperty('in_channels');
  });

  it('image_folder class names come from sorted sub-folders, hidden ones skipped', () => {
    const spec = makeSpec([L.gap(), L.dense(3)], { data: { dataset: 'image_folder', path: 'd/', image_size: [16, 16], channels: 1 } });
    const { ir } = lower(spec, fakeCtx((p) => (p === 'd/train' ? ['zebra', '.DS_Store', 'ant', 'cat'] : undefined)));
    expect(ir?.classNames).toEqual(['ant', 'cat', 'zebra']);
    expect(ir?.inputShape).toEqual([16, 16, 1]);
  });

  it('hints name the inferred value', () => {
    const { diagnostics } = lower(makeSpec(convnet({}, [L.flatten(), L.dense(10, { in_features: 4096 })])), fakeCtx());
    expect(diagnostics[0].hint).toContain("'flatten_1' flattens 1×1×256 into 256 features");
    const ch = lower(makeSpec(convnet({ in_channels: 1 })), fakeCtx()).diagnostics[0];
    expect(ch.message).toContain('3 channels');
  });

  it('a mistake inside a repeated block is reported once', () => {
    // Normalize gives every copy of a block layer the block definition's path.
    const spec = makeSpec([L.conv(8, 3, { name: 's.0.c', in_channels: 4 }), L.conv(8, 3, { name: 's.1.c', in_channels: 4 }), L.gap(), L.dense(10)]);
    const layers = spec.model.layers.map((l, i) => (i < 2 ? { ...l, path: '/blocks/s/layers/0' } : l));
    const { diagnostics } = lower({ ...spec, model: { layers } }, fakeCtx());
    expect(diagnostics.map((d) => d.code)).toEqual(['DLC103']);
  });
});

describe('coverage of the catalogue', () => {
  it('every DLC1xx code has a table case above', async () => {
    const { CODES } = await import('../../../src/compiler/diagnostics/codes.js');
    const modelCodes = Object.keys(CODES).filter((c) => c >= 'DLC100' && c < 'DLC200');
    const tested = new Set(cases.flatMap(([, { want }]) => want.map(([code]) => code)));
    expect(modelCodes.filter((c) => !tested.has(c))).toEqual([]);
  });
});
