/**
 * What an emit target is. A target turns a lowered IR into the files of a
 * standalone project in one language and framework; everything specific to
 * it (its views, literals, identifier rules, templates under
 * templates/<name>/, dependency manifest) lives in its own folder
 * src/codegen/<name>/, and src/codegen/targets.ts lists it.
 *
 * The target-neutral machinery every target uses is here in common/: the
 * spec origin and README facts (./origin.ts), identifier scopes over a
 * target's rules (./identifiers.ts), strict Handlebars rendering
 * (./render.ts) and the atomic project writer (./write-project.ts).
 */
import type { IR } from '../../compiler/ir.js';
import type { IdentifierRules } from './identifiers.js';
import type { SpecOrigin } from './origin.js';

/** How a target's language spells data, so that spec strings only ever become data in it. */
export interface TargetLanguage {
  /** The language's name, for messages ("TypeScript", "Python"). */
  readonly name: string;
  /** A string as a quoted string literal of the language (never code). */
  readonly stringLiteral: (value: string) => string;
  /** Text that is safe inside a line comment of the language. */
  readonly commentText: (value: string) => string;
  /** What an emitted identifier must match and the words it must not be. */
  readonly identifiers: IdentifierRules;
}

/** One emit target. */
export interface TargetDef {
  /** `--target` value, also the folder name under src/codegen/ and templates/. */
  readonly name: string;
  /** One line for `dlc emit --help`. */
  readonly description: string;
  readonly language: TargetLanguage;
  /** Commands to run in the emitted project, printed after `dlc emit` (e.g. `npm install`, `npm start`). */
  readonly nextSteps: readonly string[];
  /** The project: relative path → content. Pure apart from reading dlc's own templates and sources. */
  render(ir: IR, origin: SpecOrigin): Map<string, string>;
}
