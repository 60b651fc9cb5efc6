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

/** The file path a document URI names (untitled documents keep their URI). */
export function uriToPath(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

/** Wires every handler onto `connection` and starts listening. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new Map<string, Analysis>();

  const openText = (absPath: string): string | undefined => {
    for (const doc of documents.all()) if (resolve(uriToPath(doc.uri)) === absPath) return doc.getText();
    return undefined;
  };

  /** Compiles the current text (once per version) and returns the result. */
  const analysisOf = (doc: TextDocument): Analysis => {
    const cached = analyses.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    const a = analyze(doc.getText(), uriToPath(doc.uri), doc.version, openText);
    analyses.set(doc.uri, a);
    return a;
  };

  /** Documents that are not dlc specs get no diagnostics and no answers. */
  const isSpec = (doc: TextDocument): boolean => looksLikeSpec(uriToPath(doc.uri), doc.getText());

  const publish = (doc: TextDocument): void => {
    const path = uriToPath(doc.uri);
    if (!isSpec(doc)) {
      void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: [] });
      return;
    }
    const a = analysisOf(doc);
    const diagnostics = a.diagnostics.map((d) => toLspDiagnostic(d, path, dirname(path), a.parsed));
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  };

  const sourceIs = (doc: TextDocument) => (file: string) => isSameFile(file, uriToPath(doc.uri), dirname(uriToPath(doc.uri)));

  connection.onInitialize(
    (): InitializeResult => ({
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        documentSymbolProvider: true,
        definitionProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        completionProvider: { triggerCharacters: [' ', ':', '-', '{', ','] },
      },
      serverInfo: { name: 'dlc', version: '0.1.0' },
    }),
  );

  /** Recompiles the open specs that `extends` another file (it may just have changed). */
  const republishExtending = (except?: string): void => {
    for (const other of documents.all()) {
      if (other.uri === except || !/^extends\s*:/m.test(other.getText())) continue;
      analyses.delete(other.uri);
      publish(other);
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

  connection.onHover((params) => {
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
  });

  connection.onDocumentSymbol((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || !isSpec(doc)) return [];
    const a = analysisOf(doc);
    return layerSymbols(a.parsed, a.ir, sourceIs(doc)).map((s) => ({ ...s, kind: SymbolKind.Object }));
  });

  // Go to definition: from a layer reference (inputs, add/concat, output) to
  // that layer's name, from `block: {use: x}` to the block.
  connection.onDefinition((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || !isSpec(doc)) return null;
    const a = analysisOf(doc);
    const target = definitionAt(a.parsed, doc.offsetAt(params.position));
    return target ? { uri: doc.uri, range: rangeOf(a.parsed, target) } : null;
  });

  // Quick fixes for the diagnostics the client sends back (they carry our message and range).
  connection.onCodeAction((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || !isSpec(doc)) return [];
    return quickFixes(doc.uri, params.context.diagnostics, (r) => doc.getText(r));
  });

  connection.onCompletion((params): CompletionItem[] => {
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
  });

  documents.listen(connection);
  connection.listen();
}
