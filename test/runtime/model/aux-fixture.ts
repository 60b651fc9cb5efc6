/**
 * A tiny model with an auxiliary head (IR `outputs`): two branches off one
 * conv, each ending in a 3-class dense layer. Shared by the runtime and
 * PyTorch-target tests of several outputs.
 */
import { expect } from 'vitest';
import { compile } from '../../../src/compiler/compile.js';
import type { IR } from '../../../src/compiler/ir.js';

/** The spec; `auxWeight` is the auxiliary head's loss weight. */
export function auxSpec(auxWeight = 0.3, epochs = 3, channels = 2): string {
  return `name: aux-heads
seed: 11
data:
  dataset: synthetic
  synthetic: {train_samples: 96, test_samples: 24, shape: [6, 6, ${channels}], classes: 3}
  batch_size: 16
  validation_split: 0.25
model:
  outputs:
    - {layer: logits}
    - {layer: aux, loss_weight: ${auxWeight}}
  layers:
    - conv2d: {name: c1, filters: 4, kernel_size: 3, padding: same, activation: relu}
    - global_avg_pool2d: {name: gap_aux}
    - dense: {name: aux, units: 3}
    - conv2d: {name: c2, filters: 4, kernel_size: 3, padding: same, activation: relu, inputs: [c1]}
    - flatten
    - dense: {name: logits, units: 3}
optimizer: {sgd: {learning_rate: 0.1, momentum: 0.9}}
train: {epochs: ${epochs}}
`;
}

/** The lowered IR of `auxSpec`. */
export function auxIR(auxWeight = 0.3, epochs = 3, channels = 2): IR {
  const r = compile(auxSpec(auxWeight, epochs, channels), { file: 'aux-heads.yaml' });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ir!;
}
