/**
 * Quick fixes come from the fix a diagnostic carries as data, end to end:
 * compile a spec with a mistake → LSP diagnostic (fix in `data`) → code
 * action → apply its edit → the spec compiles without that diagnostic.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic as LspDiagnostic, Range } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { compile } from '../../src/compiler/compile.js';
import { toLspDiagnostic } from '../../src/lsp/convert.js';
import { QUICK_FIX_CODES, quickFixes, suggestedReplacement } from '../../src/lsp/quick-fix.js';
import { parseYaml } from '../../src/lsp/yaml-ast.js';

const FILE = '/specs/quick.yaml';
const URI = 'file:///specs/quick.yaml';

const spec = (layers: string, output = '') => `name: quick
data: {dataset: mnist, batch_size: 32}
model:
  blocks:
    stem: {params: {filters: 8}, layers: [{conv2d: {filters: $filters, kernel_size: 3}}]}
  layers:
${layers}${output}
optimizer: {sgd: {learning_rate: 0.1}}
train: {epochs: 1}
`;

/** The spec's dlc diagnostics as the server publishes them. */
function published(text: string): LspDiagnostic[] {
  const parsed = parseYaml(text);
  return compile(text, { file: FILE, cwd: '/specs' }).diagnostics.map((d) => toLspDiagnostic(d, FILE, '/specs', parsed));
}

function textOf(text: string): (r: Range) => string {
  const doc = TextDocument.create(URI, 'yaml', 1, text);
  return (r) => doc.getText(r);
}

/** Applies every quick fix offered for the spec's diagnostics. */
function fixAll(text: string): { fixed: string; codes: string[]; titles: string[] } {
  const diags = published(text);
  const actions = quickFixes(URI, diags, textOf(text));
  const doc = TextDocument.create(URI, 'yaml', 1, text);
  const edits = actions.flatMap((a) => a.edit!.changes![URI]!);
  return { fixed: TextDocument.applyEdits(doc, edits), codes: actions.map((a) => String(a.diagnostics![0]!.code)), titles: actions.map((a) => a.title) };
}

