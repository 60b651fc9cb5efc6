/**
 * Fault corpus, the language server: odd URIs and non-string text on didOpen,
 * requests before initialize, a header without a valid Content-Length, and a
 * document whose size faults (repeat: 10^8, units: 10^9) must not freeze it.
 * The framing guard is tested in-process; the rest against `dlc lsp` spawned
 * from a fresh build, speaking raw bytes (a well-behaved client library
 * cannot send the bad frames).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FramingGuard } from '../../src/lsp/framing.js';
import { badDocumentParams, uriToPath } from '../../src/lsp/server.js';
import { buildCli, ROOT, type BuiltCli } from '../lsp/build-cli.js';

const frame = (msg: unknown): string => {
  const body = JSON.stringify(msg);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};

function through(input: string[]): Promise<{ out: string; errors: string[] }> {
  const errors: string[] = [];
  const g = new FramingGuard((m) => errors.push(m), 1000);
  let out = '';
  g.on('data', (b: Buffer) => (out += b.toString('latin1')));
  return new Promise((resolve) => {
    g.on('end', () => resolve({ out, errors }));
    for (const c of input) g.write(Buffer.from(c, 'latin1'));
    g.end();
  });
}

describe('FramingGuard', () => {
  it('passes well-framed messages through byte for byte, even split mid-header', async () => {
    const a = frame({ id: 1 });
    const b = frame({ id: 2, text: 'é' });
    const r = await through([a.slice(0, 7), a.slice(7) + b.slice(0, 20), b.slice(20)]);
    expect(r.out).toBe(a + b);
    expect(r.errors).toEqual([]);
  });

  it('drops a header without Content-Length, reports it, and resyncs on the next message', async () => {
    const good = frame({ id: 3 });
    const r = await through(['Content-Type: application/json\r\n\r\n{"id": 99}', good]);
    expect(r.out).toBe(good);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/without Content-Length/);
  });

  it('drops a non-numeric and an over-limit Content-Length', async () => {
    const good = frame({ id: 4 });
    const r = await through(['Content-Length: abc\r\n\r\n{}', 'Content-Length: 5000000000\r\n\r\n{}', good]);
    expect(r.out).toBe(good);
    expect(r.errors.map((e) => /not a number|larger than the limit/.test(e))).toEqual([true, true]);
  });
});

describe('odd URIs and params (unit)', () => {
  it('uriToPath never throws', () => {
    expect(uriToPath('file://otherhost/x.yaml')).toBe('file://otherhost/x.yaml');
    expect(uriToPath('file:///tmp/a%2Fb.yaml')).toBe('file:///tmp/a%2Fb.yaml');
    expect(uriToPath(42)).toBe('42');
    expect(uriToPath('file:///tmp/x.yaml')).toBe('/tmp/x.yaml');
  });

  it('badDocumentParams refuses non-string text and stringifies a numeric uri', () => {
    const p = { textDocument: { uri: 7, text: 'name: x', version: 1, languageId: 'yaml' } };
    expect(badDocumentParams('didOpen', p)).toBeUndefined();
    expect(p.textDocument.uri).toBe('7');
    expect(badDocumentParams('didOpen', { textDocument: { uri: 'u', text: 12 } })).toMatch(/text is not a string/);
    expect(badDocumentParams('didChange', { textDocument: { uri: 'u', version: 2 }, contentChanges: [{ text: null }] })).toMatch(/contentChanges/);
    expect(badDocumentParams('didOpen', null)).toMatch(/no textDocument/);
  });
});

/** A raw-bytes LSP peer: send frames (or garbage), wait for messages by predicate. */
class RawPeer {
  private buf = Buffer.alloc(0);
  readonly messages: Array<Record<string, unknown>> = [];
  private waiters: Array<{ ok: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }> = [];
  stderr = '';
  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (b: Buffer) => this.onData(b));
    child.stderr!.on('data', (b: Buffer) => (this.stderr += b.toString()));
  }
  private onData(b: Buffer): void {
    this.buf = Buffer.concat([this.buf, b]);
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(this.buf.subarray(0, end).toString())?.[1]);
      if (this.buf.length < end + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(end + 4, end + 4 + len).toString()) as Record<string, unknown>;
      this.buf = this.buf.subarray(end + 4 + len);
      this.messages.push(msg);
      for (let i = this.waiters.length - 1; i >= 0; i--) if (this.waiters[i]!.ok(msg)) this.waiters.splice(i, 1)[0]!.resolve(msg);
    }
  }
  send(raw: string | object): void {
    this.child.stdin!.write(typeof raw === 'string' ? raw : frame(raw));
  }
  wait(ok: (m: Record<string, unknown>) => boolean, ms = 15_000): Promise<Record<string, unknown>> {
    const seen = this.messages.find(ok);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no matching message in ${ms} ms; stderr:\n${this.stderr}`)), ms);
      this.waiters.push({ ok, resolve: (m) => (clearTimeout(t), resolve(m)) });
    });
  }
  response(id: number): Promise<Record<string, unknown>> {
    return this.wait((m) => m.id === id && !('method' in m));
  }
}

describe('dlc lsp against hostile clients', { timeout: 60_000 }, () => {
  let cli: BuiltCli;
  let peer: RawPeer;
  beforeAll(() => {
    cli = buildCli(['src/cli/main.ts', 'src/cli/lsp.ts']);
    peer = new RawPeer(spawn(process.execPath, [cli.launcher, 'lsp'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] }));
  }, 120_000);
  afterAll(() => {
    peer?.child.kill();
    cli?.remove();
  });

  it('answers a request before initialize with -32002', async () => {
    peer.send({ jsonrpc: '2.0', id: 1, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///x.yaml' }, position: { line: 0, character: 0 } } });
    const r = await peer.response(1);
    expect((r.error as { code: number }).code).toBe(-32002);
  });

  it('survives odd URIs, a numeric uri and non-string text, then still answers', async () => {
    peer.send({ jsonrpc: '2.0', id: 2, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    await peer.response(2);
    peer.send({ jsonrpc: '2.0', method: 'initialized', params: {} });
    const spec = 'name: odd\ndata: {dataset: mnist}\nmodel:\n  layers:\n    - flatten\n    - dense: {units: 10}\n';
    for (const uri of ['file://otherhost/share/spec.yaml', 'file:///tmp/a%2Fspec.yaml', 12345]) {
      peer.send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'yaml', version: 1, text: spec } } });
    }
    peer.send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///tmp/n.yaml', languageId: 'yaml', version: 1, text: 42 } } });
    // Each odd URI is compiled like an untitled document and gets its diagnostics.
    for (const uri of ['file://otherhost/share/spec.yaml', 'file:///tmp/a%2Fspec.yaml', '12345']) {
      await peer.wait((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as { uri: string }).uri === uri);
    }
    peer.send({ jsonrpc: '2.0', id: 3, method: 'textDocument/hover', params: { textDocument: { uri: 'file://otherhost/share/spec.yaml' }, position: { line: 5, character: 8 } } });
    const r = await peer.response(3);
    expect(r.error).toBeUndefined();
    expect(peer.child.exitCode).toBeNull();
    // Reported to the client's log (window/logMessage), not an exit.
    const logged = await peer.wait((m) => m.method === 'window/logMessage' && /ignored a textDocument\/didOpen: textDocument.text is not a string/.test(String((m.params as { message: string }).message)));
    expect(logged).toBeDefined();
  });

  it('recovers from a header without a valid Content-Length', async () => {
    peer.send('Content-Type: application/vscode-jsonrpc\r\n\r\n{"jsonrpc":"2.0","id":4,"method":"shutdown"}');
    peer.send('Content-Length: twelve\r\n\r\n{}');
    peer.send({ jsonrpc: '2.0', id: 5, method: 'textDocument/documentSymbol', params: { textDocument: { uri: 'file:///nowhere.yaml' } } });
    const r = await peer.response(5);
    expect(r.result).toEqual([]);
    expect(peer.stderr).toMatch(/dropped a message: a header without Content-Length/);
    expect(peer.messages.some((m) => m.id === 4)).toBe(false);
  });

  it('extends: /proc/self/environ and a FIFO base give DLC018 without content, and do not block the server', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { execFileSync } = await import('node:child_process');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { pathToFileURL } = await import('node:url');
    const dir = mkdtempSync(join(tmpdir(), 'dlc-h7-lsp-'));
    execFileSync('mkfifo', [join(dir, 'base.yaml')]);
    const body = 'name: e\ndata: {dataset: mnist}\nmodel:\n  layers:\n    - flatten\n    - dense: {units: 10}\n';
    for (const [name, base] of [['env.yaml', '/proc/self/environ'], ['fifo.yaml', 'base.yaml']] as const) {
      const uri = pathToFileURL(join(dir, name)).href;
      peer.send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'yaml', version: 1, text: `extends: ${base}\n${body}` } } });
      const d = await peer.wait((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as { uri: string }).uri === uri);
      const diags = (d.params as { diagnostics: Array<{ code: string; message: string }> }).diagnostics;
      expect(diags.map((x) => x.code)).toEqual(['DLC018']);
      expect(JSON.stringify(diags)).not.toMatch(/PATH=|HOME=/);
    }
  });

  it('a document with repeat: 100000000 or units: 10^9 gets its diagnostic, and the server stays responsive', async () => {
    const big = 'name: big\ndata: {dataset: mnist}\nmodel:\n  blocks:\n    b:\n      layers:\n        - dense: {units: 4}\n  layers:\n    - flatten\n    - block: {use: b, repeat: 100000000}\n    - dense: {units: 1000000000}\n';
    const t0 = Date.now();
    peer.send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///tmp/dlc-h7-big.yaml', languageId: 'yaml', version: 1, text: big } } });
    const d = await peer.wait((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as { uri: string }).uri === 'file:///tmp/dlc-h7-big.yaml');
    expect((d.params as { diagnostics: Array<{ code: string }> }).diagnostics.map((x) => x.code)).toContain('DLC022');
    expect(Date.now() - t0).toBeLessThan(15_000);
    peer.send({ jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri: 'file:///tmp/dlc-h7-big.yaml', version: 2 }, contentChanges: [{ text: big.replace(/    - block.*\n/, '') }] } });
    const d2 = await peer.wait((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as { uri: string; version?: number }).uri === 'file:///tmp/dlc-h7-big.yaml' && (m.params as { version?: number }).version === 2);
    expect((d2.params as { diagnostics: Array<{ code: string }> }).diagnostics.map((x) => x.code)).toContain('DLC119');
  });
});
