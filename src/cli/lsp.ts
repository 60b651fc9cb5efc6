/**
 * `dlc lsp`: runs dlc's language server over stdio until the client sends
 * `exit` (the LSP library then ends the process).
 */
import { createConnection } from 'vscode-languageserver/node';
import { FramingGuard } from '../lsp/framing.js';
import { startServer } from '../lsp/server.js';
import type { CliIO, Command } from './io.js';

const HELP = `Usage: dlc lsp [--stdio]

Runs dlc's language server on stdin/stdout (the only transport; --stdio is
accepted because many clients pass it). Editors start it themselves: see
docs/editors.md for VS Code, Neovim and other LSP clients.

It publishes every dlc diagnostic as you type, shows each layer's inferred
input/output shapes and parameter count on hover, lists the model's layers as
document symbols, and completes keys and values from the schema.
`;

export const command: Command = {
  name: 'lsp',
  summary: 'language server for editors (LSP over stdio)',
  help: HELP,
  run(args: readonly string[], io: CliIO): Promise<number> {
    const unknown = args.filter((a) => a !== '--stdio');
    if (unknown.length > 0) {
      io.stderr.write(`dlc lsp: unknown argument '${unknown[0]}'\n`);
      return Promise.resolve(2);
    }
    // stdout carries the protocol: anything else printed there (a library's
    // console.log) would corrupt it, so console output goes to stderr.
    const toStderr = (...xs: unknown[]): void => void process.stderr.write(xs.map(String).join(' ') + '\n');
    console.log = toStderr;
    console.info = toStderr;
    console.warn = toStderr;
    console.debug = toStderr;
    // A bad header must not wedge the reader: the guard reports it and resyncs on the next message.
    const input = process.stdin.pipe(new FramingGuard((m) => void process.stderr.write(`dlc lsp: ${m}\n`)));
    const connection = createConnection(input, process.stdout);
    startServer(connection);
    // Never resolves: the connection exits the process on `exit` or when stdin closes.
    return new Promise<number>(() => {});
  },
};
