/**
 * `conventions: pytorch | keras`: PyTorch's defaults without the key,
 * Keras's with `keras`, the spec's own values over both, in blocks too;
 * `dlc config`'s document states the key and every resolved value and
 * compiles back to the same spec; the shipped specs keep Keras's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/compile.js';
import { documentToYaml, specToDocument } from '../../../src/compiler/front/denormalize.js';
import { KERAS_OVERRIDES } from '../../../src/compiler/front/conventions.js';
import { opDef } from '../../../src/compiler/ops/index.js';
import { anyFamily, OPTIMIZERS } from '../../../src/compiler/kinds/index.js';
import type { LayerSpec, Spec } from '../../../src/compiler/spec.js';

const spec = (yaml: string): Spec => {
  const r = compile(yaml, { file: 'spec.yaml', noLower: true });
  expect(r.diagnostics).toEqual([]);
  return r.spec!;
};

const MODEL = `model:
  blocks:
    bn: {layers: [{batch_norm: {}}, leaky_relu]}
  layers:
    - batch_norm
    - layer_norm
    - leaky_relu
    - block: {use: bn}
    - batch_norm: {epsilon: 0.01}
    - leaky_relu: {alpha: 0.2}
    - flatten
    - dense: {units: 10}
`;
const doc = (conv: string | undefined, optimizer: string) => `name: t\n${conv ? `conventions: ${conv}\n` : ''}data: {dataset: mnist}\n${MODEL}optimizer: ${optimizer}\n`;
const attrs = (l: LayerSpec) => {
  const { path: _p, name: _n, ...rest } = l as LayerSpec & { name?: string };
  return rest;
};

describe('conventions', () => {
  it('defaults to pytorch: batch/layer-norm epsilon 1e-5, momentum 0.9 (PyTorch 0.1), leaky slope 0.01, in blocks too', () => {
    const s = spec(doc(undefined, 'adam'));
    expect(s.conventions).toBe('pytorch');
    expect(s.model.layers.map(attrs)).toEqual([
      { kind: 'batch_norm', momentum: 0.9, epsilon: 1e-5 },
      { kind: 'layer_norm', epsilon: 1e-5 },
      { kind: 'leaky_relu', alpha: 0.01 },
      { kind: 'batch_norm', momentum: 0.9, epsilon: 1e-5 },
      { kind: 'leaky_relu', alpha: 0.01 },
      { kind: 'batch_norm', momentum: 0.9, epsilon: 0.01 },
      { kind: 'leaky_relu', alpha: 0.2 },
      { kind: 'flatten' },
      { kind: 'dense', units: 10, activation: 'linear', use_bias: true },
    ]);
    expect(s.optimizer).toEqual({ kind: 'adam', weight_decay: 0, learning_rate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    expect(spec(doc('pytorch', 'rmsprop')).optimizer).toEqual({ kind: 'rmsprop', weight_decay: 0, learning_rate: 0.01, rho: 0.99, momentum: 0, epsilon: 1e-8 });
    expect(spec(doc(undefined, 'adagrad')).optimizer).toEqual({ kind: 'adagrad', weight_decay: 0, learning_rate: 0.01, initial_accumulator_value: 0, epsilon: 1e-10 });
  });

  it('keras: Keras defaults where they differ, the spec own values still win', () => {
    const s = spec(doc('keras', 'adamw'));
    expect(s.conventions).toBe('keras');
    expect(s.model.layers.map(attrs).slice(0, 7)).toEqual([
      { kind: 'batch_norm', momentum: 0.99, epsilon: 0.001 },
      { kind: 'layer_norm', epsilon: 0.001 },
      { kind: 'leaky_relu', alpha: 0.3 },
      { kind: 'batch_norm', momentum: 0.99, epsilon: 0.001 },
      { kind: 'leaky_relu', alpha: 0.3 },
      { kind: 'batch_norm', momentum: 0.99, epsilon: 0.01 },
      { kind: 'leaky_relu', alpha: 0.2 },
    ]);
    expect(s.optimizer).toEqual({ kind: 'adamw', weight_decay: 0.01, learning_rate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(spec(doc('keras', 'rmsprop')).optimizer).toMatchObject({ learning_rate: 0.001, rho: 0.9, epsilon: 1e-7 });
    expect(spec(doc('keras', '{adagrad: {epsilon: 0.5}}')).optimizer).toMatchObject({ initial_accumulator_value: 0.1, epsilon: 0.5 });
    // SGD has no convention-dependent default.
    expect(spec(doc('keras', 'sgd')).optimizer).toEqual(spec(doc('pytorch', 'sgd')).optimizer);
  });

  it('every Keras override names a declared attribute and differs from the declared (PyTorch) default', () => {
    for (const [kind, over] of Object.entries(KERAS_OVERRIDES.layers)) {
      const def = opDef(kind)!;
      for (const [k, v] of Object.entries(over)) {
        expect(Object.keys(def.attrs)).toContain(k);
        expect(def.defaults?.[k as never]).not.toBe(v);
      }
    }
    for (const [kind, over] of Object.entries(KERAS_OVERRIDES.optimizers)) {
      const decl = anyFamily(OPTIMIZERS)[kind];
      for (const [k, v] of Object.entries(over)) {
        expect(Object.keys(decl.attrs)).toContain(k);
        expect(decl.defaults[k]).not.toBe(v);
      }
    }
  });

  it('dlc config states the conventions and every resolved value, and compiles back to the same spec', () => {
    for (const conv of ['keras', undefined]) {
      const s = spec(doc(conv, 'rmsprop'));
      const yaml = documentToYaml(specToDocument(s));
      expect(yaml).toMatch(new RegExp(`^conventions: ${s.conventions}$`, 'm'));
      const again = spec(yaml);
      expect(again.conventions).toBe(s.conventions);
      expect(again.optimizer).toEqual(s.optimizer);
      expect(again.model.layers.map(attrs)).toEqual(s.model.layers.map(attrs));
    }
  });

  it('a layer init: overrides the conventions for its initial weights only (batch norm follows the spec)', () => {
    const yaml = (conv: string) => `name: t
conventions: ${conv}
data: {dataset: mnist}
model:
  layers:
    - conv2d: {name: a, filters: 4, kernel_size: 3}
    - conv2d: {name: b, filters: 4, kernel_size: 3, init: ${conv === 'keras' ? 'pytorch' : 'keras'}}
    - batch_norm: {name: n, init: ${conv === 'keras' ? 'pytorch' : 'keras'}}
    - flatten
    - dense: {name: fc, units: 10}
`;
    for (const conv of ['pytorch', 'keras'] as const) {
      const r = compile(yaml(conv), { file: 'spec.yaml' });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const main = (id: string) => r.ir!.nodes.find((n) => n.id === id)!.layers.find((c) => c.part === 'main')!;
      const kernel = (id: string) => (main(id).args.kernelInitializer as { init: string }).init;
      const own = conv === 'pytorch' ? 'randomUniform' : 'glorotUniform';
      const other = conv === 'pytorch' ? 'glorotUniform' : 'randomUniform';
      expect([kernel('a'), kernel('b'), kernel('fc')]).toEqual([own, other, own]);
      expect(main('b').args.biasInitializer === undefined).toBe(conv === 'pytorch');
      expect(main('n').layer).toBe(conv === 'pytorch' ? 'torchBatchNormalization' : 'batchNormalization');
      // dlc config keeps it; attrs of the node do not carry it.
      const again = spec(documentToYaml(specToDocument(r.spec!)));
      expect(again.model.layers[1]).toMatchObject({ name: 'b', init: conv === 'keras' ? 'pytorch' : 'keras' });
      expect(r.ir!.nodes.find((n) => n.id === 'b')!.attrs).not.toHaveProperty('init');
    }
  });

  it('an unknown value is a schema error at the key', () => {
    const r = compile('name: t\nconventions: torch\ndata: {dataset: mnist}\nmodel: {layers: [flatten]}\n', { file: 'spec.yaml', noLower: true });
    const errs = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errs.length).toBeGreaterThan(0);
    expect(errs[0]).toMatchObject({ line: 2, path: '/conventions' });
    expect(errs[0].message).toMatch(/pytorch/);
  });

  it('the shipped specs with README figures keep the Keras defaults those were measured with', () => {
    const dir = fileURLToPath(new URL('../../../specs/', import.meta.url));
    const files = ['cifar-convnet', 'fashion-mnist', 'lenet5', 'mnist-convnet', 'resnet20-cifar'].map((n) => `${n}.yaml`);
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(files));
    for (const f of files) expect(spec(readFileSync(dir + f, 'utf8')).conventions, f).toBe('keras');
  });
});
