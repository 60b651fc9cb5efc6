/**
 * The language server's one compile (lsp/analyze.ts) goes through the
 * compiler's public entry with `partial: true`, so a spec with errors gets
 * the graph `dlc check` would infer — read through the same class-folder
 * rule — and a crash is DLC000 from the catalogue.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, internalError } from '../../src/compiler/compile.js';
import { CODES } from '../../src/compiler/diagnostics/codes.js';
import { analyze } from '../../src/lsp/analyze.js';
import { hoverMarkdown, layerAt } from '../../src/lsp/layers.js';

let dir: string;
let file: string;

const spec = (dense: string, optimizer = '{sgd: {learning_rate: 0.1}}') => `name: folders
data: {dataset: image_folder, path: imgs, image_size: [8, 8], channels: 1, batch_size: 4}
model:
  layers:
    - flatten
    - dense: ${dense}
optimizer: ${optimizer}
train: {epochs: 1}
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dlc-analyze-'));
  for (const cls of ['cat', 'dog', 'eel']) mkdirSync(join(dir, 'imgs', 'train', cls), { recursive: true });
  // Stray files next to the class folders are not classes (the loader agrees).
  writeFileSync(join(dir, 'imgs', 'train', 'README.md'), 'not a class\n');
  writeFileSync(join(dir, 'imgs', 'train', '.DS_Store'), '');
  file = join(dir, 'spec.yaml');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const noOpen = () => undefined;

describe('analyze', () => {
  it('a spec with a model error still gets the graph, with the class count dlc check sees', () => {
    // 8·8·1 = 64 features reach the dense layer; in_features: 10 is wrong (DLC104).
    const text = spec('{units: 3, in_features: 10}');
    const a = analyze(text, file, 1, noOpen);
    expect(a.diagnostics.map((d) => d.code)).toEqual(['DLC104']);
    expect(a.partial).toBe(true);
    expect(a.ir?.numClasses).toBe(3);
    expect(a.ir?.nodes.map((n) => n.shape)).toEqual([[8, 8, 1], [64], [3]]);
    // The same compile `dlc check` runs, without the partial graph.
    const checked = compile(text, { file, cwd: dir });
    expect(checked.ir).toBeUndefined();
    expect(checked.partialIr).toBeUndefined();
    expect(checked.diagnostics.map((d) => d.code)).toEqual(['DLC104']);
  });

  it('the input hover counts class folders only, not stray files', () => {
    const text = spec('{units: 3, in_features: 10}');
    const a = analyze(text, file, 1, noOpen);
    const hit = layerAt(a.parsed, text.indexOf('image_folder'), a.ir!, (f) => f === file);
    expect(hit?.nodes.map((n) => n.op)).toEqual(['input']);
    expect(hoverMarkdown(a.ir!, hit!)).toBe('**model input** `[8, 8, 1]` · 3 classes');
  });

  it('a valid spec is not partial; a misspelled optimizer key still leaves the graph for hovers', () => {
    const ok = analyze(spec('{units: 3}'), file, 1, noOpen);
    expect(ok.diagnostics).toEqual([]);
    expect(ok.partial).toBe(false);
    expect(ok.ir?.numClasses).toBe(3);

    const typo = analyze(spec('{units: 3}', '{sgd: {learning_rate: 0.1, momentun: 0.9}}'), file, 2, noOpen);
    expect(typo.diagnostics.map((d) => d.code)).toEqual(['DLC010']);
    expect(typo.partial).toBe(true);
    expect(typo.ir?.nodes.at(-1)?.shape).toEqual([3]);
  });

  it('a document that does not parse has no graph', () => {
    const a = analyze('name: [unclosed\n', file, 1, noOpen);
    expect(a.diagnostics[0]?.code).toBe('DLC001');
    expect(a.ir).toBeUndefined();
    expect(a.partial).toBe(false);
  });

  it('a compiler crash is reported as DLC000, a catalogue code, at the start of the file', () => {
    const d = internalError(new Error('boom'), file);
    expect([d.code, d.severity, d.line, d.col, d.file]).toEqual(['DLC000', CODES.DLC000.severity, 1, 1, file]);
    expect(d.message).toContain('boom');
  });
});
