// Minimal VS Code client for `dlc lsp`: starts the server over stdio for dlc
// specs (*.dlc.yaml and YAML files under specs/) and leaves everything else
// to VS Code and the YAML extension. Plain JS so it needs no build step.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

/** The command that starts dlc: the setting, the workspace's own dlc, or dlc on the PATH. */
function serverCommand() {
  const configured = vscode.workspace.getConfiguration('dlc').get('server.command');
  if (configured) return { command: configured, args: ['lsp'] };
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const root = folder.uri.fsPath;
    // Inside the dlc repository itself: the built CLI.
    const repoBin = path.join(root, 'bin', 'dlc.js');
    if (fs.existsSync(repoBin) && fs.existsSync(path.join(root, 'dist', 'cli', 'main.js'))) {
      return { command: process.execPath, args: [repoBin, 'lsp'], options: { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } } };
    }
    const local = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'dlc.cmd' : 'dlc');
    if (fs.existsSync(local)) return { command: local, args: ['lsp'] };
  }
  return { command: 'dlc', args: ['lsp'] };
}

/** @param {import('vscode').ExtensionContext} context */
function activate(context) {
  // TransportKind.stdio makes vscode-languageclient append --stdio, which dlc lsp accepts.
  const run = { ...serverCommand(), transport: TransportKind.stdio };
  client = new LanguageClient(
    'dlc',
    'dlc',
    { run, debug: run },
    {
      documentSelector: [
        { scheme: 'file', language: 'yaml', pattern: '**/*.dlc.yaml' },
        { scheme: 'file', language: 'yaml', pattern: '**/specs/**/*.yaml' },
      ],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{dlc.yaml,yaml}') },
    },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
