import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeLoss } from '../../../src/runtime/losses/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const logits = [
  [2.0, 1.0, 0.1],
  [0.5, 2.5, -1.0],
];
const oneHot = [
  [1, 0, 0],
  [0, 0, 1],
];

function lossOf(spec: Parameters<typeof makeLoss>[0], x: number[][], y: number[][]): number {
  return tf.tidy(() => makeLoss(spec)(tf.tensor2d(x), tf.tensor2d(y)).dataSync()[0]);
}

/** Naive reference: softmax probabilities, then −Σ q log p with q smoothed over all K classes. */
function naiveCrossEntropy(x: number[][], y: number[][], eps: number): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const exps = x[i].map(Math.exp);
    const z = exps.reduce((a, b) => a + b, 0);
    const k = x[i].length;
    for (let j = 0; j < k; j++) total -= (y[i][j] * (1 - eps) + eps / k) * Math.log(exps[j] / z);
  }
  return total / x.length;
}

describe('cross_entropy', () => {
  it('matches hand-computed values', () => {
    // row 0: logsumexp(2,1,0.1) = 2.4170300, loss = 0.4170300; row 1: logsumexp(0.5,2.5,-1) = 2.6531782, loss = 3.6531782
    expect(lossOf({ kind: 'cross_entropy', label_smoothing: 0 }, logits, oneHot)).toBeCloseTo((0.41703 + 3.6531782) / 2, 5);
  });

  it('matches the naive formula with label smoothing', () => {
    for (const eps of [0, 0.1, 0.3]) {
      expect(lossOf({ kind: 'cross_entropy', label_smoothing: eps }, logits, oneHot)).toBeCloseTo(naiveCrossEntropy(logits, oneHot, eps), 5);
    }
  });

  it('is stable for huge logits (naive softmax would overflow)', () => {
    const big = [[1000, 0, -1000]];
    const v = lossOf({ kind: 'cross_entropy', label_smoothing: 0 }, big, [[0, 1, 0]]);
    expect(v).toBeCloseTo(1000, 3);
    expect(lossOf({ kind: 'cross_entropy', label_smoothing: 0 }, big, [[1, 0, 0]])).toBeCloseTo(0, 5);
  });

  it('has gradient (softmax − q)/N', () => {
    const eps = 0.1;
    const grad = tf.tidy(() => {
      const f = makeLoss({ kind: 'cross_entropy', label_smoothing: eps });
      const y = tf.tensor2d(oneHot);
      return tf.grad((x: tf.Tensor) => f(x as tf.Tensor2D, y))(tf.tensor2d(logits)).arraySync() as number[][];
    });
    for (let i = 0; i < 2; i++) {
      const exps = logits[i].map(Math.exp);
      const z = exps.reduce((a, b) => a + b, 0);
      for (let j = 0; j < 3; j++) {
        const q = oneHot[i][j] * (1 - eps) + eps / 3;
        expect(grad[i][j]).toBeCloseTo((exps[j] / z - q) / 2, 5);
      }
    }
  });
});

describe('binary_cross_entropy', () => {
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  function naiveBce(x: number[][], y: number[][], eps: number): number {
    let total = 0;
    let n = 0;
    for (let i = 0; i < x.length; i++) {
      for (let j = 0; j < x[i].length; j++) {
        const t = y[i][j] * (1 - eps) + eps / 2;
        const p = sigmoid(x[i][j]);
        total -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
        n++;
      }
    }
    return total / n;
  }

  it('matches hand-computed value for one element', () => {
    // x = 0: −log(0.5) = 0.693147 whatever the target
    expect(lossOf({ kind: 'binary_cross_entropy', label_smoothing: 0 }, [[0]], [[1]])).toBeCloseTo(Math.LN2, 6);
    // x = 2, t = 1: log(1 + e^−2) = 0.126928
    expect(lossOf({ kind: 'binary_cross_entropy', label_smoothing: 0 }, [[2]], [[1]])).toBeCloseTo(0.126928, 5);
  });

  it('matches the naive formula, with and without smoothing', () => {
    for (const eps of [0, 0.2]) {
      expect(lossOf({ kind: 'binary_cross_entropy', label_smoothing: eps }, logits, oneHot)).toBeCloseTo(naiveBce(logits, oneHot, eps), 5);
    }
  });

  it('is finite for extreme logits', () => {
    const v = lossOf({ kind: 'binary_cross_entropy', label_smoothing: 0 }, [[200, -200]], [[0, 1]]);
    expect(v).toBeCloseTo(200, 3);
    expect(lossOf({ kind: 'binary_cross_entropy', label_smoothing: 0 }, [[200, -200]], [[1, 0]])).toBeCloseTo(0, 6);
  });

  it('has gradient (sigmoid(x) − t)/count', () => {
    const grad = tf.tidy(() => {
      const f = makeLoss({ kind: 'binary_cross_entropy', label_smoothing: 0 });
      const y = tf.tensor2d(oneHot);
      return tf.grad((x: tf.Tensor) => f(x as tf.Tensor2D, y))(tf.tensor2d(logits)).arraySync() as number[][];
    });
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) expect(grad[i][j]).toBeCloseTo((sigmoid(logits[i][j]) - oneHot[i][j]) / 6, 5);
  });
});

