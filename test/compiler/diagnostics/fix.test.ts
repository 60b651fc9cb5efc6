/**
 * One diagnostic constructor, one did-you-mean, and fixes carried as data:
 * every fix a compile produces names the exact text at its range, so a tool
 * can apply it without reading the message.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/compile.js';
import { CODES } from '../../../src/compiler/diagnostics/codes.js';
import type { Diagnostic } from '../../../src/compiler/diagnostics/diagnostics.js';
import { didYouMean, didYouMeanFix, renameFix, suggestion } from '../../../src/compiler/diagnostics/did-you-mean.js';
import { diagnosticsToJson } from '../../../src/compiler/diagnostics/format.js';
import { diag, fileStart, internalError, type Locator } from '../../../src/compiler/diagnostics/report.js';

describe('diag', () => {
  const loc = { file: 'a.yaml', line: 3, col: 5, endLine: 3, endCol: 12 };
  const locator: Locator = { file: 'a.yaml', locate: (p) => (p === '/model/x' ? loc : { line: 1, col: 1 }) };

  it('takes severity from the catalogue and position from a location or a locator alike', () => {
    const a = diag('DLC110', 'm', loc, '/model/x', 'h');
    const b = diag('DLC110', 'm', locator, '/model/x', { hint: 'h' });
    expect(a).toEqual(b);
    expect([a.severity, a.line, a.col, a.endLine, a.endCol, a.hint]).toEqual([CODES.DLC110.severity, 3, 5, 3, 12, 'h']);
    expect(diag('DLC010', 'm', loc, '/x').severity).toBe('error');
  });

  it('gives a fix the diagnostic range, or none when the position has no end', () => {
    const fix = renameFix('filtres', 'filters');
    expect(diag('DLC010', 'm', loc, '/model/x', { fix }).fix).toEqual({ ...fix, range: { line: 3, col: 5, endLine: 3, endCol: 12 } });
    expect(diag('DLC010', 'm', locator, '/elsewhere', { fix }).fix).toEqual(fix);
    expect(diag('DLC010', 'm', loc, '/model/x').fix).toBeUndefined();
  });

  it('reports an internal error as DLC000 at the start of the file', () => {
    const d = internalError(new TypeError('x is undefined'), 'b.yaml');
    expect([d.code, d.file, d.line, d.col]).toEqual(['DLC000', 'b.yaml', fileStart('b.yaml').line, 1]);
    expect(d.message).toContain('x is undefined');
  });
});

describe('didYouMean', () => {
  const cases: Array<[string, readonly string[], string | undefined]> = [
    ['filtres', ['filters', 'kernel_size'], 'filters'], // transposition
    ['stme', ['stem', 'input'], 'stem'],
    ['kernelSize', ['kernel_size', 'strides'], 'kernel_size'], // case and separator slips
    ['lr', ['learning_rate', 'momentum'], 'learning_rate'], // a habit from PyTorch
    ['zzz', ['filters', 'units'], undefined],
    ['filters', ['filters'], undefined], // nothing to change
    ['constructor', ['filters'], undefined], // no prototype lookups
  ];
  it.each(cases)('%s among %j → %s', (word, candidates, want) => {
    expect(didYouMean(word, candidates)).toBe(want);
    expect(didYouMeanFix(word, candidates)?.replacement).toBe(want);
    expect(suggestion(word, candidates)).toBe(want === undefined ? '' : `; did you mean '${want}'?`);
  });
});

/** The text of `source` at a 1-based range with an exclusive end column (one line). */
function textAt(source: string, r: { line: number; col: number; endLine: number; endCol: number }): string {
  expect(r.endLine).toBe(r.line);
  return source.split('\n')[r.line - 1]!.slice(r.col - 1, r.endCol - 1);
}

const SPEC = (layers: string, extra = '') => `name: t
data: {dataset: mnist}
model:
  blocks:
    pair: {params: {filters: 8}, layers: [{conv2d: {filters: $filters, kernel_size: 3}}]}
  layers:
${layers}
optimizer: {sgd: {learning_rate: 0.1}}
${extra}`;

describe('fixes carried by compile diagnostics', () => {
  const cases: Array<[string, string, string, string]> = [
    // name, spec, code, replacement
    ['unknown key', SPEC('    - conv2d: {filtres: 8, kernel_size: 3}\n    - flatten\n    - dense: {units: 10}'), 'DLC010', 'filters'],
    ['unknown optimizer key', SPEC('    - flatten\n    - dense: {units: 10}').replace('learning_rate', 'learning_rat'), 'DLC010', 'learning_rate'],
    ['unknown layer kind', SPEC('    - flaten\n    - dense: {units: 10}'), 'DLC015', 'flatten'],
    ['value not allowed', SPEC('    - conv2d: {filters: 8, kernel_size: 3, activation: rleu}\n    - flatten\n    - dense: {units: 10}'), 'DLC013', 'relu'],
    ['unknown block', SPEC('    - block: {use: piar}\n    - flatten\n    - dense: {units: 10}'), 'DLC020', 'pair'],
    ['unknown block parameter', SPEC('    - block: {use: pair, with: {filtres: 4}}\n    - flatten\n    - dense: {units: 10}'), 'DLC021', 'filters'],
    ['unknown reference', SPEC('    - flatten: {name: flat}\n    - dense: {units: 10, inputs: [falt]}'), 'DLC100', 'flat'],
    ['class count', SPEC('    - flatten\n    - dense: {units: 12}'), 'DLC108', '10'],
    ['in_features', SPEC('    - flatten\n    - dense: {units: 10, in_features: 100}'), 'DLC104', '784'],
  ];
  it.each(cases)('%s: the fix replaces exactly the text at its range', (_n, source, code, replacement) => {
    const diags = compile(source, { file: 't.yaml' }).diagnostics;
    const withFix = diags.filter((d): d is Diagnostic & { fix: NonNullable<Diagnostic['fix']> } => d.fix !== undefined);
    expect(withFix.map((d) => d.code)).toEqual([code]);
    const { fix } = withFix[0]!;
    expect(fix.replacement).toBe(replacement);
    expect(fix.range).toBeDefined();
    expect(textAt(source, fix.range!)).toBe(fix.expected);
  });

  it('`dlc check --format json` hands the fix to tools', () => {
    const diags = compile(SPEC('    - flaten\n    - dense: {units: 10}'), { file: 't.yaml' }).diagnostics;
    const json = JSON.parse(diagnosticsToJson(diags)) as { diagnostics: Diagnostic[] };
    expect(json.diagnostics.map((d) => [d.code, d.fix?.replacement, d.fix?.expected])).toEqual([['DLC015', 'flatten', 'flaten']]);
  });

  it('a diagnostic with nothing to suggest carries no fix', () => {

    const diags = compile(SPEC('    - conv2d: {qqqqqq: 8, kernel_size: 3}\n    - flatten\n    - dense: {units: 10}'), { file: 't.yaml' }).diagnostics;
    expect(diags.map((d) => d.code)).toContain('DLC010');
    expect(diags.filter((d) => d.fix)).toEqual([]);
  });
});
