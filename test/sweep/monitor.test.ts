import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/compile.js';
import { sweepRanking } from '../../src/sweep/monitor.js';

function specOf(target: 'real' | 'class'): string {
  return `name: tiny
data:
  dataset: synthetic
  synthetic: {train_samples: 16, test_samples: 8, shape: [4, 4, 1], classes: 2${target === 'real' ? ', target: real' : ''}}
  batch_size: 8
model:
  layers:
    - flatten: {}
    - dense: {units: 2}
loss: ${target === 'real' ? 'mse' : 'cross_entropy'}
optimizer: {sgd: {learning_rate: 0.01}}
train: {epochs: 1}
`;
}

function checkpointMonitor(target: 'real' | 'class'): string {
  const r = compile(specOf(target), { file: 'tiny.yaml' });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ir!.spec.train.checkpoint.monitor;
}

describe('sweep ranking', () => {
  it("defaults to the spec's checkpoint monitor: val_loss (min) for a real target, val_accuracy (max) for classes", () => {
    expect(sweepRanking({}, checkpointMonitor('real'))).toEqual({ monitor: 'val_loss', mode: 'min' });
    expect(sweepRanking({}, checkpointMonitor('class'))).toEqual({ monitor: 'val_accuracy', mode: 'max' });
    expect(sweepRanking({})).toEqual({ monitor: 'val_accuracy', mode: 'max' });
  });
  it('a given monitor and mode win over the spec', () => {
    expect(sweepRanking({ monitor: 'test_accuracy' }, 'val_loss')).toEqual({ monitor: 'test_accuracy', mode: 'max' });
    expect(sweepRanking({ monitor: 'val_loss', mode: 'max' }, 'val_accuracy')).toEqual({ monitor: 'val_loss', mode: 'max' });
  });
});
