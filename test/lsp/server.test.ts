/**
 * `dlc lsp` driven over stdio exactly as an editor drives it: initialize,
 * didOpen, publishDiagnostics, didChange, updated diagnostics, hover,
 * documentSymbol, completion, shutdown, exit. The CLI is compiled first
 * (CI type-checks without building) and spawned with node.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, CompletionItem, Diagnostic, DocumentSymbol, Hover, MarkupContent, Range } from 'vscode-languageserver-protocol';
import { buildCli, ROOT, type BuiltCli } from './build-cli.js';
import { startClient, type TestClient } from './client.js';

/** A MNIST spec transcribed from PyTorch with the dense layer sized for the wrong flattened shape. */
const WRONG_DENSE = `name: wrong-dense
data:
  dataset: mnist
model:
  layers:
    - conv2d: {filters: 8, kernel_size: 3, padding: same, activation: relu}
    - max_pool2d: 2
    - flatten
    - dense: {units: 10, in_features: 1024}
loss: cross_entropy
optimizer: {sgd: {learning_rate: 0.01}}
`;
/** The same spec, fixed: 14 × 14 × 8 = 1568 features reach the dense layer. */
const FIXED = WRONG_DENSE.replace('in_features: 1024', 'in_features: 1568');

/** The 0-based range of the `n`-th occurrence of `needle` in `text`. */
function rangeOf(text: string, needle: string, n = 0): Range {
  let i = -1;
  for (let k = 0; k <= n; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`'${needle}' not in text`);
  const pos = (o: number) => {
    const before = text.slice(0, o);
    return { line: before.split('\n').length - 1, character: o - (before.lastIndexOf('\n') + 1) };
  };
  return { start: pos(i), end: pos(i + needle.length) };
}

/** A message plus range, the way the closing note reports it. */
function show(d: Diagnostic): string {
  const r = d.range;
  return `${d.code} ${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1} ${d.message}`;
}

