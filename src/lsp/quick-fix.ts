/**
 * Quick fixes from what dlc's diagnostics already say: "did you mean 'x'?"
 * replaces the misspelled word, and a stated expectation that disagrees with
 * inference (`in_features`, `in_channels`) takes the inferred value from the
 * hint ("use in_features: 1568"). A fix is offered only when the diagnostic's
 * range holds exactly one plain word or number, so an edit can never eat
 * more than the mistake.
 */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver/node';

/** Reads a range of the document (0-based LSP positions). */
export type TextOf = (range: Diagnostic['range']) => string;

function messageText(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

/** The replacement a diagnostic suggests for the text in its range, if any. */
export function suggestedReplacement(d: Diagnostic, current: string): { newText: string; title: string } | undefined {
  if (d.source !== 'dlc' || d.range.start.line !== d.range.end.line) return undefined;
  const msg = messageText(d);
  const mean = /did you mean '([^']+)'\?/.exec(msg);
  if (mean && /^[\w.$-]+$/.test(current) && mean[1] !== current) return { newText: mean[1]!, title: `Change '${current}' to '${mean[1]}'` };
  const stated = /\buse (in_features|in_channels): (\d+)\b/.exec(msg);
  if (stated && /^\d+$/.test(current) && stated[2] !== current) return { newText: stated[2]!, title: `Set ${stated[1]} to ${stated[2]} (the inferred input)` };
  return undefined;
}

/** One quick fix per diagnostic that suggests a replacement. */
export function quickFixes(uri: string, diagnostics: readonly Diagnostic[], textOf: TextOf): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    const fix = suggestedReplacement(d, textOf(d.range));
    if (!fix) continue;
    out.push({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [uri]: [{ range: d.range, newText: fix.newText }] } },
    });
  }
  return out;
}
