import { describe, expect, it } from 'vitest';
import { lowerAttrs } from '../../../src/compiler/lower/lower.js';
import { typedOp } from '../../../src/compiler/ir-attrs.js';
import { inferOp, windowOutput, type Shape } from '../../../src/compiler/lower/shape-inference.js';
import { L, withPaths, type Draft } from '../helpers/spec-builder.js';

/** Infers one layer on the given input shapes. */
function infer(d: Draft, ...inputs: Shape[]) {
  const layer = withPaths([d])[0];
  return inferOp(typedOp({ op: layer.kind, attrs: lowerAttrs(layer) }), inputs);
}

type Want = { shape: number[]; trainable?: number; nonTrainable?: number; macs?: number };
const cases: [string, { given: [Draft, ...Shape[]]; want: Want }][] = [
  // conv2d: Keras output sizes; params k*k*cin*f + f; MACs Ho*Wo*k*k*cin*f
  ['conv same', { given: [L.conv(16, 3, { padding: 'same' }), [32, 32, 3]], want: { shape: [32, 32, 16], trainable: 448, macs: 32 * 32 * 9 * 3 * 16 } }],
  ['conv valid', { given: [L.conv(6, 5), [32, 32, 1]], want: { shape: [28, 28, 6], trainable: 156, macs: 28 * 28 * 25 * 6 } }],
  ['conv same stride 2 odd size', { given: [L.conv(8, 3, { padding: 'same', strides: 2 }), [7, 7, 4]], want: { shape: [4, 4, 8], trainable: 3 * 3 * 4 * 8 + 8 } }],
  ['conv valid stride 2', { given: [L.conv(8, 3, { strides: 2 }), [7, 7, 4]], want: { shape: [3, 3, 8] } }],
  ['conv valid dilation 2', { given: [L.conv(8, 3, { dilation_rate: 2 }), [10, 10, 1]], want: { shape: [6, 6, 8] } }],
  ['conv rectangular kernel, no bias', { given: [L.conv(4, [3, 1], { use_bias: false }), [10, 10, 2]], want: { shape: [8, 10, 4], trainable: 3 * 1 * 2 * 4 } }],
  ['conv integer padding (PyTorch padding=1)', { given: [L.conv(8, 3, { padding: 1 }), [32, 32, 3]], want: { shape: [32, 32, 8] } }],
  ['conv integer padding stride 2', { given: [L.conv(8, 3, { padding: 1, strides: 2 }), [32, 32, 3]], want: { shape: [16, 16, 8] } }],
  ['conv integer padding 2 on 5x5 kernel', { given: [L.conv(8, 5, { padding: 2 }), [9, 9, 3]], want: { shape: [9, 9, 8] } }],
  // depthwise: k*k*cin*dm + cin*dm
  ['depthwise', { given: [L.depthwise(3, { padding: 'same' }), [16, 16, 32]], want: { shape: [16, 16, 32], trainable: 9 * 32 + 32, macs: 16 * 16 * 9 * 32 } }],
  ['depthwise multiplier 2 stride 2', { given: [L.depthwise(3, { padding: 'same', strides: 2, depth_multiplier: 2 }), [16, 16, 8]], want: { shape: [8, 8, 16], trainable: 9 * 16 + 16 } }],
  // separable: depthwise k*k*cin*dm + pointwise cin*dm*f + f
  ['separable', { given: [L.separable(64, 3, { padding: 'same' }), [16, 16, 32]], want: { shape: [16, 16, 64], trainable: 9 * 32 + 32 * 64 + 64, macs: 16 * 16 * (9 * 32 + 32 * 64) } }],
  ['max pool 2', { given: [L.maxPool(2), [32, 32, 16]], want: { shape: [16, 16, 16], trainable: 0, macs: 0 } }],
  ['max pool 2 on odd size (valid floors)', { given: [L.maxPool(2), [7, 7, 16]], want: { shape: [3, 3, 16] } }],
  ['max pool 2 on odd size, same ceils', { given: [L.maxPool(2, { padding: 'same' }), [7, 7, 16]], want: { shape: [4, 4, 16] } }],
  ['avg pool 3 stride 2', { given: [L.avgPool(3, { strides: 2 }), [9, 9, 4]], want: { shape: [4, 4, 4] } }],
  ['global avg pool', { given: [L.gap(), [8, 8, 64]], want: { shape: [64], trainable: 0 } }],
  ['global max pool', { given: [L.gmp(), [8, 8, 64]], want: { shape: [64] } }],
  ['flatten', { given: [L.flatten(), [4, 4, 256]], want: { shape: [4096] } }],
  ['dense', { given: [L.dense(10), [4096]], want: { shape: [10], trainable: 40970, macs: 40960 } }],
  ['dense no bias', { given: [L.dense(10, { use_bias: false }), [64]], want: { shape: [10], trainable: 640 } }],
  ['reshape', { given: [L.reshape([7, 7, 16]), [784]], want: { shape: [7, 7, 16] } }],
  ['batch norm: 2C trainable, 2C moving stats', { given: [L.bn(), [8, 8, 16]], want: { shape: [8, 8, 16], trainable: 32, nonTrainable: 32 } }],
  ['layer norm', { given: [L.ln(), [128]], want: { shape: [128], trainable: 256, nonTrainable: 0 } }],
  ['dropout keeps shape', { given: [L.dropout(0.5), [128]], want: { shape: [128], trainable: 0 } }],
  ['relu keeps shape', { given: [L.act('relu'), [4, 4, 2]], want: { shape: [4, 4, 2] } }],
  ['add', { given: [L.add(['a', 'b']), [8, 8, 16], [8, 8, 16]], want: { shape: [8, 8, 16], trainable: 0 } }],
  ['concat channels', { given: [L.concat(['a', 'b']), [8, 8, 16], [8, 8, 32]], want: { shape: [8, 8, 48] } }],
  ['concat axis 0 (per-sample height)', { given: [L.concat(['a', 'b'], 0), [8, 4, 2], [3, 4, 2]], want: { shape: [11, 4, 2] } }],
  ['concat three vectors', { given: [L.concat(['a', 'b', 'c']), [3], [4], [5]], want: { shape: [12] } }],
];