describe('dlc lsp over stdio', () => {
  let cli: BuiltCli;
  let client: TestClient;
  let dir: string;
  let uri: string;

  beforeAll(async () => {
    cli = buildCli();
    dir = mkdtempSync(join(tmpdir(), 'dlc-lsp-'));
    const file = join(dir, 'wrong-dense.dlc.yaml');
    writeFileSync(file, WRONG_DENSE);
    uri = pathToFileURL(file).href;
    client = startClient(process.execPath, [cli.launcher, 'lsp', '--stdio'], { cwd: ROOT });
    const init = (await client.connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {} })) as {
      capabilities: Record<string, unknown>;
      serverInfo?: { name: string };
    };
    expect(init.serverInfo?.name).toBe('dlc');
    expect(init.capabilities).toMatchObject({ hoverProvider: true, documentSymbolProvider: true, definitionProvider: true });
    await client.connection.sendNotification('initialized', {});
  }, 180_000);

  afterAll(async () => {
    if (client && client.process.exitCode === null) await client.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    cli?.remove();
  });

  it('publishes the wrong in_features as DLC104 on its value, then clears it after the fix', async () => {
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: WRONG_DENSE } });
    const diags = await client.diagnostics(uri, (p) => p.version === 1);
    const closing = diags.map(show).join('\n');
    // What the editor shows (printed for the closing note).
    console.log(`dlc lsp, wrong dense input size:\n${closing}`);
    expect(diags.map((d) => d.code), closing).toEqual(['DLC104']);
    const [d] = diags as [Diagnostic];
    expect(d.severity).toBe(1);
    expect(d.source).toBe('dlc');
    expect(d.range).toEqual(rangeOf(WRONG_DENSE, '1024'));
    expect(d.message).toMatch(/1568/);
    expect(d.message).toMatch(/1024/);

    // The quick fix takes the inferred size from the hint.
    const fixes = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
    expect(fixes.map((f) => f.title)).toEqual(['Set in_features to 1568 (the inferred input)']);
    expect(fixes[0]!.edit?.changes?.[uri]).toEqual([{ range: rangeOf(WRONG_DENSE, '1024'), newText: '1568' }]);

    // While the error stands, hover still shows what the dense layer really receives.
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: rangeOf(WRONG_DENSE, 'units').start })) as Hover;
    expect((hover.contents as MarkupContent).value).toContain('input `[1568]` → output `[10]`');

    // didChange (incremental: replace just the number) → the fixed spec compiles clean.
    const r = rangeOf(WRONG_DENSE, '1024');
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: r, text: '1568' }] });
    expect(await client.diagnostics(uri, (p) => p.version === 2)).toEqual([]);

    // A schema mistake while typing: the misspelled key, ranged on the key.
    const typo = FIXED.replace('kernel_size: 3', 'kernel_sise: 3');
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: typo }] });
    const v3 = await client.diagnostics(uri, (p) => p.version === 3);
    expect(v3.map((x) => x.code), v3.map(show).join('\n')).toEqual(['DLC010']);
    expect(v3[0]!.range).toEqual(rangeOf(typo, 'kernel_sise'));
    expect(v3[0]!.message).toMatch(/kernel_size/); // did you mean
    const rename = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: v3[0]!.range, context: { diagnostics: v3 } })) as CodeAction[];
    expect(rename[0]?.edit?.changes?.[uri]).toEqual([{ range: rangeOf(typo, 'kernel_sise'), newText: 'kernel_size' }]);

    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 4 }, contentChanges: [{ text: FIXED }] });
    expect(await client.diagnostics(uri, (p) => p.version === 4)).toEqual([]);
  });

  it('publishes once for a burst of edits, for the newest text (no backlog of stale compiles)', async () => {
    const burst = Array.from({ length: 12 }, (_, k) => FIXED.replace('units: 10,', `units: ${11 + k},`));
    // Sent without waiting in between, as fast typing arrives while a compile runs.
    await Promise.all(burst.map((text, k) => client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 100 + k }, contentChanges: [{ text }] })));
    await client.diagnostics(uri, (p) => p.version === 111);
    const seen = client.published.filter((p) => p.uri === uri && p.version !== undefined && p.version >= 100);
    expect(seen.length).toBeLessThan(burst.length);
    expect(seen[seen.length - 1]!.version).toBe(111);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 112 }, contentChanges: [{ text: FIXED }] });
    expect(await client.diagnostics(uri, (p) => p.version === 112)).toEqual([]);
  });

  it("hovers a layer with its inferred input and output shapes and parameter count", async () => {
    const at = rangeOf(FIXED, 'filters: 8').start;
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: at })) as Hover;
    const text = (hover.contents as MarkupContent).value;
    expect(text).toContain('`conv2d`');
    expect(text).toContain('input `[28, 28, 1]` → output `[28, 28, 8]`');
    expect(text).toContain('params: 80'); // 3·3·1·8 + 8
    // The range is the whole layer item.
    expect(hover.range).toEqual(rangeOf(FIXED, 'conv2d: {filters: 8, kernel_size: 3, padding: same, activation: relu}'));

    const dense = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: rangeOf(FIXED, 'units').start })) as Hover;
    expect((dense.contents as MarkupContent).value).toContain('input `[1568]` → output `[10]`');
    expect((dense.contents as MarkupContent).value).toContain('params: 15,690'); // 1568·10 + 10

    const none = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: rangeOf(FIXED, 'cross_entropy').start });
    expect(none).toBeNull();
  });

  it("lists the model's layers as document symbols", async () => {
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as DocumentSymbol[];
    expect(symbols.map((s) => s.detail)).toEqual(['conv2d → [28, 28, 8]', 'max_pool2d → [14, 14, 8]', 'flatten → [1568]', 'dense → [10]']);
    expect(symbols[3]!.range).toEqual(rangeOf(FIXED, 'dense: {units: 10, in_features: 1568}'));
    expect(symbols[3]!.selectionRange).toEqual(rangeOf(FIXED, 'dense', 1)); // the kind key, not the name 'wrong-dense'
  });

  it('completes layer kinds in a new list item and a layer’s keys inside it', async () => {
    const text = FIXED.replace('    - flatten\n', '    - flatten\n    - \n');
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 5 }, contentChanges: [{ text }] });
    const position = { line: rangeOf(text, '    - \n').start.line, character: 6 };
    const kinds = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position })) as CompletionItem[];
    expect(kinds.map((k) => k.label)).toEqual(expect.arrayContaining(['conv2d', 'dense', 'dropout', 'batch_norm', 'flatten']));
    const conv = kinds.find((k) => k.label === 'conv2d')!;
    expect(conv.textEdit).toEqual({ range: { start: position, end: position }, newText: 'conv2d: ' });

    // Typing "pad" inside the conv2d mapping.
    const text2 = FIXED.replace('padding: same', 'pad');
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 6 }, contentChanges: [{ text: text2 }] });
    const pad = rangeOf(text2, 'pad');
    const keys = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: pad.end })) as CompletionItem[];
    const labels = keys.map((k) => k.label);
    expect(keys.find((k) => k.label === 'padding')?.textEdit).toEqual({ range: pad, newText: 'padding: ' });
    expect(labels).toEqual(expect.arrayContaining(['padding', 'strides', 'in_channels', 'use_bias']));
    expect(labels).not.toContain('filters'); // already there
    expect(labels).not.toContain('units'); // dense's, not conv2d's
  });

  it('compiles an extends chain against the unsaved text of an open base', async () => {
    const base = 'name: base\ndata:\n  dataset: mnist\nmodel:\n  layers:\n    - flatten\n    - dense: {units: 10}\n';
    const child = 'extends: base.dlc.yaml\nname: child\nmodel:\n  layers:\n    - flatten\n    - dense: {units: 10, in_features: 784}\n';
    writeFileSync(join(dir, 'base.dlc.yaml'), base);
    writeFileSync(join(dir, 'child.dlc.yaml'), child);
    const baseUri = pathToFileURL(join(dir, 'base.dlc.yaml')).href;
    const childUri = pathToFileURL(join(dir, 'child.dlc.yaml')).href;
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: baseUri, languageId: 'yaml', version: 1, text: base } });
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: childUri, languageId: 'yaml', version: 1, text: child } });
    expect(await client.diagnostics(childUri, (p) => p.version === 1)).toEqual([]);

    // Edit the base without saving: the child now reads 32×32×3 images.
    const cifar = base.replace('mnist', 'cifar10');
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: baseUri, version: 2 }, contentChanges: [{ text: cifar }] });
    const mismatch = await client.diagnostics(childUri, (p) => p.diagnostics.some((d) => d.code === 'DLC104'));
    expect(mismatch.map((d) => d.code)).toEqual(['DLC104']);
    expect(mismatch[0]!.range).toEqual(rangeOf(child, '784'));
    expect(mismatch[0]!.message).toMatch(/3072/);

    // A mistake inside the base shows on the child's `extends` value, pointing at the base.
    const broken = base.replace('dataset: mnist', 'dataset: mnist\n  batch_size: lots');
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: baseUri, version: 3 }, contentChanges: [{ text: broken }] });
    const inBase = await client.diagnostics(childUri, (p) => p.diagnostics.some((d) => d.code === 'DLC011'));
    expect(inBase[0]!.range).toEqual(rangeOf(child, 'base.dlc.yaml'));
    expect(inBase[0]!.relatedInformation?.[0]?.location).toEqual({ uri: baseUri, range: rangeOf(broken, 'lots') });
    expect(await client.diagnostics(baseUri, (p) => p.version === 3)).toMatchObject([{ code: 'DLC011', range: rangeOf(broken, 'lots') }]);
  });

  it('goes from a layer reference to the layer it names', async () => {
    const dag = 'name: dag\ndata: {dataset: mnist}\nmodel:\n  layers:\n    - conv2d: {filters: 4, kernel_size: 3, name: stem}\n    - conv2d: {filters: 4, kernel_size: 3, padding: same, name: c2}\n    - add: [stem, c2]\n    - flatten\n    - dense: {units: 10}\n';
    const dagUri = pathToFileURL(join(dir, 'dag.dlc.yaml')).href;
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: dagUri, languageId: 'yaml', version: 1, text: dag } });
    expect(await client.diagnostics(dagUri, (p) => p.version === 1)).toEqual([]);
    const def = await client.connection.sendRequest('textDocument/definition', { textDocument: { uri: dagUri }, position: rangeOf(dag, 'stem', 1).start });
    expect(def).toEqual({ uri: dagUri, range: rangeOf(dag, 'stem') });
  });

  it('publishes no diagnostics for the shipped specs and outlines every layer', async () => {
    for (const name of readdirSync(join(ROOT, 'specs')).filter((f) => f.endsWith('.yaml'))) {
      const file = join(ROOT, 'specs', name);
      const specUri = pathToFileURL(file).href;
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: specUri, languageId: 'yaml', version: 1, text: readFileSync(file, 'utf8') } });
      expect(await client.diagnostics(specUri, (p) => p.version === 1), name).toEqual([]);
      const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: specUri } })) as DocumentSymbol[];
      // Every shipped spec has at least two layers (the csv specs have 2–4, the image ones more).
      expect(symbols.length, name).toBeGreaterThan(1);
      expect(symbols.every((s) => /→ \[\d/.test(s.detail ?? '')), name).toBe(true);
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: specUri } });
    }
  });

  it('leaves YAML files that are not dlc specs alone', async () => {
    const compose = pathToFileURL(join(dir, 'docker-compose.yaml')).href;
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: compose, languageId: 'yaml', version: 1, text: 'services:\n  web: {image: nginx}\n' } });
    expect(await client.diagnostics(compose, (p) => p.version === 1)).toEqual([]);
    expect(await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: compose } })).toEqual([]);
  });

  it('shuts down and exits with status 0', async () => {
    expect(await client.close()).toBe(0);
  });
});
