import { describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { suggestedReplacement } from '../../src/lsp/quick-fix.js';

const at = (message: string, line = 3, endLine = 3): Diagnostic => ({ message, source: 'dlc', range: { start: { line, character: 4 }, end: { line: endLine, character: 9 } } });

describe('suggestedReplacement', () => {
  const cases: Array<[string, { d: Diagnostic; current: string; want?: string }]> = [
    ['did you mean → the suggestion', { d: at("unknown key 'filtres' in conv2d; did you mean 'filters'?"), current: 'filtres', want: 'filters' }],
    ['reference typo', { d: at("no layer is named 'stme' — did you mean 'stem'?"), current: 'stme', want: 'stem' }],
    ['in_features hint → the inferred number', { d: at("dense_1: in_features is 1024, but its input has 1568 features\nhint: 'flatten_1' flattens 14×14×8 into 1568 features; use in_features: 1568"), current: '1024', want: '1568' }],
    ['no suggestion in the message', { d: at("unknown key 'zzz' in conv2d"), current: 'zzz' }],
    ['range is not one word (a mapping)', { d: at("unknown layer kind 'conv'; did you mean 'conv2d'?"), current: 'conv: {filters: 8}' }],
    ['multi-line range', { d: at("unknown key 'x'; did you mean 'y'?", 3, 5), current: 'x' }],
    ['not from dlc', { d: { ...at("did you mean 'y'?"), source: 'yaml' }, current: 'x' }],
  ];
  it.each(cases)('%s', (_n, { d, current, want }) => expect(suggestedReplacement(d, current)?.newText).toBe(want));
});
