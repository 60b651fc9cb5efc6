/**
 * Defaults of the spec format that belong to no declared kind: the schema
 * builder puts these into `default:` (so editors show them) and normalize
 * fills them in (so the runtime sees them): one source, and a test checks
 * they agree. Losses, optimizers, schedules, metrics and transforms carry
 * their defaults in their declarations (compiler/kinds/).
 */
export const DEFAULTS = {
  seed: 42,
  data: { validation_split: 0.1, batch_size: 64 },
  // Each layer kind's defaults live in its op module (compiler/ops/<kind>.ts); only the block item is not an op.
  layer: {
    block: { repeat: 1 },
  },
  train: {
    epochs: 10,
    early_stopping: { monitor: 'val_loss', patience: 3, min_delta: 0 },
    // checkpoint.monitor's default depends on the target kind: kinds/target.ts defaultMonitor.
    checkpoint: { every_epochs: 1, keep_best: true },
  },
} as const;
