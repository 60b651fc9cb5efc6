/**
 * Argument parsing shared by `dlc run`, `dlc eval` and `dlc predict`: flags
 * with values (`--epochs 3` or `--epochs=3`), repeatable flags, positionals.
 * Misuse comes back as a message (the command prints it, exit 2).
 */

export interface FlagSpec {
  /** Flag names with a value, e.g. ['--backend', '--epochs']. */
  readonly values: readonly string[];
  /** Flags that may repeat (collected in order), e.g. ['--set']. */
  readonly repeat?: readonly string[];
  /** Choices per flag, e.g. {'--backend': ['auto', 'cpu']}. */
  readonly choices?: Readonly<Record<string, readonly string[]>>;
}

export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Map<string, string[]>;
}

/** Parses `args`; returns an error message on an unknown flag, a missing value or a bad choice. */
export function parseArgs(args: readonly string[], spec: FlagSpec): ParsedArgs | string {
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  const known = new Set([...spec.values, ...(spec.repeat ?? [])]);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '-') {
      if (a.startsWith('-') && a !== '-') return `unknown option '${a}'`;
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(0, eq) : a;
    if (!known.has(name)) return `unknown option '${name}'`;
    const value = eq >= 0 ? a.slice(eq + 1) : args[++i];
    if (value === undefined) return `option '${name}' needs a value`;
    const choices = spec.choices?.[name];
    if (choices && !choices.includes(value)) return `option '${name}' must be one of ${choices.join(', ')}, got '${value}'`;
    const list = flags.get(name) ?? [];
    if (list.length > 0 && !spec.repeat?.includes(name)) return `option '${name}' given twice`;
    list.push(value);
    flags.set(name, list);
  }
  return { positionals, flags };
}

/** The single value of a flag, if given. */
export function flag(p: ParsedArgs, name: string): string | undefined {
  return p.flags.get(name)?.[0];
}

/** A positive integer flag value, or an error message. */
export function positiveInt(p: ParsedArgs, name: string): number | undefined | string {
  const v = flag(p, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? n : `option '${name}' needs a positive integer, got '${v}'`;
}

export const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
