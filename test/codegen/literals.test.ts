import { describe, expect, it } from 'vitest';
import { commentText, jsNumber, jsString, jsValue, markdownCodeBlock, tsLiteral } from '../../src/codegen/tfjs-node-ts/literals.js';
import { IdentifierScope, sanitizeIdentifier, checkIdentifier, IDENTIFIER } from '../../src/codegen/tfjs-node-ts/names.js';

const NASTY = [
  'x"); require("child_process").execSync("touch /tmp/pwned"); ("',
  "it's `${process.exit(1)}` */ /* \\",
  'line1\nline2\r\nline3\u2028line4\u2029end',
  '</script><!-- -->',
];

describe('jsString', () => {
  it.each(NASTY)('round-trips %j through eval as a single string literal', (s) => {
    const lit = jsString(s);
    // eslint-disable-next-line no-eval
    expect((0, eval)(`(${lit})`)).toBe(s);
    expect(lit).not.toMatch(/[\n\r\u2028\u2029]/);
  });
});

describe('commentText', () => {
  it.each(NASTY)('never contains a line terminator: %j', (s) => {
    expect(commentText(s)).not.toMatch(/[\n\r\u2028\u2029]/);
  });
  it('leaves plain text alone', () => {
    expect(commentText('specs/cifar-convnet.yaml')).toBe('specs/cifar-convnet.yaml');
  });
});

describe('markdownCodeBlock', () => {
  it('indents every line so nothing is interpreted', () => {
    expect(markdownCodeBlock('a\n`b`\r\n<c>')).toBe('    a\n    `b`\n    <c>');
  });
});

describe('jsNumber / jsValue', () => {
  it('rejects non-finite numbers', () => {
    expect(() => jsNumber(Number.NaN)).toThrow();
    expect(() => jsValue({ a: Number.POSITIVE_INFINITY })).toThrow();
  });
  it('prints nested JSON indented', () => {
    expect(jsValue({ a: [1, 2], b: 'x' }, '  ')).toBe('{\n    "a": [\n      1,\n      2\n    ],\n    "b": "x"\n  }');
  });
});

describe('identifiers', () => {
  it.each([
    ['conv2d_1', 'conv2d_1'],
    ['stage1.0.conv_a', 'stage1_0_conv_a'],
    ['1st', '_1st'],
    ['class', 'class_'],
    [NASTY[0], 'x_require_child_process_execSync_touch_tmp_pwned'],
    ['', 'layer'],
    ['ü', 'layer'],
  ])('%j → %j', (given, want) => {
    expect(sanitizeIdentifier(given)).toBe(want);
    expect(IDENTIFIER.test(sanitizeIdentifier(given))).toBe(true);
  });
  it('resolves collisions and reserved template names', () => {
    const scope = new IdentifierScope(['model']);
    expect([scope.take('model'), scope.take('a.b'), scope.take('a_b'), scope.take('a-b')]).toEqual(['model_2', 'a_b', 'a_b_2', 'a_b_3']);
  });
  it('checkIdentifier rejects anything else', () => {
    expect(() => checkIdentifier('a b')).toThrow();
    expect(() => checkIdentifier('return')).toThrow();
  });
});

describe('tsLiteral', () => {
  it.each([
    [{ kind: 'sgd', learning_rate: 0.1, nesterov: false }, '{ kind: "sgd", learning_rate: 0.1, nesterov: false }'],
    [[1, 2.5, -3e-7], '[1, 2.5, -3e-7]'],
    [{ 'a-b': null, c: [] }, '{ "a-b": null, c: [] }'],
    [{}, '{}'],
  ])('%j → %s', (given, want) => {
    expect(tsLiteral(given)).toBe(want);
  });
  it('breaks long values over lines with trailing commas', () => {
    expect(tsLiteral({ a: 'x'.repeat(50), b: ['y'.repeat(50)] }, '', 40)).toBe(`{\n  a: "${'x'.repeat(50)}",\n  b: [\n    "${'y'.repeat(50)}",\n  ],\n}`);
  });
  it.each(NASTY)('evaluates back to the same data with hostile strings in keys and values: %j', (s) => {
    const value = { [s]: s, list: [s, 1, { k: s }] };
    // eslint-disable-next-line no-eval
    expect((0, eval)(`(${tsLiteral(value)})`)).toEqual(value);
  });
  it('refuses __proto__ keys and non-plain objects', () => {
    expect(() => tsLiteral(JSON.parse('{"__proto__": {"x": 1}}'))).toThrow(/__proto__/);
    expect(() => tsLiteral(new Date())).toThrow();
    expect(() => tsLiteral({ f: () => 1 })).toThrow();
  });
});
