/** Diagnostic printing (text and JSON) and did-you-mean. */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/compiler/diagnostics/diagnostics.js';
import { didYouMean, editDistance } from '../../../src/compiler/diagnostics/did-you-mean.js';
import { diagnosticsToJson, formatDiagnostic, formatDiagnostics, summarize } from '../../../src/compiler/diagnostics/format.js';

const d = (over: Partial<Diagnostic>): Diagnostic => ({ code: 'DLC012', severity: 'error', message: 'batch_size must be ≥ 1, got 0', file: 'a.yaml', line: 2, col: 15, endLine: 2, endCol: 16, path: '/data/batch_size', ...over });
const sources = new Map([['a.yaml', 'name: t\ndata: {batch_size: 0}\nmodel:\n  layers: [flatten]\n']]);

describe('formatDiagnostic', () => {
  it('prints header, source line, caret under the range, hint', () => {
    expect(formatDiagnostic(d({ hint: 'range: 1 to 65536' }), { sources })).toBe(
      ['a.yaml:2:15 error DLC012 batch_size must be ≥ 1, got 0', '   2 | data: {batch_size: 0}', '     |               ^', '   hint: range: 1 to 65536', ''].join('\n'),
    );
  });

  it('underlines to the end of the line when the node spans lines', () => {
    const out = formatDiagnostic(d({ line: 3, col: 1, endLine: 5, endCol: 1, code: 'DLC014', message: 'x' }), { sources });
    expect(out.split('\n')[2]).toBe('     | ^^^^^^');
  });

  it('prints just the header when the source is unavailable, and colours on request', () => {
    expect(formatDiagnostic(d({ file: '<nowhere>' }))).toBe('<nowhere>:2:15 error DLC012 batch_size must be ≥ 1, got 0\n');
    expect(formatDiagnostic(d({}), { sources, color: true })).toContain('\x1b[31m');
  });

  it('separates diagnostics and summarises', () => {
    const two = [d({}), d({ severity: 'warning', code: 'DLC110', line: 4 })];
    expect(formatDiagnostics(two, { sources }).split('\n\n')).toHaveLength(2);
    expect(summarize(two)).toBe('1 error, 1 warning');
    expect(summarize([])).toBe('');
  });

  it('JSON has every field plus the catalogue title and counts', () => {
    const json = JSON.parse(diagnosticsToJson([d({})]));
    expect(json).toEqual({ diagnostics: [{ ...d({}), title: 'value out of range' }], errors: 1, warnings: 0 });
  });
});

describe('did you mean', () => {
  it('counts a transposition as one edit', () => {
    expect(editDistance('filtres', 'filters')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
  it('suggests near names only', () => {
    expect(didYouMean('filtres', ['filters', 'kernel_size'])).toBe('filters');
    expect(didYouMean('kernelSize', ['filters', 'kernel_size'])).toBe('kernel_size');
    expect(didYouMean('conv2', ['conv2d', 'dense'])).toBe('conv2d');
    expect(didYouMean('banana', ['filters', 'kernel_size'])).toBeUndefined();
    expect(didYouMean('relu', ['relu'])).toBeUndefined();
  });
  it('knows PyTorch/Keras names for dlc keys', () => {
    expect(didYouMean('lr', ['learning_rate', 'momentum'])).toBe('learning_rate');
    expect(didYouMean('out_channels', ['filters', 'kernel_size'])).toBe('filters');
    expect(didYouMean('Linear', ['dense', 'flatten'])).toBe('dense');
    expect(didYouMean('lr', ['units'])).toBeUndefined();
  });
});
