/**
 * Quick fixes, keyed by diagnostic code, from the fix each dlc diagnostic
 * carries as data (`Diagnostic.fix`, sent to the editor in LSP `data`): a
 * did-you-mean renames the misspelled word, a stated `in_features` /
 * `in_channels` that disagrees with inference takes the inferred value.
 * Nothing is read out of the message text. A fix applies only while its
 * range still holds the text it was made for, so an edit can never eat more
 * than the mistake (or land on a document that changed since).
 */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver/node';
import type { DiagnosticCode } from '../compiler/diagnostics/codes.js';
import type { DiagnosticData } from './convert.js';

/** Reads a range of the document (0-based LSP positions). */
export type TextOf = (range: Diagnostic['range']) => string;

/**
 * The codes whose fixes are offered, and whether the editor may apply the
 * fix as the preferred one (e.g. on "fix all"): a typo's nearest name and an
 * inferred count are safe; a different loss is offered but not preferred.
 * Codes not listed offer nothing, whatever they carry.
 */
export const QUICK_FIX_CODES: Readonly<Partial<Record<DiagnosticCode, { readonly preferred: boolean }>>> = {
  DLC010: { preferred: true }, // unknown key → the key it is a typo of
  DLC013: { preferred: true }, // value not allowed → the allowed value it is a typo of
  DLC015: { preferred: true }, // unknown layer kind → the kind it is a typo of
  DLC020: { preferred: true }, // unknown block
  DLC021: { preferred: true }, // unknown block parameter
  DLC100: { preferred: true }, // unknown layer reference
  DLC103: { preferred: true }, // in_channels → the inferred channel count
  DLC104: { preferred: true }, // in_features → the inferred feature count
  DLC108: { preferred: true }, // output units → the data set's class count
  DLC130: { preferred: true }, // unknown table column → the column it is a typo of
  DLC141: { preferred: false }, // classification loss on real targets → mse (a modelling choice: offered, never auto-applied)
  DLC142: { preferred: false }, // regression loss on class / multi-label targets → the usual classification loss
  DLC143: { preferred: true }, // output units → the number of targets
  DLC144: { preferred: false }, // cross_entropy on multi-label targets → binary_cross_entropy
  DLC145: { preferred: true }, // a monitor the target never reports → the target's own (val_loss for real targets)
  DLC146: { preferred: false }, // cycle_momentum: true with adagrad → false (another optimizer is the other way out)
};

function fixOf(d: Diagnostic): NonNullable<DiagnosticData['fix']> | undefined {
  const fix = (d.data as DiagnosticData | undefined)?.fix;
  return fix && typeof fix.newText === 'string' && typeof fix.expected === 'string' && typeof fix.title === 'string' && fix.range ? fix : undefined;
}

/** The edit a dlc diagnostic's fix makes, when its code is registered and its range still holds the expected text. */
export function suggestedReplacement(d: Diagnostic, textOf: TextOf): { newText: string; title: string; range: Diagnostic['range']; preferred: boolean } | undefined {
  if (d.source !== 'dlc' || typeof d.code !== 'string') return undefined;
  const entry = QUICK_FIX_CODES[d.code as DiagnosticCode];
  const fix = fixOf(d);
  if (!entry || !fix || fix.range.start.line !== fix.range.end.line) return undefined;
  if (textOf(fix.range) !== fix.expected || fix.newText === fix.expected) return undefined;
  return { newText: fix.newText, title: fix.title, range: fix.range, preferred: entry.preferred };
}

/** One quick fix per diagnostic that carries an applicable fix. */
export function quickFixes(uri: string, diagnostics: readonly Diagnostic[], textOf: TextOf): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    const fix = suggestedReplacement(d, textOf);
    if (!fix) continue;
    out.push({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: fix.preferred,
      edit: { changes: { [uri]: [{ range: fix.range, newText: fix.newText }] } },
    });
  }
  return out;
}
