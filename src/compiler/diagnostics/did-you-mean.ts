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
 * The vocabulary of the frameworks users come from (PyTorch, Keras) and what
 * dlc calls each word, as data: `word → dlc names in order of preference`.
 * The first name that is a candidate where the word was typed wins, so one
 * word can mean different dlc names by context (`out_channels` is `filters`
 * on a conv and `units` on dense). Words are matched lowercased, `-` as `_`,
 * with a `torch.nn.` / `nn.` / `tf.keras.layers.` / `keras.layers.` /
 * `layers.` prefix dropped (`nn.Linear` → `linear`).
 */
export const FRAMEWORK_VOCABULARY: Readonly<Record<string, readonly string[]>> = {
  // arguments
  lr: ['learning_rate'],
  learningrate: ['learning_rate'],
  out_channels: ['filters', 'units'],
  out_features: ['units'],
  in_features: ['in_channels'],
  num_features: ['in_channels'],
  kernel: ['kernel_size'],
  stride: ['strides'],
  dilation: ['dilation_rate'],
  groups: ['groups'],
  bias: ['use_bias'],
  eps: ['epsilon'],
  p: ['rate'],
  betas: ['beta1'],
  nesterov_momentum: ['nesterov'],
  weightdecay: ['weight_decay'],
  decay: ['weight_decay'],
  num_epochs: ['epochs'],
  max_epochs: ['epochs'],
  batchsize: ['batch_size'],
  negative_slope: ['alpha'],
  inplace: [],
  // layer kinds
  linear: ['dense'],
  conv: ['conv2d'],
  conv2d: ['conv2d'],
  conv1d: ['conv1d'],
  convtranspose2d: ['conv2d_transpose'],
  conv2dtranspose: ['conv2d_transpose'],
  maxpool: ['max_pool2d'],
  maxpool2d: ['max_pool2d'],
  maxpooling2d: ['max_pool2d'],
  maxpool1d: ['max_pool1d'],
  avgpool: ['avg_pool2d'],
  avgpool2d: ['avg_pool2d'],
  averagepooling2d: ['avg_pool2d'],
  adaptiveavgpool2d: ['adaptive_avg_pool2d', 'global_avg_pool2d'],
  adaptive_avg_pool2d: ['adaptive_avg_pool2d', 'global_avg_pool2d'],
  adaptivemaxpool2d: ['adaptive_max_pool2d', 'global_max_pool2d'],
  avgpool1d: ['avg_pool1d'],
  globalaveragepooling2d: ['global_avg_pool2d'],
  batchnorm: ['batch_norm'],
  batchnorm1d: ['batch_norm'],
  batchnorm2d: ['batch_norm'],
  batch_normalization: ['batch_norm'],
  batchnormalization: ['batch_norm'],
  layernorm: ['layer_norm'],
  layernormalization: ['layer_norm'],
  relu6: ['relu6'],
  silu: ['silu'],
  swish: ['swish', 'silu'],
  hardswish: ['hard_swish'],
  hardsigmoid: ['hard_sigmoid'],
  leakyrelu: ['leaky_relu'],
  dropout2d: ['spatial_dropout2d', 'dropout'],
  zeropad2d: ['zero_padding2d'],
  zeropadding2d: ['zero_padding2d'],
  upsample: ['upsampling2d'],
  upsampling2d: ['upsampling2d'],
  // losses, schedules
  crossentropy: ['cross_entropy'],
  crossentropyloss: ['cross_entropy'],
  categorical_crossentropy: ['cross_entropy'],
  categoricalcrossentropy: ['cross_entropy'],
  sparse_categorical_crossentropy: ['cross_entropy'],
  sparsecategoricalcrossentropy: ['cross_entropy'],
  bceloss: ['binary_cross_entropy'],
  bcewithlogitsloss: ['binary_cross_entropy'],
  binarycrossentropy: ['binary_cross_entropy'],
  mseloss: ['mse'],
  meansquarederror: ['mse'],
  huberloss: ['huber'],
  smoothl1loss: ['huber'],
  cosine_annealing: ['cosine'],
  cosineannealinglr: ['cosine'],
  onecyclelr: ['one_cycle'],
  steplr: ['step'],
  multisteplr: ['multi_step'],
  reducelronplateau: ['reduce_on_plateau'],
  exponentiallr: ['exponential'],
};

/**
 * Keys that are right in another section: PyTorch passes `weight_decay` to
 * the optimizer, Keras users look for it (or `lr`) on a layer or in `train`.
 * Used as the hint of an unknown key that has no did-you-mean where it was typed.
 */
export const MISPLACED_KEYS: Readonly<Record<string, string>> = {
  weight_decay: "weight_decay is an optimizer argument in dlc (as in PyTorch): write it under the optimizer, e.g. optimizer: {adamw: {weight_decay: 0.01}}",
  learning_rate: 'learning_rate is an optimizer argument: optimizer: {adam: {learning_rate: 0.001}}',
  lr: 'the learning rate is an optimizer argument: optimizer: {adam: {learning_rate: 0.001}}',
  momentum: 'momentum is an argument of the sgd and rmsprop optimizers (batch_norm takes momentum too)',
  kernel_regularizer: "dlc has no per-layer regularizer: L2 weight decay is the optimizer's weight_decay",
  epochs: 'epochs belongs in train: train: {epochs: 10}',
  batch_size: 'batch_size belongs in train: train: {batch_size: 64}',
};

/** `nn.Linear` → `linear`, `Conv-2d` → `conv_2d`: the form FRAMEWORK_VOCABULARY is keyed by. */
export function vocabularyKey(word: string): string {
  return word.toLowerCase().replace(/-/g, '_').replace(/^(torch\.nn\.|nn\.|tf\.keras\.layers\.|keras\.layers\.|layers\.)/, '');
}

/** The dlc name the framework word `word` stands for among `candidates`, if the vocabulary knows it. */
export function frameworkName(word: string, candidates: readonly string[]): string | undefined {
  const key = vocabularyKey(word);
  // Own keys only: `constructor` or `__proto__` typed by a user must not reach Object.prototype.
  if (!Object.prototype.hasOwnProperty.call(FRAMEWORK_VOCABULARY, key)) return undefined;
  const found = FRAMEWORK_VOCABULARY[key].find((a) => candidates.includes(a));
  return found === word ? undefined : found;
}

/** Where an unknown key belongs when it is a known word of another section. */
export function misplacedHint(word: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(MISPLACED_KEYS, word) ? MISPLACED_KEYS[word] : undefined;
}

/** The closest candidate within a typo's distance of `word`, if any. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  const alias = frameworkName(word, list);
  if (alias) return alias;
  candidates = list;
  const w = vocabularyKey(word);
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
