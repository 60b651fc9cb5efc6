/**
 * Prints diagnostics like a compiler:
 *
 *   specs/x.yaml:14:7 error DLC010 unknown key 'filtres' in conv2d; did you mean 'filters'?
 *      14 |     - conv2d: {filtres: 16, kernel_size: 3}
 *         |                ^^^^^^^
 *      hint: …
 *
 * and as JSON for tools (`--format json`).
 */
import { resolve } from 'node:path';
import { readFileBounded } from '../shared/bounded-read.js';
import { CODES, type DiagnosticCode } from './codes.js';
import type { Diagnostic } from './diagnostics.js';

export interface FormatOptions {
  /** ANSI colours (when printing to a terminal). */
  readonly color?: boolean;
  /** Text of the files, by diagnostic `file` name (CompileResult.sources); missing files are read from disk. */
  readonly sources?: ReadonlyMap<string, string>;
  /** Directory relative file names are read from; default process.cwd(). */
  readonly cwd?: string;
}

const ANSI = { red: '\x1b[31m', yellow: '\x1b[33m', cyan: '\x1b[36m', bold: '\x1b[1m', dim: '\x1b[2m', reset: '\x1b[0m' };
const SEVERITY_COLOR = { error: ANSI.red, warning: ANSI.yellow, info: ANSI.cyan } as const;

function sourceLines(file: string, o: FormatOptions, cache: Map<string, string[] | undefined>): string[] | undefined {
  if (cache.has(file)) return cache.get(file);
  let text = o.sources?.get(file);
  if (text === undefined && !file.startsWith('<') && file !== '--set') {
    try {
      // Bounded and regular files only: a diagnostic about a huge file or a FIFO must not read it.
      text = readFileBounded(resolve(o.cwd ?? process.cwd(), file), { limit: 1024 * 1024 }).toString('utf8');
    } catch {
      text = undefined;
    }
  }
  const lines = text?.split(/\r?\n/);
  cache.set(file, lines);
  return lines;
}

/** Longest source line echoed under a diagnostic; longer lines show a window around the node. */
const MAX_ECHO = 160;
/** Longest message or hint printed whole; longer ones keep their start and end. */
const MAX_MESSAGE = 400;

/** C0/C1 control characters (tab and newline excepted) and DEL: never sent raw to a terminal. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Text from a spec made safe to print: control characters escaped (`\x1b`), very long text clipped. */
export function escapeForTerminal(s: string, max = MAX_MESSAGE): string {
  const clipped = s.length > max ? `${s.slice(0, max - 40)} … (${s.length - max + 20} characters) … ${s.slice(-20)}` : s;
  return clipped.replace(CONTROL, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`).replace(/\n/g, '\\n');
}

/** One diagnostic: header, source line with a caret under the node's range, hint. */
export function formatDiagnostic(d: Diagnostic, o: FormatOptions = {}, cache = new Map<string, string[] | undefined>()): string {
  const c = (code: string, s: string) => (o.color ? `${code}${s}${ANSI.reset}` : s);
  const out = [`${c(ANSI.bold, `${escapeForTerminal(d.file, 200)}:${d.line}:${d.col}`)} ${c(SEVERITY_COLOR[d.severity], d.severity)} ${c(ANSI.dim, d.code)} ${c(ANSI.bold, escapeForTerminal(d.message))}`];
  const lines = sourceLines(d.file, o, cache);
  const full = lines?.[d.line - 1];
  if (full !== undefined) {
    const num = String(d.line);
    const gutter = ' '.repeat(num.length + 4);
    // Underline the node on its first line: to its end, or to the end of the line when it spans lines.
    let end = d.endLine === d.line && d.endCol !== undefined && d.endCol > d.col ? d.endCol : Math.max(full.trimEnd().length + 1, d.col + 1);
    let col = d.col;
    let text = full;
    // A very long line: show a window of MAX_ECHO characters from a little before the node.
    if (full.length > MAX_ECHO) {
      const from = Math.max(0, Math.min(d.col - 1 - 20, full.length - MAX_ECHO));
      text = (from > 0 ? '…' : '') + full.slice(from, from + MAX_ECHO) + (from + MAX_ECHO < full.length ? '…' : '');
      const shift = from - (from > 0 ? 1 : 0);
      col -= shift;
      end = Math.min(end - shift, text.length + 1);
    }
    // One printable character per control character, so the caret stays aligned.
    text = text.replace(CONTROL, '\ufffd');
    const lead = text.slice(0, col - 1).replace(/[^\t]/g, ' ');
    out.push(`   ${c(ANSI.dim, `${num} |`)} ${text}`);
    out.push(`${gutter}${c(ANSI.dim, '|')} ${lead}${c(SEVERITY_COLOR[d.severity], '^'.repeat(Math.max(1, end - col)))}`);
  }
  if (d.hint) out.push(`   ${c(ANSI.cyan, 'hint:')} ${escapeForTerminal(d.hint)}`);
  return out.join('\n') + '\n';
}

/** Every diagnostic, in the given order, separated by blank lines. */
export function formatDiagnostics(diags: readonly Diagnostic[], o: FormatOptions = {}): string {
  const cache = new Map<string, string[] | undefined>();
  return diags.map((d) => formatDiagnostic(d, o, cache)).join('\n');
}

/** "2 errors, 1 warning" (empty string when there is nothing). */
export function summarize(diags: readonly Diagnostic[]): string {
  const n = (sev: Diagnostic['severity']) => diags.filter((d) => d.severity === sev).length;
  const parts: string[] = [];
  const e = n('error');
  const w = n('warning');
  if (e) parts.push(`${e} error${e === 1 ? '' : 's'}`);
  if (w) parts.push(`${w} warning${w === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** The JSON form for tools: every diagnostic with its catalogue title, plus counts. */
export function diagnosticsToJson(diags: readonly Diagnostic[]): string {
  const items = diags.map((d) => ({ ...d, title: CODES[d.code as DiagnosticCode]?.title ?? '' }));
  const count = (sev: Diagnostic['severity']) => diags.filter((d) => d.severity === sev).length;
  return JSON.stringify({ diagnostics: items, errors: count('error'), warnings: count('warning') }, null, 2) + '\n';
}