describe('inferOp', () => {
  it.each(cases)('%s', (_name, { given: [draft, ...inputs], want }) => {
    const r = infer(draft, ...inputs);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.shape).toEqual(want.shape);
    if (want.trainable !== undefined) expect(r.params.trainable).toBe(want.trainable);
    expect(r.params.nonTrainable).toBe(want.nonTrainable ?? 0);
    if (want.macs !== undefined) expect(r.macs).toBe(want.macs);
  });
});

const errors: [string, { given: [Draft, ...Shape[]]; want: { code: string; key?: string } }][] = [
  ['conv on a vector', { given: [L.conv(8, 3), [4096]], want: { code: 'DLC113' } }],
  ['dense on an image', { given: [L.dense(10), [4, 4, 256]], want: { code: 'DLC113' } }],
  ['global pool on a vector', { given: [L.gap(), [64]], want: { code: 'DLC113' } }],
  ['conv kernel larger than input', { given: [L.conv(8, 5), [3, 3, 8]], want: { code: 'DLC106' } }],
  ['pool on 1x1', { given: [L.maxPool(2), [1, 1, 256]], want: { code: 'DLC106' } }],
  ['dilated kernel too wide', { given: [L.conv(8, 3, { dilation_rate: 4 }), [8, 8, 1]], want: { code: 'DLC106' } }],
  ['reshape element mismatch', { given: [L.reshape([7, 7, 32]), [784]], want: { code: 'DLC114', key: 'target_shape' } }],
  ['reshape -1 not divisible', { given: [L.reshape([-1, 5]), [12]], want: { code: 'DLC114', key: 'target_shape' } }],
  ['add of different shapes', { given: [L.add(['a', 'b']), [8, 8, 16], [8, 8, 32]], want: { code: 'DLC107', key: 'inputs' } }],
  ['add of different ranks', { given: [L.add(['a', 'b']), [8, 8, 16], [1024]], want: { code: 'DLC107', key: 'inputs' } }],
  ['concat disagreeing spatial dims', { given: [L.concat(['a', 'b']), [8, 8, 16], [4, 4, 16]], want: { code: 'DLC107', key: 'inputs' } }],
  ['concat axis out of range', { given: [L.concat(['a', 'b'], 3), [8, 8, 16], [8, 8, 16]], want: { code: 'DLC107', key: 'axis' } }],
  ['add with one input', { given: [L.add(['a']), [8, 8, 16]], want: { code: 'DLC116', key: 'inputs' } }],
  ['conv with two inputs', { given: [L.conv(8, 3), [8, 8, 16], [8, 8, 16]], want: { code: 'DLC117', key: 'inputs' } }],
];

describe('inferOp errors', () => {
  it.each(errors)('%s', (_name, { given: [draft, ...inputs], want }) => {
    const r = infer(draft, ...inputs);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(want.code);
    expect(r.error.key).toBe(want.key);
  });

  it('DLC106 message gives the shape that came in', () => {
    const r = infer(L.maxPool(2), [1, 1, 256]);
    expect(!r.ok && r.error.message).toContain('1×1×256');
  });
});

describe('windowOutput', () => {
  it.each([
    [32, 3, 1, 1, 'same', 32],
    [32, 3, 2, 1, 'same', 16],
    [33, 3, 2, 1, 'same', 17],
    [32, 3, 1, 1, 'valid', 30],
    [32, 3, 2, 1, 'valid', 15],
    [32, 3, 1, 2, 'valid', 28],
    [2, 3, 1, 1, 'valid', 0],
  ] as const)('size %i kernel %i stride %i dilation %i %s → %i', (size, k, s, d, p, want) => {
    expect(windowOutput(size, k, s, d, p)).toBe(want);
  });
});
