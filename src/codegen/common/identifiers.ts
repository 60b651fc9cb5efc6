/**
 * Identifiers in emitted code, for any target: IR ids ("conv2d_1",
 * "stage1.0.conv_a") and user layer names are sanitised into valid, unique
 * identifiers of the target's language; anything that still fails the
 * target's rules is a codegen bug and throws rather than being printed.
 */

/** A language's identifier rules (each target declares its own). */
export interface IdentifierRules {
  /** What every emitted identifier must match. */
  readonly pattern: RegExp;
  /** Reserved words, plus names an emitted file must not shadow. */
  readonly reserved: ReadonlySet<string>;
}

/** Asserts `name` is a usable identifier under `rules`; returns it. */
export function checkIdentifierIn(rules: IdentifierRules, name: string): string {
  if (!rules.pattern.test(name) || rules.reserved.has(name)) throw new Error(`codegen: ${JSON.stringify(name)} is not a usable identifier`);
  return name;
}

/** Best-effort identifier from arbitrary text: invalid characters become '_', a leading digit gets '_', a reserved word gets a trailing '_'. */
export function sanitizeIdentifierIn(rules: IdentifierRules, text: string): string {
  let id = text.replace(/[^A-Za-z0-9_]+/g, '_').replace(/_+/g, '_');
  id = id.replace(/^_+(?=[A-Za-z0-9])/, '').replace(/(?<=[A-Za-z0-9])_+$/, '');
  if (id === '' || id === '_') id = 'layer';
  if (/^[0-9]/.test(id)) id = '_' + id;
  if (rules.reserved.has(id)) id = id + '_';
  return id;
}

/**
 * Hands out unique identifiers in one scope. Names the template itself uses
 * are reserved up front, so a layer called "model" becomes "model_2".
 */
export class ScopeOf {
  private readonly used = new Set<string>();

  constructor(
    private readonly rules: IdentifierRules,
    reserved: readonly string[] = [],
  ) {
    for (const r of reserved) this.used.add(r);
  }

  /** A fresh identifier derived from `text`; collisions get "_2", "_3", …. */
  take(text: string): string {
    const base = sanitizeIdentifierIn(this.rules, text);
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return checkIdentifierIn(this.rules, name);
  }
}
