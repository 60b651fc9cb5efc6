/**
 * Fault corpus, root cause 6: loaded data is checked against the IR before a
 * run directory is made — 32×32 images under `dataset: mnist`, labels past
 * the class count, a different class count — one RunError naming the data,
 * and the runs folder stays empty.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/compile.js';
import type { IR } from '../../src/compiler/ir.js';
import type { LoadedDataset } from '../../src/runtime/contracts.js';
import { imageSet } from '../../src/runtime/data/example-set.js';
import { dataMismatch } from '../../src/runtime/train/data-fits.js';
import { setupSession } from '../../src/runtime/train/setup.js';

const SPEC = 'name: fit\ndata: {dataset: mnist, validation_split: 0}\nmodel:\n  layers:\n    - flatten\n    - dense: {units: 10}\n';

function mnistIR(): IR {
  const r = compile(SPEC, { file: 'spec.yaml' });
  expect(r.diagnostics).toEqual([]);
  return r.ir!;
}

function data(shape: [number, number, number], labels: number[], classes = 10): LoadedDataset {
  const n = labels.length;
  const set = imageSet(new Uint8Array(n * shape[0] * shape[1] * shape[2]), Int32Array.from(labels), shape, classes);
  return { name: 'mnist', classNames: Array.from({ length: classes }, (_, i) => String(i)), train: set, test: set };
}

describe('loaded data against the IR', () => {
  it('accepts data that fits (control case)', () => {
    expect(dataMismatch(mnistIR(), data([28, 28, 1], [0, 9, 3]))).toBeUndefined();
  });

  it('refuses 32×32 images under dataset: mnist', () => {
    expect(dataMismatch(mnistIR(), data([32, 32, 1], [0, 1]))).toBe('the training samples of the data set mnist are 32×32×1, but the model was compiled for 28×28×1');
  });

  it('refuses a label past the class count and a different class count', () => {
    expect(dataMismatch(mnistIR(), data([28, 28, 1], [0, 10]))).toMatch(/labels of the data set mnist run from 0 to 10, but the model has 10 classes/);
    expect(dataMismatch(mnistIR(), data([28, 28, 1], [0, 1], 12))).toMatch(/has 12 classes, but the model was compiled for 10/);
  });

  it('setupSession refuses before making a run directory', async () => {
    const runsDir = mkdtempSync(join(tmpdir(), 'dlc-h7-runs-'));
    const parts = {
      loadData: async () => data([32, 32, 1], [0, 1]),
      buildModel: () => {
        throw new Error('must not be reached');
      },
    };
    await expect(setupSession(mnistIR(), parts as never, { runsDir }, { name: 'cpu', reason: 'test' }, () => {})).rejects.toThrow(/cannot train: the training samples .* 32×32×1/);
    expect(readdirSync(runsDir)).toEqual([]);
  });
});
