/**
 * Nested blocks (issue 14): a block's layers may use another block, to any
 * depth. The expansion equals the same model written out by hand (names,
 * inputs, shapes, parameter counts); a block using itself, directly or
 * through others, is DLC023 at the `use` that closes the cycle; the layer
 * cap (DLC022) holds for nested repeats; diagnostics inside a nested block
 * point at the block's own line, or at the `with` value that was passed in.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/compile.js';
import type { IR } from '../../../src/compiler/ir.js';

const HEAD = `name: t
data:
  dataset: synthetic
  synthetic: {train_samples: 8, test_samples: 4, shape: [8, 8, 3], classes: 3}
`;

const NESTED = `${HEAD}model:
  blocks:
    conv_bn:
      params: {filters: 8}
      layers:
        - conv2d: {filters: $filters, kernel_size: 3, padding: same, use_bias: false}
        - batch_norm
        - relu
    basic:
      params: {filters: 8}
      layers:
        - block: {name: a, use: conv_bn, with: {filters: $filters}}
        - block: {use: conv_bn, with: {filters: $filters}}
        - add: [conv_bn_1, input]
  layers:
    - conv2d: {name: stem, filters: 6, kernel_size: 3, padding: same}
    - block: {name: stage1, use: basic, repeat: 2, with: {filters: 6}}
    - global_avg_pool2d
    - dense: {units: 3}
`;

/** The same model written out by hand, with the names the expansion gives. */
function flatByHand(): string {
  const cb = (scope: string, first?: string) =>
    [
      `    - conv2d: {name: ${scope}.0.conv2d_1, filters: 6, kernel_size: 3, padding: same, use_bias: false${first ? `, inputs: [${first}]` : ''}}`,
      `    - batch_norm: {name: ${scope}.0.batch_norm_1}`,
      `    - relu: {name: ${scope}.0.relu_1}`,
    ].join('\n');
  const copy = (i: number, input: string) =>
    [cb(`stage1.${i}.a`, input), cb(`stage1.${i}.conv_bn_1`), `    - add: {name: stage1.${i}.add_1, inputs: [stage1.${i}.conv_bn_1.0.relu_1, ${input}]}`].join('\n');
  return `${HEAD}model:
  layers:
    - conv2d: {name: stem, filters: 6, kernel_size: 3, padding: same}
${copy(0, 'stem')}
${copy(1, 'stage1.0.add_1')}
    - global_avg_pool2d
    - dense: {units: 3}
`;
}

