/**
 * The one "did you mean" of dlc: suggestions by edit distance (typos:
 * `filtres` → `filters`), habits from other frameworks (`lr` →
 * `learning_rate`), and the quick fix that applies one.
 */
import type { FixProposal } from './report.js';

/** Optimal-string-alignment distance: Levenshtein plus adjacent transpositions (a common typo). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[m][n];
}

/**
 * Names from PyTorch and Keras people type from habit, and what dlc calls
 * them: suggested whenever the dlc name is a candidate.
 */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  lr: ['learning_rate'],
  out_channels: ['filters'],
  out_features: ['units'],
  kernel: ['kernel_size'],
  stride: ['strides'],
  dilation: ['dilation_rate'],
  bias: ['use_bias'],
  eps: ['epsilon'],
  p: ['rate'],
  betas: ['beta1'],
  nesterov_momentum: ['nesterov'],
  weightdecay: ['weight_decay'],
  num_epochs: ['epochs'],
  max_epochs: ['epochs'],
  batchsize: ['batch_size'],
  groups: ['depth_multiplier'],
  negative_slope: ['alpha'],
  linear: ['dense'],
  conv: ['conv2d'],
  maxpool: ['max_pool2d'],
  avgpool: ['avg_pool2d'],
  batchnorm: ['batch_norm'],
  batch_normalization: ['batch_norm'],
  layernorm: ['layer_norm'],
  adaptive_avg_pool2d: ['global_avg_pool2d'],
  crossentropy: ['cross_entropy'],
  categorical_crossentropy: ['cross_entropy'],
  sparse_categorical_crossentropy: ['cross_entropy'],
  cosine_annealing: ['cosine'],
};

/** The closest candidate within a typo's distance of `word`, if any. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  const key = word.toLowerCase().replace(/-/g, '_');
  // Own keys only: `constructor` or `__proto__` typed by a user must not reach Object.prototype.
  const alias = Object.prototype.hasOwnProperty.call(ALIASES, key) ? ALIASES[key].find((a) => list.includes(a)) : undefined;
  if (alias) return alias;
  candidates = list;
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const cl = c.toLowerCase();
    // Case and separator slips (`kernelSize`, `kernel-size`) are near misses too.
    const d = cl.replace(/[-_]/g, '') === w.replace(/[-_]/g, '') ? 0.5 : editDistance(w, cl);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (best === undefined || best === word) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(w.length, best.length) / 3));
  return bestD <= limit ? best : undefined;
}

/** The fix that renames `word` to `name` (a did-you-mean applied). */
export function renameFix(word: string, name: string): FixProposal {
  return { title: `Change '${word}' to '${name}'`, replacement: name, expected: word };
}

/** The did-you-mean of `word` among `candidates` as a fix, if there is one. */
export function didYouMeanFix(word: string, candidates: Iterable<string>): FixProposal | undefined {
  const s = didYouMean(word, candidates);
  return s === undefined ? undefined : renameFix(word, s);
}

/** "; did you mean 'x'?" or "". */
export function suggestion(word: string, candidates: Iterable<string>): string {
  const s = didYouMean(word, candidates);
  return s === undefined ? '' : `; did you mean '${s}'?`;
}
