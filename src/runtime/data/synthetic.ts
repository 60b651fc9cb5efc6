/**
 * A deterministic synthetic image set for tests and benchmarks: each class
 * has its own pattern (two oriented colour gratings from the seed), each
 * sample is that pattern with its own brightness jitter and pixel noise.
 * Learnable by small dense and conv models, identical for the same seed.
 */
import { numberedClasses } from '../../compiler/shared/class-names.js';
import type { SyntheticSpec } from '../../compiler/spec.js';
import type { ExampleSet, LoadedDataset } from '../contracts.js';
import { DataError } from './errors.js';
import { imageSet } from './example-set.js';
import { rngFor, shuffleInPlace, STREAM, type Rng } from './random.js';

/** Float prototypes [classes][h*w*c] in about [-1, 1]. */
function prototypes(spec: SyntheticSpec, seed: number): Float32Array[] {
  const [h, w, c] = spec.shape;
  const out: Float32Array[] = [];
  for (let k = 0; k < spec.classes; k++) {
    const rng = rngFor(seed, STREAM.synthetic, 1000 + k);
    const p = new Float32Array(h * w * c);
    for (let g = 0; g < 2; g++) {
      const theta = rng() * Math.PI;
      const freq = (0.5 + rng() * 2.5) * (2 * Math.PI) / Math.max(h, w);
      const phase = rng() * 2 * Math.PI;
      const colour = Array.from({ length: c }, () => rng() * 2 - 1);
      const ct = Math.cos(theta);
      const st = Math.sin(theta);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const s = Math.sin(freq * (x * ct + y * st) + phase) * 0.5;
          for (let ch = 0; ch < c; ch++) p[(y * w + x) * c + ch] += s * colour[ch];
        }
      }
    }
    out.push(p);
  }
  return out;
}

function makeSet(spec: SyntheticSpec, protos: Float32Array[], count: number, rng: Rng): ExampleSet {
  const [h, w, c] = spec.shape;
  const per = h * w * c;
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) labels[i] = i % spec.classes;
  shuffleInPlace(labels, rng);
  const images = new Uint8Array(count * per);
  for (let i = 0; i < count; i++) {
    const proto = protos[labels[i]];
    const gain = 90 + rng() * 40;
    const bias = 128 + (rng() - 0.5) * 30;
    for (let j = 0; j < per; j++) {
      // Sum of two uniforms: cheap, roughly bell-shaped noise of ±30.
      const noise = (rng() + rng() - 1) * 30;
      const v = bias + gain * proto[j] + noise;
      images[i * per + j] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
    }
  }
  return imageSet(images, labels, [h, w, c], spec.classes);
}

/**
 * Multi-label and real targets: each sample mixes the `classes` patterns
 * with weights a_k (0/1 for multi-label, uniform in [0, 1] for real); its
 * target is a (real: 2·a − 1, so about zero-mean). The same noise as the
 * class images, so a small model can learn the weights back.
 */
function makeMixedSet(spec: SyntheticSpec, protos: Float32Array[], count: number, rng: Rng): ExampleSet {
  const [h, w, c] = spec.shape;
  const per = h * w * c;
  const k = spec.classes;
  const multi = spec.target === 'multi_label';
  const targets = new Float32Array(count * k);
  const images = new Uint8Array(count * per);
  const mix = new Float32Array(per);
  for (let i = 0; i < count; i++) {
    mix.fill(0);
    for (let j = 0; j < k; j++) {
      const a = multi ? (rng() < 0.5 ? 1 : 0) : rng();
      targets[i * k + j] = multi ? a : 2 * a - 1;
      const p = protos[j];
      for (let q = 0; q < per; q++) mix[q] += a * p[q];
    }
    const gain = 90 + rng() * 40;
    for (let q = 0; q < per; q++) {
      const noise = (rng() + rng() - 1) * 30;
      const v = 128 + gain * mix[q] + noise;
      images[i * per + q] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
    }
  }
  const target = multi ? ({ kind: 'multi_label', width: k } as const) : ({ kind: 'real', width: k } as const);
  return { count, shape: [h, w, c], x: { dtype: 'uint8', values: images, divisor: 255 }, target, labels: new Int32Array(0), targets };
}

/** Builds the synthetic data set; same (spec, seed) → same bytes. */
export function loadSynthetic(spec: SyntheticSpec | undefined, seed: number): LoadedDataset {
  if (!spec) throw new DataError('data.dataset is synthetic but data.synthetic (train_samples, test_samples, shape, classes) is missing');
  const [h, w, c] = spec.shape;
  if (spec.target === 'multi_label' || spec.target === 'real') {
    if (!(h > 0 && w > 0 && c > 0 && spec.classes >= 1)) throw new DataError(`data.synthetic needs a positive shape and at least 1 target (got shape ${spec.shape.join('×')}, classes ${spec.classes})`);
    const protos = prototypes(spec, seed);
    return {
      name: 'synthetic',
      classNames: [],
      train: makeMixedSet(spec, protos, spec.train_samples, rngFor(seed, STREAM.synthetic, 1)),
      test: makeMixedSet(spec, protos, spec.test_samples, rngFor(seed, STREAM.synthetic, 2)),
    };
  }
  if (!(h > 0 && w > 0 && c > 0) || spec.classes < 2) throw new DataError(`data.synthetic needs a positive shape and at least 2 classes (got shape ${spec.shape.join('×')}, classes ${spec.classes})`);
  const protos = prototypes(spec, seed);
  return {
    name: 'synthetic',
    classNames: numberedClasses(spec.classes),
    train: makeSet(spec, protos, spec.train_samples, rngFor(seed, STREAM.synthetic, 1)),
    test: makeSet(spec, protos, spec.test_samples, rngFor(seed, STREAM.synthetic, 2)),
  };
}
