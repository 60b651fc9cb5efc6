/**
 * The PyTorch runtime's data pipeline equals dlc's bit for bit: the synthetic set, the
 * seeded validation split, the per-epoch order and every transform (train and eval),
 * also for one data-parallel rank's slice of a batch.
 */
import { describe, expect, it } from 'vitest';
import type { TransformSpec } from '../../../src/compiler/spec.js';
import { epochOrder, limitBalanced, loadSynthetic, mixSeed, mulberry32, rngFor, splitValidation, STREAM } from '../../../src/runtime/data/index.js';
import { prepareHostBatch } from '../../../src/runtime/transforms/host.js';
import { bytesToBase64, f32FromBase64, PY_B64, PYTHON, runPython } from './python.js';

const LIB = { rngFor, augmentStream: STREAM.augment };

/** The uint8 pixels of an image set (ImageSet.images, or ExampleSet.x.values since the general example contract). */
function pixels(set: object): Uint8Array {
  const s = set as { images?: Uint8Array; x?: { values: Uint8Array } };
  return (s.images ?? s.x!.values) as Uint8Array;
}
const p = (i: number) => `/data/transforms/train/${i}`;

describe.skipIf(!PYTHON)('dlc_runtime data pipeline = dlc (bit for bit)', () => {
  it('mulberry32 and mixSeed give the same numbers, one by one and vectorised', () => {
    const seeds = [0, 1, 42, 0xffffffff, mixSeed(7, 3, 11), mixSeed(-5, 2 ** 40 + 3, 0.25)];
    const js = seeds.map((s) => {
      const r = mulberry32(s);
      return Array.from({ length: 50 }, () => r());
    });
    const py = runPython<{ one: number[][]; vec: number[][]; mix: number[] }>(
      `from dlc_runtime.rng import Rng, mix_seed
seeds = INPUT['seeds']
one = []
vec = []
for s in seeds:
    r = Rng(s); one.append([r() for _ in range(50)])
    r = Rng(s); a = r.draw(20).tolist(); r.skip(5); vec.append(a + r.draw(25).tolist())
print(json.dumps({'one': one, 'vec': vec, 'mix': [mix_seed(7, 3, 11), mix_seed(-5, 2 ** 40 + 3, 0.25)]}))`,
      { seeds },
    );
    expect(py.one).toEqual(js);
    expect(py.vec.map((v) => [...v.slice(0, 20), ...v.slice(20)])).toEqual(js.map((v) => [...v.slice(0, 20), ...v.slice(25, 50)]));
    expect(py.mix).toEqual([seeds[4], seeds[5]]);
  });

  it('synthetic set, limits, validation split and epoch order are identical', () => {
    const spec = { train_samples: 203, test_samples: 41, shape: [7, 6, 3] as [number, number, number], classes: 4 };
    const ds = loadSynthetic(spec, 1234);
    const limited = limitBalanced(ds.train, 150);
    const { train, val } = splitValidation(limited, 0.23, 1234);
    const orders = [0, 1, 5].map((e) => Array.from(epochOrder(train.count, true, 1234, e)));
    const py = runPython<Record<string, string | number[] | number[][]>>(
      PY_B64 +
        `from dlc_runtime.data import load_synthetic, limit_balanced, split_validation, epoch_order
ds = load_synthetic(INPUT['spec'], 1234)
lim = limit_balanced(ds.train, 150)
tr, va = split_validation(lim, 0.23, 1234)
print(json.dumps({'train': b64(ds.train.images), 'test': b64(ds.test.images), 'trainLabels': ds.train.labels.tolist(),
  'limLabels': lim.labels.tolist(), 'valImages': b64(va.images), 'valLabels': va.labels.tolist(), 'trLabels': tr.labels.tolist(),
  'orders': [epoch_order(tr.count, True, 1234, e).tolist() for e in (0, 1, 5)]}))`,
      { spec },
    );
    expect(py.train).toBe(bytesToBase64(pixels(ds.train)));
    expect(py.test).toBe(bytesToBase64(pixels(ds.test)));
    expect(py.trainLabels).toEqual(Array.from(ds.train.labels));
    expect(py.limLabels).toEqual(Array.from(limited.labels));
    expect(py.valLabels).toEqual(Array.from(val.labels));
    expect(py.trLabels).toEqual(Array.from(train.labels));
    expect(py.valImages).toBe(bytesToBase64(pixels(val)));
    expect(py.orders).toEqual(orders);
  });

  it('every transform gives the same batch, train and eval, whole and as two rank slices', () => {
    const spec = { train_samples: 64, test_samples: 8, shape: [9, 10, 3] as [number, number, number], classes: 3 };
    const set = loadSynthetic(spec, 5).train;
    const lists: TransformSpec[][] = [
      [
        { kind: 'random_crop', size: 8, padding: 2, path: p(0) },
        { kind: 'random_flip', mode: 'both', path: p(1) },
        { kind: 'random_rotation', degrees: 25, path: p(2) },
        { kind: 'random_translation', max_pixels: 2, path: p(3) },
        { kind: 'cutout', size: 3, path: p(4) },
        { kind: 'normalize', mean: [0.4, 0.5, 0.6], std: [0.2, 0.25, 0.3], path: p(5) },
      ],
      [
        { kind: 'resize', size: [13, 7], path: p(0) },
        { kind: 'random_flip', mode: 'horizontal', path: p(1) },
        { kind: 'rescale', scale: 2, offset: -1, path: p(2) },
        { kind: 'random_crop', size: 6, padding: 0, path: p(3) },
        { kind: 'random_flip', mode: 'vertical', path: p(4) },
      ],
      // Runs of pixel moves (crop, translation, flip) composed into one copy, on the uint8 pixels when
      // they come first: a translation's zeros must stay zero through the crop that follows it.
      [
        { kind: 'random_translation', max_pixels: 3, path: p(0) },
        { kind: 'random_crop', size: 8, padding: 3, path: p(1) },
        { kind: 'random_flip', mode: 'both', path: p(2) },
        { kind: 'normalize', mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616], path: p(3) },
      ],
      [
        { kind: 'random_crop', size: 12, padding: 4, path: p(0) },
        { kind: 'random_translation', max_pixels: 4, path: p(1) },
        { kind: 'random_flip', mode: 'horizontal', path: p(2) },
        { kind: 'random_crop', size: 7, padding: 0, path: p(3) },
        { kind: 'cutout', size: 3, path: p(4) },
        { kind: 'random_flip', mode: 'vertical', path: p(5) },
      ],
    ];
    const indices = Int32Array.from([5, 3, 60, 0, 17, 33, 12, 8, 41, 2, 63]);
    const cases = lists.flatMap((transforms) => [true, false].map((training) => ({ transforms, training })));
    const js = cases.map(({ transforms, training }) => {
      const b = prepareHostBatch({ images: pixels(set), labels: set.labels, shape: set.shape as [number, number, number], indices, numClasses: 3, transforms, training, seed: 99, epoch: 3, batch: 4 }, LIB);
      return { pixels: b.pixels, shape: b.shape };
    });
    const py = runPython<{ whole: string; halves: string; shape: number[] }[]>(
      PY_B64 +
        `from dlc_runtime.data import load_synthetic, prepare_batch
s = load_synthetic(INPUT['spec'], 5).train
idx = np.array(INPUT['indices'])
out = []
for c in INPUT['cases']:
    x, _ = prepare_batch(s, idx, c['transforms'], c['training'], 99, 3, 4)
    a, _ = prepare_batch(s, idx[:6], c['transforms'], c['training'], 99, 3, 4, total=len(idx), lo=0)
    b, _ = prepare_batch(s, idx[6:], c['transforms'], c['training'], 99, 3, 4, total=len(idx), lo=6)
    out.append({'whole': b64(x), 'halves': b64(np.concatenate([a, b])), 'shape': list(x.shape)})
print(json.dumps(out))`,
      { spec, indices: Array.from(indices), cases },
    );
    cases.forEach((_, i) => {
      expect(py[i].shape).toEqual(js[i].shape);
      const whole = f32FromBase64(py[i].whole);
      // Bitwise: the same bytes, -0 and all.
      expect(bytesToBase64(whole)).toBe(bytesToBase64(js[i].pixels));
      expect(py[i].halves).toBe(py[i].whole);
    });
    // The random transforms did change the training batch (the test would pass vacuously otherwise).
    expect(bytesToBase64(js[0].pixels)).not.toBe(bytesToBase64(js[1].pixels));
  });
});