function lowered(yaml: string): IR {
  const r = compile(yaml, { file: 'spec.yaml' });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`)).toEqual([]);
  return r.ir!;
}

const codes = (yaml: string) => compile(yaml, { file: 'spec.yaml' }).diagnostics.map((d) => ({ code: d.code, line: d.line, col: d.col, message: d.message }));

describe('nested blocks', () => {
  it('expand to the model written out by hand: names, inputs, shapes, parameter counts', () => {
    const nested = lowered(NESTED);
    const flat = lowered(flatByHand());
    const view = (ir: IR) => ir.nodes.map((n) => ({ id: n.id, op: n.op, inputs: n.inputs, shape: n.shape, params: n.params, macs: n.macs }));
    expect(view(nested)).toEqual(view(flat));
    // Readable, stable names: <scope>.<copy>.<nested scope>.<copy>.<layer>.
    expect(nested.nodes.map((n) => n.id).slice(2, 5)).toEqual(['stage1.0.a.0.conv2d_1', 'stage1.0.a.0.batch_norm_1', 'stage1.0.a.0.relu_1']);
    // 4 convs of 3·3·6·6 = 324 weights, 4 batch norms of 4·6 = 24 (12 trainable), stem 3·3·3·6 + 6 = 168, dense 6·3 + 3 = 21.
    const total = nested.nodes.reduce((s, n) => s + n.params.trainable + n.params.nonTrainable, 0);
    expect(total).toBe(4 * 324 + 4 * 24 + 168 + 21);
  });

  it('layers of a nested block point at their own definition line', () => {
    const ir = lowered(NESTED);
    const conv = ir.nodes.find((n) => n.id === 'stage1.1.conv_bn_1.0.conv2d_1')!;
    expect(conv.source.path).toBe('/model/blocks/conv_bn/layers/0');
    expect(conv.source.line).toBe(10);
    const add = ir.nodes.find((n) => n.id === 'stage1.1.add_1')!;
    expect(add.source).toMatchObject({ path: '/model/blocks/basic/layers/2', line: 18 });
  });

  it('three levels deep, with repeats at every level', () => {
    const yaml = `${HEAD}model:
  blocks:
    leaf:
      layers: [{dense: {units: 4, activation: relu}}]
    mid:
      params: {n: 2}
      layers:
        - block: {use: leaf, repeat: $n}
    top:
      layers:
        - block: {name: m, use: mid, repeat: 2, with: {n: 3}}
  layers:
    - flatten
    - block: {use: top, repeat: 2}
    - dense: {units: 3}
`;
    const ir = lowered(yaml);
    const dense4 = ir.nodes.filter((n) => n.op === 'dense' && n.shape[0] === 4);
    expect(dense4).toHaveLength(2 * 2 * 3);
    expect(dense4[0].id).toBe('top_1.0.m.0.leaf_1.0.dense_1');
    expect(dense4.at(-1)!.id).toBe('top_1.1.m.1.leaf_1.2.dense_1');
    // A chain: each reads the one before it.
    for (let i = 1; i < dense4.length; i++) expect(dense4[i].inputs).toEqual([dense4[i - 1].id]);
  });

  it('a block item with `inputs` reads that layer (inception-style branches), nested and at the top level', () => {
    const yaml = `${HEAD}model:
  blocks:
    bc:
      params: {filters: 8}
      layers:
        - conv2d: {name: conv, filters: $filters, kernel_size: 1, use_bias: false}
        - batch_norm: {name: bn}
        - relu
    inc:
      layers:
        - block: {name: branch1, use: bc, with: {filters: 4}}
        - block: {name: branch2, use: bc, inputs: [input], with: {filters: 6}}
        - concat: [branch1, branch2]
  layers:
    - conv2d: {name: stem, filters: 8, kernel_size: 3}
    - block: {name: i1, use: inc}
    - block: {name: i2, use: bc, inputs: [stem]}
    - concat: [i2.0.relu_1, i1.0.concat_1]
    - global_avg_pool2d
    - dense: {units: 3}
`;
    const ir = lowered(yaml);
    const node = (id: string) => ir.nodes.find((n) => n.id === id)!;
    expect(node('i1.0.branch1.0.conv').inputs).toEqual(['stem']);
    expect(node('i1.0.branch2.0.conv').inputs).toEqual(['stem']);
    expect(node('i1.0.concat_1').inputs).toEqual(['i1.0.branch1.0.relu_1', 'i1.0.branch2.0.relu_1']);
    expect(node('i1.0.concat_1').shape).toEqual([6, 6, 10]);
    expect(node('i2.0.conv').inputs).toEqual(['stem']);
    // Several inputs for a block: DLC117 at the list.
    const d = codes(yaml.replace('inputs: [stem]}', 'inputs: [stem, i1.0.concat_1]}'));
    expect(d.map((x) => [x.code, x.line])).toEqual([['DLC117', 21]]);
  });

  it('a block using itself is DLC023 at its use, and a cycle through two blocks names both', () => {
    const self = `${HEAD}model:
  blocks:
    b:
      layers:
        - relu
        - block: {use: b}
  layers:
    - block: {use: b}
    - flatten
    - dense: {units: 3}
`;
    const d = codes(self);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ code: 'DLC023', line: 10, col: 24 });
    const two = `${HEAD}model:
  blocks:
    a:
      layers: [{block: {use: b}}]
    b:
      layers:
        - relu
        - block: {use: a}
  layers:
    - flatten
    - dense: {units: 3}
`;
    const e = codes(two);
    expect(e.map((x) => [x.code, x.line])).toEqual([['DLC023', 12]]);
    expect(e[0].message).toContain('a → b → a');
  });

  it('a cycle through a $param block name is DLC023 at the `with` value that closes it', () => {
    const yaml = `${HEAD}model:
  blocks:
    a:
      params: {inner: leaf}
      layers: [{block: {use: $inner}}]
    leaf:
      layers: [relu]
  layers:
    - block: {use: a, with: {inner: a}}
    - flatten
    - dense: {units: 3}
`;
    const d = codes(yaml);
    expect(d.map((x) => [x.code, x.line, x.col])).toEqual([['DLC023', 13, 37]]);
  });

  it('the layer cap holds for nested repeats (DLC022 at the repeat that overflows, knowing the nested size)', () => {
    const yaml = `${HEAD}model:
  blocks:
    leaf:
      layers: [relu, relu]
    mid:
      layers:
        - block: {use: leaf, repeat: 100}
  layers:
    - flatten
    - block: {use: mid, repeat: 100000000}
    - dense: {units: 3}
`;
    const d = codes(yaml);
    expect(d.map((x) => [x.code, x.line])).toEqual([['DLC022', 14]]);
    expect(d[0].message).toContain('200 layers each');
  });

  it('wide nesting (a million layers in one copy) stops at the cap quickly, with one DLC022', () => {
    const uses = (b: string) => Array.from({ length: 100 }, () => `        - block: {use: ${b}}`).join('\n');
    const yaml = `${HEAD}model:
  blocks:
    c:
      layers: [${Array.from({ length: 100 }, () => 'relu').join(', ')}]
    b:
      layers:
${uses('c')}
    a:
      layers:
${uses('b')}
  layers:
    - flatten
    - block: {use: a}
    - dense: {units: 3}
`;
    const t0 = performance.now();
    const d = codes(yaml);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(d.map((x) => x.code)).toEqual(['DLC022']);
  });

  it('a bad value passed down through two levels is reported at the outermost `with`', () => {
    const yaml = NESTED.replace('with: {filters: 6}', 'with: {filters: -6}');
    const d = codes(yaml);
    expect(d.map((x) => [x.code, x.line, x.col])).toEqual([['DLC012', 21, 68]]);
  });

  it('an unknown block and an unknown parameter inside a nested use are reported at the definition', () => {
    const yaml = NESTED.replace('- block: {use: conv_bn, with: {filters: $filters}}', '- block: {use: conv_bm, with: {filters: $filters}}').replace(
      'name: a, use: conv_bn, with: {filters: $filters}',
      'name: a, use: conv_bn, with: {filtres: $filters}',
    );
    const d = codes(yaml);
    expect(d.map((x) => [x.code, x.line])).toEqual([
      ['DLC021', 16],
      ['DLC020', 17],
    ]);
  });
});
