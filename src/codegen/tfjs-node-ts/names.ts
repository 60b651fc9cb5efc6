/**
 * Identifiers in emitted code. IR ids ("conv2d_1", "stage1.0.conv_a") and
 * user layer names are sanitised into valid, unique TypeScript identifiers;
 * anything that still fails the identifier pattern is a codegen bug and
 * throws rather than being printed.
 */

/** What every emitted identifier must match. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reserved words of JS/TS (strict mode) plus globals an emitted file must not shadow. */
const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null',
  'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'as',
  'implements', 'interface', 'let', 'package', 'private', 'protected', 'public', 'static', 'yield', 'await',
  'any', 'boolean', 'number', 'string', 'symbol', 'type', 'from', 'of', 'async', 'declare', 'module', 'namespace',
  'require', 'undefined', 'NaN', 'Infinity', 'arguments', 'eval', 'globalThis', 'process', 'console', 'tf',
]);

/** Asserts `name` is a valid identifier; returns it. */
export function checkIdentifier(name: string): string {
  if (!IDENTIFIER.test(name) || RESERVED.has(name)) throw new Error(`codegen: ${JSON.stringify(name)} is not a usable identifier`);
  return name;
}

/** Best-effort identifier from arbitrary text: invalid characters become '_', a leading digit gets '_'. */
export function sanitizeIdentifier(text: string): string {
  let id = text.replace(/[^A-Za-z0-9_]+/g, '_').replace(/_+/g, '_');
  id = id.replace(/^_+(?=[A-Za-z0-9])/, '').replace(/(?<=[A-Za-z0-9])_+$/, '');
  if (id === '' || id === '_') id = 'layer';
  if (/^[0-9]/.test(id)) id = '_' + id;
  if (RESERVED.has(id)) id = id + '_';
  return id;
}

/**
 * Hands out unique identifiers in one scope. Names the template itself uses
 * are reserved up front, so a layer called "model" becomes "model_2".
 */
export class IdentifierScope {
  private readonly used = new Set<string>();

  constructor(reserved: readonly string[] = []) {
    for (const r of reserved) this.used.add(r);
  }

  /** A fresh identifier derived from `text`; collisions get "_2", "_3", …. */
  take(text: string): string {
    const base = sanitizeIdentifier(text);
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return checkIdentifier(name);
  }
}
