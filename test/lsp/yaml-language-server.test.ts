/**
 * The schema path: drives the real `yaml-language-server` (what the VS Code
 * YAML extension and most editors run) over stdio with dlc's schema, the way
 * an editor does, and checks what a user would see.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionItem, CompletionList, Diagnostic } from 'vscode-languageserver-protocol';
import { startClient, type TestClient } from './client.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCHEMA = join(ROOT, 'schema/dlc.schema.json');
const SERVER = join(ROOT, 'node_modules/yaml-language-server/bin/yaml-language-server');

/** The repository's own editor settings: the mapping under test. */
const vscodeSettings = JSON.parse(readFileSync(join(ROOT, '.vscode/settings.json'), 'utf8')) as Record<string, unknown>;

/** Settings as the YAML extension sends them; no schema store (no network in tests). */
function yamlSettings(schemas: Record<string, string[]>) {
  return {
    yaml: { schemas, schemaStore: { enable: false }, validate: true, completion: true, hover: true, format: { enable: false } },
    http: { proxy: '', proxyStrictSSL: false },
    '[yaml]': {},
    editor: { tabSize: 2 },
    files: {},
  };
}

const BAD_SPEC = (schemaUrl: string) => `# yaml-language-server: $schema=${schemaUrl}
name: bad-spec
data:
  dataset: cifar100
  batch_size: "64"
model:
  layers:
    - conv2d: {filters: 16, kernal_size: 3}
    - flaten
    - dense: {units: 10}
loss: cross_entropy
`;

/** Text with a '|' marking the cursor → text and 0-based position. */
function cursor(textWithBar: string): { text: string; line: number; character: number } {
  const i = textWithBar.indexOf('|');
  const before = textWithBar.slice(0, i);
  const line = before.split('\n').length - 1;
  return { text: before + textWithBar.slice(i + 1), line, character: i - (before.lastIndexOf('\n') + 1) };
}

function labels(r: CompletionItem[] | CompletionList | null): string[] {
  const items = Array.isArray(r) ? r : (r?.items ?? []);
  return items.map((it) => it.label);
}

