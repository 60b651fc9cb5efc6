import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/compiler/diagnostics/diagnostics.js';
import { toLspDiagnostic } from '../../src/lsp/convert.js';
import { locate, nodeAt, parseYaml } from '../../src/lsp/yaml-ast.js';

const TEXT = 'name: t\nextends: base.yaml\nmodel:\n  layers:\n    - conv2d: {filters: 8}\n    - dense: {units: 10, in_features: 99}\n';

function diag(over: Partial<Diagnostic>): Diagnostic {
  return { code: 'DLC104', severity: 'error', message: 'm', file: '/w/spec.yaml', line: 1, col: 1, path: '', ...over };
}

describe('toLspDiagnostic', () => {
  const parsed = parseYaml(TEXT);

  it('shifts 1-based line/col (exclusive end) to 0-based positions and keeps code, severity, source', () => {
    const got = toLspDiagnostic(diag({ line: 6, col: 39, endLine: 6, endCol: 41, hint: 'set it to 8' }), '/w/spec.yaml', '/w', parsed);
    expect(got.range).toEqual({ start: { line: 5, character: 38 }, end: { line: 5, character: 40 } });
    expect(got).toMatchObject({ code: 'DLC104', severity: 1, source: 'dlc', message: 'm\nhint: set it to 8' });
  });

  it('takes the extent of the YAML node at the path when no end is given', () => {
    const got = toLspDiagnostic(diag({ severity: 'warning', line: 6, col: 39, path: '/model/layers/1/dense/in_features' }), '/w/spec.yaml', '/w', parsed);
    expect(got.range).toEqual({ start: { line: 5, character: 38 }, end: { line: 5, character: 40 } });
    expect(got.severity).toBe(2);
  });

  it('matches a relative diagnostic file against the absolute document path', () => {
    const got = toLspDiagnostic(diag({ file: 'spec.yaml', line: 2, col: 1, endLine: 2, endCol: 8 }), '/w/spec.yaml', '/w', parsed);
    expect(got.range.start).toEqual({ line: 1, character: 0 });
    expect(got.relatedInformation).toBeUndefined();
  });

  it('shows a problem of an extends base on the extends value, pointing at the base', () => {
    const got = toLspDiagnostic(diag({ file: '/w/base.yaml', line: 3, col: 5, endLine: 3, endCol: 9, severity: 'info' }), '/w/spec.yaml', '/w', parsed);
    expect(got.range).toEqual({ start: { line: 1, character: 9 }, end: { line: 1, character: 18 } });
    expect(got.message).toMatch(/^\/w\/base\.yaml:3:5: m/);
    expect(got.severity).toBe(3);
    expect(got.relatedInformation?.[0]?.location).toEqual({ uri: 'file:///w/base.yaml', range: { start: { line: 2, character: 4 }, end: { line: 2, character: 8 } } });
  });
});

describe('yaml-ast', () => {
  const parsed = parseYaml(TEXT);
  const at = (needle: string, delta = 0) => locate(parsed, TEXT.indexOf(needle) + delta);

  it.each([
    ['on a layer kind key', 'conv2d', 0, '/model/layers/0/conv2d', true],
    ['inside a flow mapping value', '99', 1, '/model/layers/1/dense/in_features', false],
    ['on a key inside a flow mapping', 'units', 2, '/model/layers/1/dense/units', true],
    ['on a top-level value', 'base.yaml', 3, '/extends', false],
  ] as const)('locates the pointer %s', (_n, needle, delta, pointer, onKey) => {
    const got = at(needle, delta);
    expect('/' + got.segments.join('/')).toBe(pointer);
    expect(got.onKey).toBe(onKey);
  });

  it('finds nodes by pointer', () => {
    expect(String((nodeAt(parsed, '/model/layers/1/dense/units') as { value: unknown }).value)).toBe('10');
    expect(nodeAt(parsed, '/model/layers/7')).toBeUndefined();
  });
});
