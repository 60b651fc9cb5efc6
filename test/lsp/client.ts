/**
 * A minimal LSP client for tests: spawns a server on stdio, speaks JSON-RPC
 * through vscode-jsonrpc, answers the server's requests the way an editor
 * would, and lets a test wait for the diagnostics it cares about.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export interface TestClient {
  readonly connection: MessageConnection;
  readonly process: ChildProcess;
  /** Everything the server wrote to stderr (shown when a test fails). */
  stderr(): string;
  /** Every publishDiagnostics received so far, in order. */
  readonly published: readonly PublishDiagnosticsParams[];
  /** Resolves with the first publishDiagnostics for `uri` that satisfies `accept` (past or future). */
  diagnostics(uri: string, accept?: (p: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<Diagnostic[]>;
  /** Sends shutdown + exit and waits for the process to end; returns its exit code. */
  close(): Promise<number | null>;
}

/** Settings the client hands out on workspace/configuration, by section. */
export type Settings = Readonly<Record<string, unknown>>;

/** Starts `command args` and connects to it. */
export function startClient(command: string, args: readonly string[], opts: { cwd: string; settings?: Settings }): TestClient {
  const child = spawn(command, args, { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let errText = '';
  child.stderr!.on('data', (b: Buffer) => (errText += b.toString()));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: Array<{ uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (d: Diagnostic[]) => void }> = [];

  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      if (w.uri === p.uri && w.accept(p)) {
        waiters.splice(i, 1);
        w.resolve(p.diagnostics);
      }
    }
  });
  // Requests a real editor answers.
  connection.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) =>
    p.items.map((it) => (it.section ? (opts.settings?.[it.section] ?? null) : (opts.settings ?? null))),
  );
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('client/unregisterCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onNotification(() => {});
  connection.listen();

  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  return {
    connection,
    process: child,
    published,
    stderr: () => errText,
    diagnostics(uri, accept = () => true, timeoutMs = 20_000) {
      const seen = published.filter((p) => p.uri === uri && accept(p)).pop();
      if (seen) return Promise.resolve(seen.diagnostics);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} in ${timeoutMs} ms; stderr:\n${errText}`)), timeoutMs);
        waiters.push({ uri, accept, resolve: (d) => (clearTimeout(timer), resolve(d)) });
      });
    },
    async close() {
      if (child.exitCode === null) {
        try {
          await connection.sendRequest('shutdown');
          await connection.sendNotification('exit');
        } catch {
          /* the server may already be gone */
        }
        const timer = setTimeout(() => child.kill(), 5_000);
        const code = await exited;
        clearTimeout(timer);
        connection.dispose();
        return code;
      }
      connection.dispose();
      return child.exitCode;
    },
  };
}
