/**
 * `dlc lsp`: a language server for dlc specs. On every open and change it
 * compiles the document and publishes all of dlc's diagnostics; it answers
 * hover (a layer's inferred shapes and parameter count), document symbols
 * (the model's layers) and completion (keys and values from the schema).
 */
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import {
  CodeActionKind,
  CompletionItemKind,
  ErrorCodes,
  ResponseError,
  MarkupKind,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
  type CompletionItem,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type Analysis } from './analyze.js';
import { completeAt } from './completion.js';
import { isSameFile, toLspDiagnostic } from './convert.js';
import { hoverMarkdown, layerAt, layerSymbols } from './layers.js';
import { loadSchema } from './schema.js';
import { looksLikeSpec } from './spec-detect.js';
import { definitionAt } from './references.js';
import { quickFixes } from './quick-fix.js';
import { rangeOf, nodeAt } from './yaml-ast.js';

/**
 * The file path a document URI names. Untitled documents keep their URI, and
 * so does every URI that names no local file: `file://host/…`, an encoded
 * `/` (`%2F`), a number sent where a string belongs (fileURLToPath throws on
 * these; the server must not).
 */
export function uriToPath(uri: unknown): string {
  if (typeof uri !== 'string') return String(uri);
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object';

/**
 * Why a text-document notification cannot be used (undefined when it can).
 * A numeric uri is turned into a string in place (then treated like an
 * untitled document); text that is not a string is refused.
 */
export function badDocumentParams(method: string, params: unknown): string | undefined {
  if (!isObj(params) || !isObj(params.textDocument)) return 'no textDocument';
  const td = params.textDocument;
  if (typeof td.uri === 'number') td.uri = String(td.uri);
  if (typeof td.uri !== 'string') return 'textDocument.uri is not a string';
  if (method === 'didOpen') {
    if (typeof td.text !== 'string') return 'textDocument.text is not a string';
    if (typeof td.version !== 'number') td.version = 0;
    if (typeof td.languageId !== 'string') td.languageId = 'yaml';
  }
  if (method === 'didChange') {
    if (typeof td.version !== 'number') return 'textDocument.version is not a number';
    if (!Array.isArray(params.contentChanges) || params.contentChanges.some((c) => !isObj(c) || typeof c.text !== 'string')) return 'contentChanges must be a list of {text: string, …}';
  }
  return undefined;
}

/**
 * `connection` with the text-document notifications checked before the
 * TextDocuments manager sees them, and every handler guarded: a malformed
 * notification is logged and dropped, never an exception that ends the
 * server.
 */
function guardDocumentEvents(connection: Connection, log: (m: string) => void): Connection {
  const wrap = (method: string, register: (h: (p: unknown) => unknown) => unknown) => (handler: (p: unknown) => unknown) =>
    register((params: unknown) => {
      const bad = badDocumentParams(method, params);
      if (bad) {
        log(`dlc lsp: ignored a textDocument/${method}: ${bad}`);
        return undefined;
      }
      try {
        return handler(params);
      } catch (err) {
        log(`dlc lsp: textDocument/${method} failed: ${(err as Error)?.message ?? String(err)}`);
        return undefined;
      }
    });
  return new Proxy(connection, {
    get(target, prop, receiver) {
      if (prop === 'onDidOpenTextDocument') return wrap('didOpen', (h) => target.onDidOpenTextDocument(h as never));
      if (prop === 'onDidChangeTextDocument') return wrap('didChange', (h) => target.onDidChangeTextDocument(h as never));
      if (prop === 'onDidCloseTextDocument') return wrap('didClose', (h) => target.onDidCloseTextDocument(h as never));
      if (prop === 'onDidSaveTextDocument') return wrap('didSave', (h) => target.onDidSaveTextDocument(h as never));
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** Wires every handler onto `connection` and starts listening. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new Map<string, Analysis>();
  const log = (m: string): void => {
    try {
      connection.console.error(m);
    } catch {
      process.stderr.write(m + '\n');
    }
  };
  let initialized = false;
  /**
   * A request handler that answers -32002 before `initialize` and turns an
   * exception into the protocol's InternalError instead of ending the server.
   */
  const request =
    <P, R>(method: string, handler: (params: P) => R) =>
    (params: P): R | ResponseError<void> => {
      if (!initialized) return new ResponseError(ErrorCodes.ServerNotInitialized, `dlc lsp: ${method} before initialize`);
      try {
        return handler(params);
      } catch (err) {
        log(`dlc lsp: ${method} failed: ${(err as Error)?.stack ?? String(err)}`);
        return new ResponseError(ErrorCodes.InternalError, `dlc lsp: ${method} failed: ${(err as Error)?.message ?? String(err)}`);
      }
    };

  const openText = (absPath: string): string | undefined => {
    for (const doc of documents.all()) if (resolve(uriToPath(doc.uri)) === absPath) return doc.getText();
    return undefined;
  };

  /** Compiles the current text (once per version) and returns the result. */
  const analysisOf = (doc: TextDocument): Analysis => {
    const cached = analyses.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    const a = analyze(doc.getText(), uriToPath(doc.uri), doc.version, openText, cached);
    analyses.set(doc.uri, a);
    return a;
  };

  /** Documents that are not dlc specs get no diagnostics and no answers. */
  const isSpec = (doc: TextDocument): boolean => looksLikeSpec(uriToPath(doc.uri), doc.getText());

  const publish = (doc: TextDocument): void => {
    try {
      const path = uriToPath(doc.uri);
      if (!isSpec(doc)) {
        void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: [] });
        return;
      }
      const a = analysisOf(doc);
      const diagnostics = a.diagnostics.map((d) => toLspDiagnostic(d, path, dirname(path), a.parsed));
      void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
    } catch (err) {
      // Runs from a timer: an exception here would be uncaught and end the server.
      log(`dlc lsp: publishing diagnostics for ${String(doc.uri)} failed: ${(err as Error)?.stack ?? String(err)}`);
    }
  };

  const sourceIs = (doc: TextDocument) => (file: string) => isSameFile(file, uriToPath(doc.uri), dirname(uriToPath(doc.uri)));

  connection.onInitialize((): InitializeResult => {
    initialized = true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        documentSymbolProvider: true,
        definitionProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        completionProvider: { triggerCharacters: [' ', ':', '-', '{', ','] },
      },
      serverInfo: { name: 'dlc', version: '0.1.0' },
    };
  });

  /** Recompiles the open specs that `extends` another file (it may just have changed). */
  const republishExtending = (except?: string): void => {
    try {
      for (const other of documents.all()) {
        if (other.uri === except || !/^extends\s*:/m.test(other.getText())) continue;
        analyses.delete(other.uri);
        publish(other);
      }
    } catch (err) {
      log(`dlc lsp: recompiling the specs that extend another failed: ${(err as Error)?.message ?? String(err)}`);
    }
  };

  // Changes are throttled, not debounced: an edit after a quiet spell compiles at once (no
  // added delay), while the edits of a burst that arrive during a compile or within
  // MIN_INTERVAL_MS of its start share one compile of the newest text, so fast typing on a
  // large spec never queues up compiles of versions that are already stale.
  const MIN_INTERVAL_MS = 50;
  const scheduled = new Map<string, NodeJS.Timeout>();
  const lastRun = new Map<string, number>();
  documents.onDidChangeContent((e) => {
    const uri = e.document.uri;
    if (scheduled.has(uri)) return;
    const wait = Math.max(0, (lastRun.get(uri) ?? -Infinity) + MIN_INTERVAL_MS - performance.now());
    scheduled.set(
      uri,
      setTimeout(() => {
        scheduled.delete(uri);
        lastRun.set(uri, performance.now());
        const doc = documents.get(uri);
        if (!doc) return;
        publish(doc);
        republishExtending(uri);
      }, wait),
    );
  });
  // A base saved or edited outside the editor (clients that watch files tell us).
  connection.onDidChangeWatchedFiles(() => republishExtending());
  documents.onDidClose((e) => {
    clearTimeout(scheduled.get(e.document.uri));
    scheduled.delete(e.document.uri);
    lastRun.delete(e.document.uri);
    analyses.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onHover(request('onHover', (params: Parameters<Parameters<Connection['onHover']>[0]>[0]) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || !isSpec(doc)) return null;
    const a = analysisOf(doc);
    if (!a.ir) return null;
    const hit = layerAt(a.parsed, doc.offsetAt(params.position), a.ir, sourceIs(doc));
    if (!hit) return null;
    const node = nodeAt(a.parsed, hit.pointer);
    return {
      contents: { kind: MarkupKind.Markdown, value: hoverMarkdown(a.ir, hit) },
      ...(node ? { range: rangeOf(a.parsed, node) } : {}),
    };
  }));

  connection.onDocumentSymbol(request('onDocumentSymbol', (params: Parameters<Parameters<Connection['onDocumentSymbol']>[0]>[0]) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || !isSpec(doc)) return [];
    const a = analysisOf(doc);
    return layerSymbols(a.parsed, a.ir, sourceIs(doc)).map((s) => ({ ...s, kind: SymbolKind.Object }));
  }));

  // Go to definition: from a layer reference (inputs, add/concat, output) to
  // that layer's name, from `block: {use: x}` to the block.
  connection.onDefinition(request('onDefinition', (params: Parameters<Parameters<Connection['onDefinition']>[0]>[0]) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || !isSpec(doc)) return null;
    const a = analysisOf(doc);
    const target = definitionAt(a.parsed, doc.offsetAt(params.position));
    return target ? { uri: doc.uri, range: rangeOf(a.parsed, target) } : null;
  }));

  // Quick fixes for the diagnostics the client sends back (they carry our message and range).
  connection.onCodeAction(request('onCodeAction', (params: Parameters<Parameters<Connection['onCodeAction']>[0]>[0]) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || !isSpec(doc)) return [];
    return quickFixes(doc.uri, params.context.diagnostics, (r) => doc.getText(r));
  }));

  connection.onCompletion(request('onCompletion', (params: Parameters<Parameters<Connection['onCompletion']>[0]>[0]): CompletionItem[] => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || !isSpec(doc)) return [];
    const answer = completeAt(doc.getText(), doc.offsetAt(params.position), loadSchema());
    const range = { start: doc.positionAt(answer.replaceStart), end: doc.positionAt(answer.replaceEnd) };
    return answer.suggestions.map((s, i) => ({
      label: s.label,
      kind: s.kind === 'key' ? CompletionItemKind.Property : CompletionItemKind.EnumMember,
      ...(s.description ? { documentation: { kind: MarkupKind.Markdown, value: s.description } } : {}),
      sortText: String(i).padStart(4, '0'),
      textEdit: { range, newText: s.kind === 'key' && answer.keyNeedsColon ? `${s.label}: ` : s.label },
    }));
  }));

  documents.listen(guardDocumentEvents(connection, log));
  connection.listen();
}