describe('mse and huber', () => {
  const out = [
    [0.5, -1.0],
    [3.0, 0.0],
  ];
  const tgt = [
    [0, 0],
    [1, 0],
  ];
  // differences: 0.5, −1, 2, 0

  it('mse is the mean of squared differences over all elements', () => {
    expect(lossOf({ kind: 'mse' }, out, tgt)).toBeCloseTo((0.25 + 1 + 4 + 0) / 4, 6);
  });

  it('huber is quadratic inside delta and linear outside', () => {
    // delta 1: 0.125, 0.5, 1·(2 − 0.5) = 1.5, 0
    expect(lossOf({ kind: 'huber', delta: 1 }, out, tgt)).toBeCloseTo((0.125 + 0.5 + 1.5 + 0) / 4, 6);
    // delta 0.75: 0.125, 0.75·(1 − 0.375) = 0.46875, 0.75·(2 − 0.375) = 1.21875, 0
    expect(lossOf({ kind: 'huber', delta: 0.75 }, out, tgt)).toBeCloseTo((0.125 + 0.46875 + 1.21875) / 4, 6);
  });

  it('huber gradient is clip(x − y, −δ, δ)/count', () => {
    const grad = tf.tidy(() => {
      const f = makeLoss({ kind: 'huber', delta: 0.75 });
      const y = tf.tensor2d(tgt);
      return tf.grad((x: tf.Tensor) => f(x as tf.Tensor2D, y))(tf.tensor2d(out)).arraySync() as number[][];
    });
    expect(grad.flat()).toEqual([0.5 / 4, -0.75 / 4, 0.75 / 4, 0].map((v) => expect.closeTo(v, 6)));
  });

  it('rejects a non-positive delta and out-of-range smoothing', () => {
    expect(() => makeLoss({ kind: 'huber', delta: 0 })).toThrow(RangeError);
    expect(() => makeLoss({ kind: 'cross_entropy', label_smoothing: 1 })).toThrow(RangeError);
  });
});

describe('no leaks', () => {
  it('every loss leaves only the scalar it returns', () => {
    for (const spec of [
      { kind: 'cross_entropy', label_smoothing: 0.1 },
      { kind: 'binary_cross_entropy', label_smoothing: 0.1 },
      { kind: 'mse' },
      { kind: 'huber', delta: 1 },
    ] as const) {
      const x = tf.tensor2d(logits);
      const y = tf.tensor2d(oneHot);
      const before = tf.memory().numTensors;
      const l = makeLoss(spec)(x, y);
      expect(tf.memory().numTensors).toBe(before + 1);
      tf.dispose([l, x, y]);
    }
  });
});

describe('PyTorch 1.13 loss values (fixtures/torch-losses.json)', () => {
  const ref = JSON.parse(readFileSync(new URL('./fixtures/torch-losses.json', import.meta.url), 'utf8')) as {
    logits: number[][];
    onehot: number[][];
    cases: { spec: Parameters<typeof makeLoss>[0]; value: number }[];
  };
  it.each(ref.cases.map((c) => [JSON.stringify(c.spec), c] as const))('%s', (_name, c) => {
    expect(lossOf(c.spec, ref.logits, ref.onehot)).toBeCloseTo(c.value, 5);
  });
});
