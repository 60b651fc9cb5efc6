#!/usr/bin/env node
// Keystroke latency of `dlc lsp`: for each shipped spec, the time from a
// textDocument/didChange to the textDocument/publishDiagnostics for that
// version, as an editor sees it (server spawned over stdio, JSON-RPC).
//
//   npm run build && node bench/lsp.mjs [N=30] [spec.yaml …]
//
// Each change appends or removes a trailing comment, so every version is new
// text and is compiled from scratch (the server caches nothing across
// versions). Prints median, p90 and max per spec, in milliseconds.
// Changes are paced like typing (PACE_MS apart): the server throttles a
// burst of edits into one compile (src/lsp/server.ts), and this measures the
// latency of one edit, not the throttle.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACE_MS = 120;
const args = process.argv.slice(2);
const N = /^\d+$/.test(args[0] ?? '') ? Number(args.shift()) : 30;
const specs = args.length > 0 ? args.map((a) => resolve(a)) : readdirSync(join(ROOT, 'specs')).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(ROOT, 'specs', f));

const child = spawn(process.execPath, [join(ROOT, 'bin/dlc.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
/** uri → {version, resolve} of the change being timed. */
const pending = new Map();
conn.onNotification('textDocument/publishDiagnostics', (p) => {
  const w = pending.get(p.uri);
  if (w && p.version === w.version) {
    pending.delete(p.uri);
    w.resolve(p.diagnostics);
  }
});
conn.listen();

const published = (uri, version) => new Promise((res) => pending.set(uri, { version, resolve: res }));
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

await conn.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(ROOT).href, capabilities: {} });
await conn.sendNotification('initialized', {});

const rows = [];
for (const file of specs) {
  const uri = pathToFileURL(file).href;
  const text = readFileSync(file, 'utf8');
  let version = 1;
  let wait = published(uri, version);
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
  const diags = await wait;
  const times = [];
  // Two warm-up changes (JIT), then N timed ones.
  for (let i = 0; i < N + 2; i++) {
    version++;
    const next = i % 2 === 0 ? `${text}# edit ${i}\n` : text;
    await new Promise((r) => setTimeout(r, PACE_MS));
    wait = published(uri, version);
    const t0 = performance.now();
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: next }] });
    await wait;
    if (i >= 2) times.push(performance.now() - t0);
  }
  await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  rows.push({ spec: file.startsWith(ROOT) ? file.slice(ROOT.length) : file, lines: text.split('\n').length, diagnostics: diags.length, median: quantile(times, 0.5), p90: quantile(times, 0.9), max: Math.max(...times) });
}

await conn.sendRequest('shutdown');
await conn.sendNotification('exit');

const w = Math.max(4, ...rows.map((r) => r.spec.length));
console.log(`dlc lsp: didChange → publishDiagnostics, ${N} changes per spec (ms)\n`);
console.log(`${'spec'.padEnd(w)}  lines  diags  median    p90    max`);
for (const r of rows) {
  console.log(`${r.spec.padEnd(w)}  ${String(r.lines).padStart(5)}  ${String(r.diagnostics).padStart(5)}  ${r.median.toFixed(2).padStart(6)} ${r.p90.toFixed(2).padStart(6)} ${r.max.toFixed(2).padStart(6)}`);
}
