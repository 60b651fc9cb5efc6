/**
 * Every default of the spec format, in one table. The schema builder puts
 * these into `default:` (so editors show them) and normalize fills them in
 * (so the runtime sees them): one source, and a test checks they agree.
 */
export const DEFAULTS = {
  seed: 42,
  data: { validation_split: 0.1, batch_size: 64 },
  // Each layer kind's defaults live in its op module (compiler/ops/<kind>.ts); only the block item is not an op.
  layer: {
    block: { repeat: 1 },
  },
  transform: {
    random_crop: { padding: 0 },
    random_flip: { mode: 'horizontal' },
    rescale: { scale: 1, offset: 0 },
  },
  loss: {
    kind: 'cross_entropy',
    cross_entropy: { label_smoothing: 0 },
    binary_cross_entropy: { label_smoothing: 0 },
    huber: { delta: 1 },
  },
  optimizer: {
    kind: 'adam',
    common: { weight_decay: 0 },
    sgd: { learning_rate: 0.01, momentum: 0, nesterov: false },
    adam: { learning_rate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    adamw: { learning_rate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weight_decay: 0.01 },
    rmsprop: { learning_rate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7 },
    adagrad: { learning_rate: 0.01, initial_accumulator_value: 0.1, epsilon: 1e-7 },
  },
  schedule: {
    kind: 'constant',
    common: { warmup_epochs: 0 },
    step: { gamma: 0.1 },
    multi_step: { gamma: 0.1 },
    cosine: { min_lr: 0 },
    one_cycle: { pct_start: 0.3, div_factor: 25, final_div_factor: 1e4 },
    reduce_on_plateau: { monitor: 'val_loss', factor: 0.1, patience: 2, min_lr: 0 },
  },
  train: {
    epochs: 10,
    early_stopping: { monitor: 'val_loss', patience: 3, min_delta: 0 },
    checkpoint: { every_epochs: 1, keep_best: true, monitor: 'val_accuracy' },
  },
  metric: { top_k_accuracy: { k: 5 } },
  metrics: ['accuracy'],
} as const;
