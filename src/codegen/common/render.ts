/**
 * Renders a target's handlebars templates with a view model.
 *
 * Handlebars is configured for generating code, not HTML:
 * - `strict: true` — a field the template names but the view model lacks is
 *   an error, not an empty string, so template and view model cannot drift
 *   apart silently.
 * - HTML escaping stays ON (no `noEscape`). Double-stash `{{x}}` is used only
 *   for validated identifiers and numbers, which escaping leaves unchanged;
 *   should a raw string ever reach a double-stash by mistake, its quotes come
 *   out as `&quot;` and the emitted project fails to type-check in the tests
 *   instead of quietly becoming code.
 * - Triple-stash `{{{x}}}` prints verbatim and is used only for fields the view
 *   model rendered itself through `literals.ts` (JSON.stringify'd strings,
 *   number literals, code assembled from those). By convention their names end
 *   in `Lit`, `Code` or `Text`; a test enforces that on every template.
 * - No helpers are registered; the templates use only `{{#each}}`, `{{#if}}`
 *   on precomputed booleans, and partials.
 */
import Handlebars from 'handlebars';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

/** Template file (relative, with `.hbs`) → output path: strips `.hbs`; `gitignore` → `.gitignore` (npm drops dotfiles named .gitignore). */
export function outputPathOf(templatePath: string): string {
  const out = templatePath.replace(/\.hbs$/, '');
  return out === 'gitignore' ? '.gitignore' : out;
}

/** Every `*.hbs` under `dir`, as posix paths relative to it (partials under `partials/` excluded). */
export function listTemplates(dir: string, sub = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, sub)).sort()) {
    const rel = sub ? posix.join(sub, name) : name;
    if (statSync(join(dir, rel)).isDirectory()) {
      if (rel !== 'partials') out.push(...listTemplates(dir, rel));
    } else if (name.endsWith('.hbs')) out.push(rel);
  }
  return out;
}

/**
 * Renders every template in `dir` with `view`; returns output path → content.
 * Partials are the files in `dir/partials/` (by base name).
 */
export function renderTemplates(dir: string, view: object): Map<string, string> {
  const hb = Handlebars.create();
  const partialsDir = join(dir, 'partials');
  let partials: string[] = [];
  try {
    partials = readdirSync(partialsDir).filter((f) => f.endsWith('.hbs'));
  } catch {
    partials = [];
  }
  for (const f of partials) hb.registerPartial(f.replace(/\.hbs$/, ''), readFileSync(join(partialsDir, f), 'utf8'));
  const out = new Map<string, string>();
  for (const rel of listTemplates(dir)) {
    const template = hb.compile(readFileSync(join(dir, rel), 'utf8'), { strict: true, preventIndent: false });
    out.set(outputPathOf(rel), template(view));
  }
  return out;
}