/** The message as text (LSP 3.18 allows markup). */
function msg(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

/** "line:col-line:col", 0-based as LSP sends them: compact for assertions. */
function span(d: Diagnostic): string {
  return `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
}

describe('yaml-language-server with schema/dlc.schema.json', () => {
  let client: TestClient;
  let dir: string;
  let version = 1;

  async function open(name: string, text: string): Promise<string> {
    const uri = pathToFileURL(join(dir, name)).href;
    writeFileSync(join(dir, name), text);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: version++, text } });
    return uri;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dlc-yamlls-'));
    // The repository's mapping, with its workspace-relative schema path made absolute.
    const mapping = (vscodeSettings['yaml.schemas'] ?? {}) as Record<string, string[]>;
    const schemas = Object.fromEntries(Object.entries(mapping).map(([k, v]) => [pathToFileURL(join(ROOT, k)).href, v]));
    const settings = yamlSettings(schemas);
    client = startClient(process.execPath, [SERVER, '--stdio'], { cwd: ROOT, settings });
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(ROOT).href,
      workspaceFolders: [{ uri: pathToFileURL(ROOT).href, name: 'main' }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: {
          publishDiagnostics: { relatedInformation: true },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
      },
    });
    await client.connection.sendNotification('initialized', {});
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings });
  });

  afterAll(async () => {
    await client?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports the mistakes of a spec at their exact ranges (modeline → schema file)', async () => {
    const uri = await open('bad.yaml', BAD_SPEC(pathToFileURL(SCHEMA).href));
    const diags = await client.diagnostics(uri, (p) => p.diagnostics.length > 0);
    const seen = diags.map((d) => `${span(d)} ${msg(d).split('\n')[0]}`);
    // dataset: cifar100 — a value outside the enum, ranged on the value.
    expect(diags.some((d) => span(d) === '3:11-3:19' && /cifar10/.test(msg(d))), seen.join('\n')).toBe(true);
    // batch_size: "64" — a string where an integer belongs.
    expect(diags.some((d) => span(d) === '4:14-4:18' && /integer|number/i.test(msg(d))), seen.join('\n')).toBe(true);
    // kernal_size — a misspelled key, ranged on the key.
    expect(diags.some((d) => d.range.start.line === 7 && d.range.start.character === 28 && /kernal_size/.test(msg(d))), seen.join('\n')).toBe(true);
    // flaten — not a layer kind.
    expect(diags.some((d) => d.range.start.line === 8 && d.range.start.character === 6), seen.join('\n')).toBe(true);
    // Lines with no mistake carry no diagnostic.
    expect(diags.filter((d) => [1, 2, 9, 10].includes(d.range.start.line)), seen.join('\n')).toEqual([]);
  });

  it('cannot see a wrong dense input size: the schema path shows nothing (that is what dlc lsp adds)', async () => {
    const text = `# yaml-language-server: $schema=${pathToFileURL(SCHEMA).href}\nname: wrong-dense\ndata:\n  dataset: mnist\n  batch_size: "64"\nmodel:\n  layers:\n    - conv2d: {filters: 8, kernel_size: 3, padding: same}\n    - max_pool2d: 2\n    - flatten\n    - dense: {units: 10, in_features: 1024}\n`;
    const uri = await open('wrong-dense.yaml', text);
    // The batch_size mistake proves the schema was applied; it is the only thing reported.
    const diags = await client.diagnostics(uri, (p) => p.diagnostics.length > 0);
    expect(diags.map(span)).toEqual(['4:14-4:18']);
  });

  it('accepts every shipped spec through its own modeline (an added stray key is the only finding)', async () => {
    const specs = readdirSync(join(ROOT, 'specs')).filter((f) => f.endsWith('.yaml'));
    expect(specs.length).toBeGreaterThan(0);
    for (const name of specs) {
      const file = join(ROOT, 'specs', name);
      const text = readFileSync(file, 'utf8');
      expect(text.split('\n')[0], name).toBe('# yaml-language-server: $schema=../schema/dlc.schema.json');
      // Opened under its real path (so the relative modeline resolves), with one
      // unknown key appended: seeing it proves the schema was applied.
      const probe = `${text.trimEnd()}\nstray_key: 1\n`;
      const uri = pathToFileURL(file).href;
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: version++, text: probe } });
      const diags = await client.diagnostics(uri, (p) => p.diagnostics.length > 0);
      const line = probe.split('\n').length - 2;
      expect(diags.map((d) => `${d.range.start.line} ${msg(d)}`), name).toEqual([`${line} Property stray_key is not allowed.`]);
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    }
  });

  it('completes the layer kinds inside a layer list item', async () => {
    const { text, line, character } = cursor(`# yaml-language-server: $schema=${pathToFileURL(SCHEMA).href}\nname: c\ndata: {dataset: mnist}\nmodel:\n  layers:\n    - conv2d: {filters: 8}\n    - |\n`);
    const uri = await open('complete-kind.yaml', text);
    const got = labels(await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character } }));
    expect(got).toEqual(expect.arrayContaining(['conv2d', 'dense', 'max_pool2d', 'flatten', 'dropout', 'batch_norm']));
  });

  it("completes a conv2d layer's own keys inside its mapping", async () => {
    const { text, line, character } = cursor(`# yaml-language-server: $schema=${pathToFileURL(SCHEMA).href}\nname: c\ndata: {dataset: mnist}\nmodel:\n  layers:\n    - conv2d:\n        filters: 8\n        |\n`);
    const uri = await open('complete-keys.yaml', text);
    const got = labels(await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character } }));
    expect(got).toEqual(expect.arrayContaining(['kernel_size', 'strides', 'padding', 'activation', 'in_channels']));
    expect(got).not.toContain('units');
    expect(got).not.toContain('filters');
  });

  it('validates a *.dlc.yaml without a modeline through .vscode/settings.json', async () => {
    const uri = await open('exp.dlc.yaml', 'name: exp\ndata:\n  dataset: mnist\n  batch_sise: 8\n');
    const diags = await client.diagnostics(uri, (p) => p.diagnostics.length > 0);
    expect(diags.some((d) => span(d) === '3:2-3:12' && /batch_sise/.test(msg(d))), diags.map((d) => `${span(d)} ${msg(d)}`).join('\n')).toBe(true);
  });
});
