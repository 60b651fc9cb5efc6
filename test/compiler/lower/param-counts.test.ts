/**
 * Parameter counts against published values (Keras `model.summary()`
 * counting: batch-norm moving mean/variance are non-trainable), each also
 * counted by hand in the comments, so a wrong number cannot hide in both
 * the code and the expectation.
 */
import { describe, expect, it } from 'vitest';
import { lower } from '../../../src/compiler/lower/lower.js';
import type { IR } from '../../../src/compiler/ir.js';
import type { DataSpec } from '../../../src/compiler/spec.js';
import { fakeCtx, L, makeSpec, type Draft } from '../helpers/spec-builder.js';

function totals(ir: IR) {
  const trainable = ir.nodes.reduce((s, n) => s + n.params.trainable, 0);
  const nonTrainable = ir.nodes.reduce((s, n) => s + n.params.nonTrainable, 0);
  return { total: trainable + nonTrainable, trainable, nonTrainable, macs: ir.nodes.reduce((s, n) => s + n.macs, 0) };
}

function lowered(layers: Draft[], data: Partial<DataSpec> = {}): IR {
  const { ir, diagnostics } = lower(makeSpec(layers, { data }), fakeCtx());
  if (!ir) throw new Error(diagnostics.map((d) => `${d.code} ${d.path} ${d.message}`).join('\n'));
  return ir;
}

const synthetic = (shape: [number, number, number], classes: number): Partial<DataSpec> => ({
  dataset: 'synthetic',
  synthetic: { train_samples: 1, test_samples: 1, shape, classes },
});

