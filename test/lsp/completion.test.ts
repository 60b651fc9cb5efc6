import { describe, expect, it } from 'vitest';
import { completeAt } from '../../src/lsp/completion.js';
import { definitionAt } from '../../src/lsp/references.js';
import { parseYaml } from '../../src/lsp/yaml-ast.js';
import { loadSchema } from '../../src/lsp/schema.js';

const schema = loadSchema();

/** Completes at the '|' in `text`; returns the labels and the pointer. */
function complete(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const a = completeAt(text, offset, schema);
  return { labels: a.suggestions.map((s) => s.label), pointer: a.pointer, a };
}

const HEAD = 'name: t\ndata: {dataset: mnist}\n';

describe('completeAt (schema-driven completion)', () => {
  const cases: Array<[string, { given: string; pointer: string; has: string[]; not?: string[] }]> = [
    ['top-level keys on a blank line', { given: `${HEAD}|\n`, pointer: '', has: ['model', 'optimizer', 'loss'], not: ['name', 'data'] }],
    ['layer kinds after "- "', { given: `${HEAD}model:\n  layers:\n    - |\n`, pointer: '/model/layers/0', has: ['conv2d', 'dense', 'max_pool2d', 'flatten'] }],
    ['layer kinds on a partial word', { given: `${HEAD}model:\n  layers:\n    - flatten\n    - con|\n`, pointer: '/model/layers/1', has: ['conv2d', 'dense'] }],
    ['conv2d keys in a block mapping', { given: `${HEAD}model:\n  layers:\n    - conv2d:\n        filters: 8\n        |\n`, pointer: '/model/layers/0/conv2d', has: ['kernel_size', 'padding', 'activation', 'in_channels'], not: ['filters', 'units'] }],
    ['conv2d keys in a flow mapping', { given: `${HEAD}model:\n  layers:\n    - conv2d: {filters: 8, |}\n`, pointer: '/model/layers/0/conv2d', has: ['kernel_size', 'padding'], not: ['filters', 'units'] }],
    ['dense keys', { given: `${HEAD}model:\n  layers:\n    - dense:\n        |\n`, pointer: '/model/layers/0/dense', has: ['units', 'in_features'], not: ['filters'] }],
    ['an enum value', { given: `${HEAD}model:\n  layers:\n    - conv2d: {filters: 8, padding: |}\n`, pointer: '/model/layers/0/conv2d/padding', has: ['same', 'valid'] }],
    ['data set names', { given: `name: t\ndata:\n  dataset: |\n`, pointer: '/data/dataset', has: ['mnist', 'cifar10', 'synthetic'] }],
  ];
  it.each(cases)('%s', (_name, { given, pointer, has, not = [] }) => {
    const got = complete(given);
    expect(got.pointer).toBe(pointer);
    for (const h of has) expect(got.labels).toContain(h);
    for (const n of not) expect(got.labels).not.toContain(n);
  });

  const DAG = `${HEAD}model:\n  blocks:\n    res: {layers: [{conv2d: {filters: 8, kernel_size: 3, name: a}}, {add: [a, |]}]}\n    plain: {layers: [relu]}\n  layers:\n    - conv2d: {filters: 8, kernel_size: 3, name: stem}\n    - conv2d: {filters: 8, kernel_size: 3, name: c1}\n    - conv2d: {filters: 8, kernel_size: 3, name: c2, inputs: [stem]}\n`;
  const refCases: Array<[string, { given: string; want: string[] }]> = [
    ['inputs: names of the other layers and input', { given: DAG.replace('|', '').replace('inputs: [stem]', 'inputs: [stem, |]'), want: ['stem', 'c1', 'input'] }],
    ['add shorthand', { given: DAG.replace('|', '') + '    - add: [c1, |]\n', want: ['stem', 'c1', 'c2', 'input'] }],
    ['inside a block: that block\'s names', { given: DAG, want: ['a', 'input'] }],
    ['block use: the blocks', { given: DAG.replace('|', '') + '    - block: {use: |}\n', want: ['res', 'plain'] }],
    ['model.output: the named layers', { given: DAG.replace('|', '').replace('model:\n', 'model:\n  output: |\n'), want: ['stem', 'c1', 'c2'] }],
    ['model.outputs[].layer: the named layers', { given: DAG.replace('|', '').replace('model:\n', 'model:\n  outputs:\n    - {layer: stem}\n    - {layer: |}\n'), want: ['stem', 'c1', 'c2'] }],
  ];
  it.each(refCases)('references: %s', (_n, { given, want }) => {
    expect(complete(given).labels).toEqual(want);
  });

  it('replaces the partial word under the cursor', () => {
    const { a } = complete(`${HEAD}model:\n  layers:\n    - con|\n`);
    expect(a.replaceEnd - a.replaceStart).toBe(3);
    expect(a.keyNeedsColon).toBe(true);
  });
});

describe('definitionAt (go to a referenced layer or block)', () => {
  const SRC = `${HEAD}model:\n  blocks:\n    res: {layers: [{conv2d: {filters: 8, kernel_size: 3, name: a}}, {add: [a, input]}]}\n  layers:\n    - conv2d: {filters: 8, kernel_size: 3, name: stem}\n    - block: {use: res}\n    - conv2d: {filters: 8, kernel_size: 3, inputs: [stem]}\n    - add: [stem, nowhere]\n`;
  const parsed = parseYaml(SRC);
  const target = (needle: string, n = 0) => {
    let i = -1;
    for (let k = 0; k <= n; k++) i = SRC.indexOf(needle, i + 1);
    const node = definitionAt(parsed, i + 1);
    return node?.range?.[0];
  };
  it.each([
    ['an inputs item → the layer name', 'stem]', 0, SRC.indexOf('stem}')],
    ['an add item → the layer name', 'stem, nowhere', 0, SRC.indexOf('stem}')],
    ['inside a block → that block\'s layer', 'a, input', 0, SRC.indexOf('a}}')],
    ['block use → the block key', 'res}', 0, SRC.indexOf('res:')],
    ['an unknown name → nothing', 'nowhere', 0, undefined],
    ['a name definition itself → nothing', 'stem}', 0, undefined],
  ] as const)('%s', (_n, needle, n, want) => expect(target(needle, n)).toBe(want));
});