describe('quick fixes from diagnostic data', () => {
  const cases: Array<[string, { layers: string; output?: string; code: string; title: string; fixedHas: string }]> = [
    ['misspelled key', { layers: '    - conv2d: {filtres: 8, kernel_size: 3}\n    - flatten\n    - dense: {units: 10}', code: 'DLC010', title: "Change 'filtres' to 'filters'", fixedHas: '{filters: 8' }],
    ['misspelled layer kind', { layers: '    - conv2: {filters: 8, kernel_size: 3}\n    - flatten\n    - dense: {units: 10}', code: 'DLC015', title: "Change 'conv2' to 'conv2d'", fixedHas: '- conv2d: {filters' }],
    ['misspelled value', { layers: '    - conv2d: {filters: 8, kernel_size: 3, padding: smae}\n    - flatten\n    - dense: {units: 10}', code: 'DLC013', title: "Change 'smae' to 'same'", fixedHas: 'padding: same}' }],
    ['misspelled reference', { layers: '    - conv2d: {name: stem, filters: 8, kernel_size: 3}\n    - flatten: {inputs: [stme]}\n    - dense: {units: 10}', code: 'DLC100', title: "Change 'stme' to 'stem'", fixedHas: 'inputs: [stem]' }],
    ['misspelled output', { layers: '    - flatten\n    - dense: {name: head, units: 10}', output: '\n  output: haed', code: 'DLC100', title: "Change 'haed' to 'head'", fixedHas: 'output: head' }],
    // 28·28·1 = 784 features reach the dense layer.
    ['in_features', { layers: '    - flatten\n    - dense: {units: 10, in_features: 1024}', code: 'DLC104', title: 'Set in_features to 784 (the inferred input)', fixedHas: 'in_features: 784}' }],
    ['misspelled block', { layers: '    - block: {use: stme}\n    - flatten\n    - dense: {units: 10}', code: 'DLC020', title: "Change 'stme' to 'stem'", fixedHas: 'use: stem}' }],
    ['misspelled block parameter', { layers: '    - block: {use: stem, with: {filtres: 4}}\n    - flatten\n    - dense: {units: 10}', code: 'DLC021', title: "Change 'filtres' to 'filters'", fixedHas: 'with: {filters: 4}' }],
    ['output units', { layers: '    - flatten\n    - dense: {units: 7}', code: 'DLC108', title: 'Set units to 10 (the class count)', fixedHas: 'dense: {units: 10}' }],
    ['in_channels', { layers: '    - conv2d: {filters: 8, kernel_size: 3, in_channels: 3}\n    - flatten\n    - dense: {units: 10}', code: 'DLC103', title: 'Set in_channels to 1 (the inferred input)', fixedHas: 'in_channels: 1}' }],
  ];
  it.each(cases)('%s: the fix removes the diagnostic', (_n, { layers, output, code, title, fixedHas }) => {
    const text = spec(layers, output);
    expect(published(text).map((d) => d.code)).toContain(code);
    const { fixed, codes, titles } = fixAll(text);
    expect(codes).toEqual([code]);
    expect(titles).toEqual([title]);
    expect(fixed).toContain(fixedHas);
    expect(compile(fixed, { file: FILE, cwd: '/specs' }).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a regression loss on class targets: the usual loss is offered, not preferred', () => {
    const text = spec('    - flatten\n    - dense: {units: 10}').replace('optimizer:', 'loss: mse\noptimizer:');
    const actions = quickFixes(URI, published(text), textOf(text));
    expect(actions.map((a) => [a.diagnostics![0]!.code, a.edit!.changes![URI]![0]!.newText, a.isPreferred])).toEqual([['DLC142', 'cross_entropy', false]]);
  });

  it('a misspelled table column: the column of the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlc-quick-fix-'));
    try {
      const rows = Array.from({ length: 12 }, (_, i) => `${i % 2 ? 'x' : 'y'},${i * 1.5},${['a', 'b', 'c'][i % 3]}`);
      writeFileSync(join(dir, 't.csv'), ['kind,size,label', ...rows].join('\n'));
      const file = join(dir, 'spec.yaml');
      const text = 'name: table\ndata: {dataset: csv, path: t.csv, features: [kind, sise], target: label, batch_size: 4}\nmodel:\n  layers:\n    - dense: {units: 3}\n';
      const parsed = parseYaml(text);
      const diags = compile(text, { file, cwd: dir }).diagnostics.map((d) => toLspDiagnostic(d, file, dir, parsed));
      const actions = quickFixes(URI, diags, textOf(text));
      expect(actions.map((a) => [a.diagnostics![0]!.code, a.edit!.changes![URI]![0]!.newText])).toEqual([['DLC130', 'size']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const synthetic = (target: 'real' | 'class', rest: string) => `name: quick
data: {dataset: synthetic, synthetic: {train_samples: 16, test_samples: 8, shape: [4, 4, 1], classes: 2${target === 'real' ? ', target: real' : ''}}, batch_size: 8}
model:
  layers:
    - flatten
    - dense: {units: 2}
loss: ${target === 'real' ? 'mse' : 'cross_entropy'}
${rest}train: {epochs: 1, checkpoint: {monitor: ${target === 'real' ? 'val_accuracy' : 'val_loss'}}}
`;

  it('a monitor a regression run never reports: val_loss, preferred', () => {
    const text = synthetic('real', 'optimizer: {sgd: {learning_rate: 0.1}}\n');
    const actions = quickFixes(URI, published(text), textOf(text));
    expect(actions.map((a) => [a.diagnostics![0]!.code, a.edit!.changes![URI]![0]!.newText, a.isPreferred])).toEqual([['DLC145', 'val_loss', true]]);
    const { fixed } = fixAll(text);
    expect(fixed).toContain('monitor: val_loss}');
    expect(compile(fixed, { file: FILE, cwd: '/specs' }).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('adagrad with cycle_momentum: true: false is offered, not preferred', () => {
    const text = synthetic('class', 'optimizer: adagrad\nschedule: {one_cycle: {max_lr: 0.1, cycle_momentum: true}}\n');
    const actions = quickFixes(URI, published(text), textOf(text));
    expect(actions.map((a) => [a.diagnostics![0]!.code, a.edit!.changes![URI]![0]!.newText, a.isPreferred])).toEqual([['DLC146', 'false', false]]);
    expect(compile(fixAll(text).fixed, { file: FILE, cwd: '/specs' }).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  /** Registered codes whose fixes need real or multi-label targets (a table data set); target-fit.test.ts checks their fix data. */
  const NEED_TABLE_TARGETS = ['DLC141', 'DLC143', 'DLC144'];

  it('every registered code is exercised here, or needs table targets', () => {
    const exercised = new Set([...cases.map(([, c]) => c.code), 'DLC142', 'DLC130', 'DLC145', 'DLC146']);
    expect(new Set(Object.keys(QUICK_FIX_CODES))).toEqual(new Set([...exercised, ...NEED_TABLE_TARGETS]));
  });

  const typo = spec('    - conv2d: {filtres: 8, kernel_size: 3}\n    - flatten\n    - dense: {units: 10}');
  const typoDiag = () => published(typo).find((d) => d.code === 'DLC010')!;

  it('does not read the message: a reworded diagnostic keeps its fix', () => {
    const d = { ...typoDiag(), message: 'something else entirely' };
    expect(suggestedReplacement(d, textOf(typo))?.newText).toBe('filters');
  });

  it('offers nothing once the range no longer holds the misspelled text (stale or wider range)', () => {
    expect(suggestedReplacement(typoDiag(), () => 'filters')).toBeUndefined();
    expect(suggestedReplacement(typoDiag(), () => 'filtres: 8')).toBeUndefined();
  });

  it('offers nothing for a diagnostic without a fix, from another source, or of a code not registered', () => {
    const text = spec('    - conv2d: {zzz: 8, filters: 8, kernel_size: 3}\n    - flatten\n    - dense: {units: 10}');
    expect(published(text).map((d) => d.code)).toContain('DLC010');
    expect(quickFixes(URI, published(text), textOf(text))).toEqual([]);
    expect(suggestedReplacement({ ...typoDiag(), source: 'yaml' }, textOf(typo))).toBeUndefined();
    expect(QUICK_FIX_CODES.DLC110).toBeUndefined();
    expect(suggestedReplacement({ ...typoDiag(), code: 'DLC110' }, textOf(typo))).toBeUndefined();
  });

  it('offers nothing where the text is not the stated value (a block parameter sets the output width)', () => {
    const text = spec('    - flatten\n    - block: {use: head}').replace('  blocks:\n', '  blocks:\n    head: {params: {n: 12}, layers: [{dense: {units: $n}}]}\n');
    expect(published(text).map((d) => d.code)).toEqual(['DLC108']);
    expect(quickFixes(URI, published(text), textOf(text))).toEqual([]);
  });

  it('places the fix range on the misspelled key itself', () => {
    const d = typoDiag();
    const fix = (d.data as { fix: { range: Range } }).fix;
    expect(textOf(typo)(fix.range)).toBe('filtres');
    expect(fix.range).toEqual(d.range);
  });
});