describe('published parameter counts', () => {
  it('LeNet-5 on MNIST: 61,706', () => {
    // conv 6@5x5 same:  5*5*1*6 + 6    =    156   → 28×28×6 → avgpool → 14×14×6
    // conv 16@5x5 valid: 5*5*6*16 + 16 =  2,416   → 10×10×16 → avgpool → 5×5×16 → flatten 400
    // dense 120: 400*120 + 120          = 48,120
    // dense 84:  120*84 + 84            = 10,164
    // dense 10:  84*10 + 10             =    850   → 61,706
    const ir = lowered(
      [
        L.conv(6, 5, { padding: 'same', activation: 'relu' }),
        L.avgPool(2),
        L.conv(16, 5, { activation: 'relu' }),
        L.avgPool(2),
        L.flatten(),
        L.dense(120, { activation: 'relu' }),
        L.dense(84, { activation: 'relu' }),
        L.dense(10),
      ],
      { dataset: 'mnist' },
    );
    expect(ir.nodes.map((n) => n.shape)).toEqual([[28, 28, 1], [28, 28, 6], [14, 14, 6], [10, 10, 16], [5, 5, 16], [400], [120], [84], [10]]);
    expect(totals(ir)).toMatchObject({ total: 61706, trainable: 61706, nonTrainable: 0 });
  });

  it("Keras's CIFAR-10 ResNet v1, depth 20: 274,442 total, 273,066 trainable", () => {
    // stem: conv 3→16 (3*3*3*16+16 = 448) + BN 16 (64: 32 trainable, 32 moving stats)
    // stage 1, 3 blocks × [conv 16→16 (2,320) + BN (64)] × 2              = 13,920 conv + 384 BN
    // stage 2: block 1 conv 16→32 s2 (4,640) + conv 32→32 (9,248) + proj 1×1 16→32 (544);
    //          blocks 2-3: 4 × 9,248; BN 6 × 128                          = 51,424 conv + 768 BN
    // stage 3: block 1 conv 32→64 s2 (18,496) + conv 64→64 (36,928) + proj 1×1 32→64 (2,112);
    //          blocks 2-3: 4 × 36,928; BN 6 × 256                         = 205,248 conv + 1,536 BN
    // dense 64→10: 650
    // total = 448 + 13,920 + 51,424 + 205,248 (conv) + 2,752 (BN) + 650 = 274,442
    // non-trainable = 2,752 / 2 = 1,376 → trainable 273,066
    const layers: Draft[] = [L.conv(16, 3, { padding: 'same' }), L.bn(), L.act('relu', { name: 'stem' })];
    let prev = 'stem';
    for (const [stage, filters] of [16, 32, 64].entries()) {
      for (let b = 0; b < 3; b++) {
        const p = `s${stage}b${b}`;
        const down = stage > 0 && b === 0;
        layers.push(
          L.conv(filters, 3, { padding: 'same', strides: down ? 2 : 1, name: `${p}_c1`, inputs: [prev] }),
          L.bn(),
          L.act('relu'),
          L.conv(filters, 3, { padding: 'same', name: `${p}_c2` }),
          L.bn({ name: `${p}_bn2` }),
        );
        let shortcut = prev;
        if (down) {
          layers.push(L.conv(filters, 1, { strides: 2, name: `${p}_proj`, inputs: [prev] }));
          shortcut = `${p}_proj`;
        }
        layers.push(L.add([`${p}_bn2`, shortcut]), L.act('relu', { name: `${p}_out` }));
        prev = `${p}_out`;
      }
    }
    layers.push(L.gap(), L.dense(10));
    const ir = lowered(layers);
    expect(totals(ir)).toMatchObject({ total: 274442, trainable: 273066, nonTrainable: 1376 });
    expect(ir.nodes.find((n) => n.id === 's2b2_out')?.shape).toEqual([8, 8, 64]);
    // Published figure for ResNet-20: about 41 M multiply-adds per image.
    expect(totals(ir).macs).toBeGreaterThan(40e6);
    expect(totals(ir).macs).toBeLessThan(42e6);
  });

  it('the five-block CIFAR ConvNet: 395,178 params, 5,163,520 MACs', () => {
    // conv 3→16: 448, 16→32: 4,640, 32→64: 18,496, 64→128: 73,856, 128→256: 295,168 → 1×1×256 → dense 10: 2,570
    // MACs: 32²·27·16 = 442,368; then 16²·144·32 = 8²·288·64 = 4²·576·128 = 2²·1152·256 = 1,179,648 each; dense 2,560
    const layers: Draft[] = [];
    for (const f of [16, 32, 64, 128, 256]) layers.push(L.conv(f, 3, { padding: 'same', activation: 'relu' }), L.maxPool(2));
    layers.push(L.flatten(), L.dense(10));
    const ir = lowered(layers);
    expect(ir.nodes.find((n) => n.op === 'flatten')?.shape).toEqual([256]);
    expect(totals(ir)).toEqual({ total: 395178, trainable: 395178, nonTrainable: 0, macs: 5163520 });
  });

  it('VGG16 (224×224×3, 1000 classes): 138,357,544', () => {
    const layers: Draft[] = [];
    for (const [filters, convs] of [[64, 2], [128, 2], [256, 3], [512, 3], [512, 3]]) {
      for (let i = 0; i < convs; i++) layers.push(L.conv(filters, 3, { padding: 'same', activation: 'relu' }));
      layers.push(L.maxPool(2));
    }
    layers.push(L.flatten(), L.dense(4096, { activation: 'relu' }), L.dense(4096, { activation: 'relu' }), L.dense(1000));
    const ir = lowered(layers, synthetic([224, 224, 3], 1000));
    expect(totals(ir).total).toBe(138357544);
    // Commonly quoted: 15.5 G multiply-adds.
    expect(Math.round(totals(ir).macs / 1e8) / 10).toBe(15.5);
  });

  it('MobileNet v1 (alpha 1, 224, 1000 classes): 4,253,864 total, 21,888 non-trainable', () => {
    // conv1 3×3×3×32 (no bias) = 864; 13 blocks of depthwise 3×3 (no bias, 9·cin) + pointwise 1×1 (no bias, cin·cout),
    // each followed by BN. Σ9·cin = 44,640; Σcin·cout = 3,139,584; BN channels 32 + 4,960 + 5,952 = 10,944 → 43,776
    // (half of it, 21,888, moving statistics); classifier 1024·1000 + 1000 = 1,025,000. Total 4,253,864.
    const layers: Draft[] = [L.conv(32, 3, { padding: 'same', strides: 2, use_bias: false }), L.bn(), L.act('relu')];
    let cin = 32;
    const blocks: [number, number][] = [[64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1]];
    for (const [cout, s] of blocks) {
      layers.push(L.depthwise(3, { padding: 'same', strides: s, use_bias: false }), L.bn(), L.act('relu'));
      layers.push(L.conv(cout, 1, { use_bias: false }), L.bn(), L.act('relu'));
      cin = cout;
    }
    layers.push(L.gap(), L.dropout(0.001), L.dense(1000));
    const ir = lowered(layers, synthetic([224, 224, 3], 1000));
    expect(cin).toBe(1024);
    expect(totals(ir)).toMatchObject({ total: 4253864, trainable: 4231976, nonTrainable: 21888 });
    expect(ir.nodes.find((n) => n.op === 'global_avg_pool2d')?.inputs).toHaveLength(1);
    // Published: 569 M multiply-adds.
    expect(Math.round(totals(ir).macs / 1e6)).toBe(569);
  });

  it('separable conv = depthwise + pointwise + bias (a MobileNet block as one layer)', () => {
    // SeparableConv2D(64, 3) on 16×16×32: 9·32 + 32·64 + 64 = 2,400; depth_multiplier 2: 9·64 + 64·64 + 64 = 4,736
    const one = lowered([L.separable(64, 3, { padding: 'same' }), L.gap(), L.dense(10)], synthetic([16, 16, 32], 10));
    expect(one.nodes[1].params.trainable).toBe(2400);
    const two = lowered([L.separable(64, 3, { padding: 'same', depth_multiplier: 2 }), L.gap(), L.dense(10)], synthetic([16, 16, 32], 10));
    expect(two.nodes[1].params.trainable).toBe(4736);
  });
});
