/**
 * Table-driven: every document-level diagnostic code (DLC0xx) with its
 * position. Tests assert code, line and column — never the wording — plus a
 * few "did you mean" suggestions.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/compile.js';

interface Want {
  readonly code: string;
  readonly line: number;
  readonly col: number;
  readonly file?: string;
}
interface Case {
  readonly given: string;
  readonly want: readonly Want[];
  readonly set?: readonly string[];
  /** Substring the first diagnostic's message must contain (did-you-mean). */
  readonly says?: string;
}

/** A valid spec; cases edit it. Lines: 1 name, 2 data, 3 model, 4 layers, 5 flatten, 6 dense. */
const MIN = `name: t
data: {dataset: mnist}
model:
  layers:
    - flatten
    - dense: {units: 10}
`;

const CASES: [string, Case][] = [
  ['valid minimal spec', { given: MIN, want: [] }],
  ['DLC001 YAML syntax error', { given: 'name: t\nmodel: [1, 2\ndata: x\n', want: [{ code: 'DLC001', line: 3, col: 1 }] }],
  ['DLC002 duplicate key', { given: MIN + 'name: u\n', want: [{ code: 'DLC002', line: 7, col: 1 }] }],
  ['DLC003 list root', { given: '- conv2d\n- dense\n', want: [{ code: 'DLC003', line: 1, col: 1 }] }],
  ['DLC003 scalar root', { given: 'just a string\n', want: [{ code: 'DLC003', line: 1, col: 1 }] }],
  ['DLC003 empty document', { given: '# only a comment\n', want: [{ code: 'DLC003', line: 1, col: 1 }] }],
  [
    'DLC004 alias bomb',
    {
      given: [
        'a: &a [x, x, x, x, x, x, x, x, x, x]',
        'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
        'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
        'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
        'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
        'f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]',
        '',
      ].join('\n'),
      want: [{ code: 'DLC004', line: 4, col: 32 }],
    },
  ],
  ['DLC009 --set without =', { given: MIN, set: ['seed'], want: [{ code: 'DLC009', line: 1, col: 1, file: '--set' }] }],
  ['DLC009 --set malformed path', { given: MIN, set: ['data..batch_size=3'], want: [{ code: 'DLC009', line: 1, col: 1, file: '--set' }] }],
  ['DLC009 --set bad YAML value', { given: MIN, set: ['seed=[1, 2'], want: [{ code: 'DLC009', line: 1, col: 6, file: '--set' }] }],
  ['DLC009 --set list index out of range', { given: MIN, set: ['model.layers.7.dense.units=3'], want: [{ code: 'DLC009', line: 1, col: 14, file: '--set' }] }],
  ['DLC009 --set through a scalar', { given: MIN, set: ['name.x=1'], want: [{ code: 'DLC009', line: 1, col: 6, file: '--set' }] }],
  [
    'DLC010 unknown key, with did-you-mean (points at the key)',
    { given: MIN.replace('- flatten', '- conv2d: {filtres: 8, kernel_size: 3}\n    - flatten'), want: [{ code: 'DLC010', line: 5, col: 16 }], says: "did you mean 'filters'" },
  ],
  ['DLC010 unknown top-level key', { given: MIN + 'optimiser: adam\n', want: [{ code: 'DLC010', line: 7, col: 1 }], says: "did you mean 'optimizer'" }],
  ['DLC010 data key for another data set', { given: MIN.replace('{dataset: mnist}', '{dataset: mnist, channels: 3}'), want: [{ code: 'DLC010', line: 2, col: 24 }] }],
  ['DLC011 wrong type', { given: MIN.replace('units: 10', 'units: ten'), want: [{ code: 'DLC011', line: 6, col: 22 }] }],
  ['DLC011 wrong type of a shorthand union', { given: MIN.replace('- flatten', '- max_pool2d: "2"'), want: [{ code: 'DLC011', line: 5, col: 19 }] }],
  ['DLC011 a layer that is a number', { given: MIN.replace('- flatten', '- 5'), want: [{ code: 'DLC011', line: 5, col: 7 }] }],
  ['DLC012 out of range', { given: MIN.replace('- flatten', '- dropout: 1.5'), want: [{ code: 'DLC012', line: 5, col: 16 }] }],
  ['DLC012 out of range (data)', { given: MIN.replace('{dataset: mnist}', '{dataset: mnist, validation_split: 0.95}'), want: [{ code: 'DLC012', line: 2, col: 42 }] }],
  // Checked as meant (softmax), the graph has a second mistake: softmax before cross_entropy (issue 14: one pass).
  ['DLC013 bad enum value, did-you-mean', { given: MIN.replace('units: 10', 'units: 10, activation: sofmax'), want: [{ code: 'DLC013', line: 6, col: 38 }, { code: 'DLC109', line: 6, col: 38 }], says: "did you mean 'softmax'" }],
  ['DLC013 unknown optimizer', { given: MIN + 'optimizer: {adma: {learning_rate: 0.1}}\n', want: [{ code: 'DLC013', line: 7, col: 13 }], says: "did you mean 'adam'" }],
  ['DLC013 unknown schedule (bare)', { given: MIN + 'schedule: cosin\n', want: [{ code: 'DLC013', line: 7, col: 11 }], says: "did you mean 'cosine'" }],
  ['DLC014 missing required top-level key', { given: 'name: t\ndata: {dataset: mnist}\n', want: [{ code: 'DLC014', line: 1, col: 1 }] }],
  ['DLC014 missing required layer attribute', { given: MIN.replace('- flatten', '- conv2d: {filters: 8}'), want: [{ code: 'DLC014', line: 5, col: 7 }] }],
  ['DLC014 kind needing attributes written bare', { given: MIN.replace('- flatten', '- conv2d'), want: [{ code: 'DLC014', line: 5, col: 7 }] }],
  ['DLC015 unknown layer kind', { given: MIN.replace('- flatten', '- flaten'), want: [{ code: 'DLC015', line: 5, col: 7 }], says: "did you mean 'flatten'" }],
  ['DLC015 unknown layer kind with attributes', { given: MIN.replace('- flatten', '- conv2: {filters: 8, kernel_size: 3}\n    - flatten'), want: [{ code: 'DLC015', line: 5, col: 7 }], says: "did you mean 'conv2d'" }],
  ['DLC016 malformed name', { given: MIN.replace('name: t', 'name: My Net'), want: [{ code: 'DLC016', line: 1, col: 7 }] }],
  ['DLC017 wrong number of items', { given: MIN.replace('- flatten', '- conv2d: {filters: 8, kernel_size: [3, 3, 3]}'), want: [{ code: 'DLC017', line: 5, col: 41 }] }],
  ['DLC017 two kinds in one union', { given: MIN + 'optimizer: {adam: {}, sgd: {}}\n', want: [{ code: 'DLC017', line: 7, col: 23 }] }],
  [
    'DLC020 unknown block',
    { given: MIN.replace('- flatten', '- block: {use: basik}\n    - flatten').replace('model:\n', 'model:\n  blocks:\n    basic:\n      layers: [relu]\n'), want: [{ code: 'DLC020', line: 8, col: 20 }], says: "did you mean 'basic'" },
  ],
  [
    'DLC021 unknown $param in a block definition',
    { given: MIN.replace('- flatten', '- block: {use: b}\n    - flatten').replace('model:\n', 'model:\n  blocks:\n    b:\n      params: {rate: 0.5}\n      layers:\n        - dropout: $rat\n'), want: [{ code: 'DLC021', line: 8, col: 20 }], says: "did you mean 'rate'" },
  ],
  [
    'DLC020/DLC021 names of Object.prototype members are just unknown names',
    {
      given: MIN.replace('- flatten', '- block: {use: b, with: {constructor: 1}}\n    - block: {use: constructor}\n    - flatten').replace('model:\n', 'model:\n  blocks:\n    b:\n      layers: [{dropout: $toString}]\n'),
      want: [{ code: 'DLC021', line: 6, col: 26 }, { code: 'DLC021', line: 8, col: 30 }, { code: 'DLC020', line: 9, col: 20 }],
    },
  ],
  [
    'DLC021 unknown $param in a block nobody uses',
    { given: MIN.replace('model:\n', 'model:\n  blocks:\n    b:\n      layers: [{dropout: $r}]\n'), want: [{ code: 'DLC021', line: 6, col: 26 }] },
  ],
  [
    'DLC011 a $param outside a block',
    { given: MIN.replace('units: 10', 'units: $u'), want: [{ code: 'DLC011', line: 6, col: 22 }] },
  ],
  [
    'DLC021 unknown parameter in `with`',
    { given: MIN.replace('- flatten', '- block: {use: b, with: {rat: 0.1}}\n    - flatten').replace('model:\n', 'model:\n  blocks:\n    b:\n      params: {rate: 0.5}\n      layers:\n        - dropout: $rate\n'), want: [{ code: 'DLC021', line: 10, col: 30 }] },
  ],
  [
    'a bad value passed to a block parameter points at the `with` value',
    { given: MIN.replace('- flatten', '- block: {use: b, with: {rate: 7}}\n    - flatten').replace('model:\n', 'model:\n  blocks:\n    b:\n      params: {rate: 0.5}\n      layers:\n        - dropout: $rate\n'), want: [{ code: 'DLC012', line: 10, col: 36 }] },
  ],
  [
    'a typo inside a conv2d gets exactly one error',
    { given: MIN.replace('- flatten', '- conv2d: {filters: 8, kernel_size: 3, paddin: same}\n    - flatten'), want: [{ code: 'DLC010', line: 5, col: 44 }], says: "did you mean 'padding'" },
  ],
  [
    'every problem in one pass, sorted by position',
    {
      given: `name: Bad Name
seed: -1
data: {dataset: cifar1O, batch_size: 0}
model:
  layers:
    - conv2d: {filtres: 16, kernel_size: 3}
    - flaten
    - dense: {units: 10, activation: rellu}
optimizer: {adma: {}}
`,
      want: [
        { code: 'DLC016', line: 1, col: 7 },
        { code: 'DLC012', line: 2, col: 7 },
        { code: 'DLC013', line: 3, col: 17 },
        { code: 'DLC012', line: 3, col: 38 },
        { code: 'DLC010', line: 6, col: 16 },
        { code: 'DLC015', line: 7, col: 7 },
        { code: 'DLC013', line: 8, col: 38 },
        { code: 'DLC013', line: 9, col: 13 },
      ],
    },
  ],
];

describe('document diagnostics', () => {
  it.each(CASES)('%s', (_name, c) => {
    const { diagnostics } = compile(c.given, { file: 'spec.yaml', overrides: c.set });
    expect(diagnostics.map((d) => ({ code: d.code, line: d.line, col: d.col, ...(d.file !== 'spec.yaml' ? { file: d.file } : {}) }))).toEqual(c.want);
    if (c.says) expect(diagnostics[0].message).toContain(c.says);
    for (const d of diagnostics) {
      // Never a raw ajv message or a oneOf/anyOf branch list.
      expect(d.message).not.toMatch(/must match|anyOf|oneOf|schema|#\//);
      expect(d.endLine).toBeGreaterThanOrEqual(d.line);
    }
  });
});
