/**
 * Shared helpers for the codegen tests: a small synthetic spec lowered to IR
 * without the YAML front end, and materialising an emitted project so it runs
 * offline (its node_modules is a symlink to dlc's own).
 */
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { IR } from '../../src/compiler/ir.js';
import { lower } from '../../src/compiler/lower.js';
import type { LayerSpec, Spec } from '../../src/compiler/spec.js';
import { writeProject } from '../../src/codegen/write-project.js';

export const DLC_ROOT = resolve(import.meta.dirname, '../..');

/** A tiny synthetic spec: 8×8×1 images, 3 classes, augmentation, a conv net with batch norm and dropout. */
export function tinySpec(overrides: Partial<Spec> = {}, layers?: LayerSpec[]): Spec {
  const base: Spec = {
    name: 'tiny',
    seed: 7,
    data: {
      dataset: 'synthetic',
      synthetic: { train_samples: 240, test_samples: 60, shape: [8, 8, 1], classes: 3 },
      validation_split: 0.2,
      batch_size: 32,
      transforms: {
        train: [
          { kind: 'random_crop', size: 8, padding: 1, path: '/data/transforms/train/0' },
          { kind: 'random_flip', mode: 'horizontal', path: '/data/transforms/train/1' },
          { kind: 'normalize', mean: [0.5], std: [0.25], path: '/data/transforms/train/2' },
        ],
        eval: [{ kind: 'normalize', mean: [0.5], std: [0.25], path: '/data/transforms/eval/0' }],
      },
    },
    model: {
      layers: layers ?? [
        { kind: 'conv2d', filters: 4, kernel_size: [3, 3], strides: [1, 1], padding: 1, dilation_rate: [1, 1], activation: 'relu', use_bias: true, path: '/model/layers/0' },
        { kind: 'max_pool2d', pool_size: [2, 2], strides: [2, 2], padding: 'valid', path: '/model/layers/1' },
        { kind: 'batch_norm', momentum: 0.9, epsilon: 1e-5, path: '/model/layers/1b' },
        { kind: 'conv2d', filters: 6, kernel_size: [3, 3], strides: [2, 2], padding: 1, dilation_rate: [1, 1], activation: 'leaky_relu', use_bias: true, path: '/model/layers/2' },
        { kind: 'flatten', path: '/model/layers/3' },
        { kind: 'dropout', rate: 0.25, path: '/model/layers/4' },
        { kind: 'dense', units: 3, activation: 'linear', use_bias: true, path: '/model/layers/5' },
      ],
    },
    loss: { kind: 'cross_entropy', label_smoothing: 0.1 },
    optimizer: { kind: 'sgd', learning_rate: 0.05, momentum: 0.9, nesterov: false, weight_decay: 0 },
    schedule: { kind: 'cosine', min_lr: 0, warmup_epochs: 0 },
    train: { epochs: 2, checkpoint: { every_epochs: 1, keep_best: true, monitor: 'val_loss' } },
    metrics: [{ kind: 'accuracy' }, { kind: 'f1' }],
  };
  return { ...base, ...overrides };
}

/** Lowers `spec` (no YAML positions: everything is at 1:1). Throws on error diagnostics. */
export function lowerSpec(spec: Spec, file = 'specs/tiny.yaml'): IR {
  const { ir, diagnostics } = lower(spec, { file, locate: () => ({ line: 1, col: 1 }) });
  if (!ir) throw new Error(`lowering failed: ${JSON.stringify(diagnostics, null, 2)}`);
  return ir;
}

/** Writes `files` into a fresh temp dir with node_modules linked to dlc's; returns the dir. */
export function materialise(files: ReadonlyMap<string, string>, prefix = 'dlc-emit-'): string {
  const dir = join(mkdtempSync(join(tmpdir(), prefix)), 'project');
  writeProject(dir, files);
  symlinkSync(join(DLC_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}
