/**
 * Every shipped spec builds into a tfjs model whose every layer output
 * shape and total parameter count equal the compiler's IR; initial weights
 * are identical across two builds and across the cpu and wasm backends.
 */
import * as tf from '@tensorflow/tfjs';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileFile } from '../../../src/compiler/compile.js';
import type { IR } from '../../../src/compiler/ir.js';
import { initBackend } from '../../../src/runtime/backend/select.js';
import { buildModel, layerNames } from '../../../src/runtime/model/build-model.js';

const SPECS = path.resolve(__dirname, '../../../specs');
const files = readdirSync(SPECS).filter((f) => f.endsWith('.yaml')).sort();

function compiled(file: string): IR {
  const r = compileFile(path.join(SPECS, file));
  if (!r.ir) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.path} ${d.message}`).join('\n'));
  return r.ir;
}

/** A checksum of every initial weight (sum and sum of squares in float64): equal sums ⇐ equal weights, cheap to compare. */
function fingerprint(model: tf.LayersModel): number[] {
  return model.getWeights().flatMap((w) => {
    const d = w.dataSync();
    let s = 0;
    let q = 0;
    for (let i = 0; i < d.length; i++) {
      s += d[i] * (i + 1);
      q += d[i] * d[i];
    }
    return [s, q];
  });
}

describe('shipped specs build into matching tfjs models', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('has specs to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s', (file) => {
    const ir = compiled(file);
    const model = buildModel(ir);
    const total = ir.nodes.reduce((s, n) => s + n.params.trainable + n.params.nonTrainable, 0);
    const trainable = ir.nodes.reduce((s, n) => s + n.params.trainable, 0);
    expect(model.countParams()).toBe(total);
    expect(model.trainableWeights.reduce((s, w) => s + w.shape.reduce((a, b) => a! * b!, 1)!, 0)).toBe(trainable);
    const names = layerNames(ir);
    for (const node of ir.nodes) {
      if (node.op === 'input') continue;
      expect(model.getLayer(names.get(node.id)!).outputShape, node.id).toEqual([null, ...node.shape]);
    }
    model.dispose();
  });

  it('gives the same initial weights on cpu and wasm, and across builds', async () => {
    const ir = compiled('mnist-convnet.yaml');
    const a = buildModel(ir);
    const fa = fingerprint(a);
    const b = buildModel(ir);
    expect(fingerprint(b)).toEqual(fa);
    const exact = a.getWeights().map((w) => Array.from(w.dataSync()));
    a.dispose();
    b.dispose();
    await initBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const c = buildModel(ir);
    expect(c.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(exact);
    c.dispose();
    await initBackend('cpu');
  });
});
