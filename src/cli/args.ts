/**
 * Shared argument parsing for the commands: positional arguments, repeated
 * `--set path=value`, `--format text|json`, and any flags a command declares.
 * Unknown flags are usage errors (exit 2) with a message, never ignored.
 */

export interface FlagSpec {
  /** Long name without dashes, e.g. "out". */
  readonly name: string;
  /** One-letter alias, e.g. "o". */
  readonly short?: string;
  /** Takes a value (`--out DIR` / `--out=DIR`); otherwise a boolean switch. */
  readonly value?: boolean;
  /** May be given several times (values collected in order). */
  readonly repeat?: boolean;
  /** Allowed values, when closed. */
  readonly choices?: readonly string[];
}

export interface ParsedArgs {
  readonly positional: string[];
  /** Flag name → value(s): string for a value flag, string[] for a repeated one, true for a switch. */
  readonly flags: Record<string, string | string[] | true>;
  /** The `--set` values, in order (empty when the command does not take --set). */
  readonly sets: string[];
  /** `--format`, when the command takes it (default "text"). */
  readonly format: 'text' | 'json';
}

/** A usage error: the command prints the message and its usage line, and exits 2. */
export class UsageError extends Error {}

/** `--set path=value`, repeatable. */
export const SET_FLAG: FlagSpec = { name: 'set', value: true, repeat: true };
/** `--format text|json`. */
export const FORMAT_FLAG: FlagSpec = { name: 'format', value: true, choices: ['text', 'json'] };

/** Parses `args` against `flags`; throws UsageError on an unknown flag or a missing/invalid value. */
export function parseArgs(args: readonly string[], flags: readonly FlagSpec[]): ParsedArgs {
  const positional: string[] = [];
  const out: Record<string, string | string[] | true> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const eq = arg.indexOf('=');
    const key = long ? arg.slice(2, eq > 0 ? eq : undefined) : arg.slice(1, 2);
    const flag = flags.find((f) => (long ? f.name === key : f.short === key));
    if (!flag) throw new UsageError(`unknown option '${long ? `--${key}` : `-${key}`}'`);
    let value: string | true = true;
    if (flag.value) {
      if (long && eq > 0) value = arg.slice(eq + 1);
      else if (!long && arg.length > 2) value = arg.slice(2);
      else {
        if (i + 1 >= args.length) throw new UsageError(`option '--${flag.name}' needs a value`);
        value = args[++i];
      }
      if (flag.choices && !flag.choices.includes(value)) throw new UsageError(`option '--${flag.name}' must be one of ${flag.choices.join(', ')}, got '${value}'`);
    } else if (long && eq > 0) {
      throw new UsageError(`option '--${flag.name}' takes no value`);
    }
    if (flag.repeat) out[flag.name] = [...((out[flag.name] as string[] | undefined) ?? []), value as string];
    else out[flag.name] = value;
  }
  const sets = (out.set as string[] | undefined) ?? [];
  const format = (out.format as 'text' | 'json' | undefined) ?? 'text';
  return { positional, flags: out, sets, format };
}

/**
 * Parses the arguments of a command that takes exactly one SPEC (emit,
 * inspect): the parsed flags and the spec, or the message of a usage error.
 */
export function parseOneSpec(args: readonly string[], flags: readonly FlagSpec[], command: string): { parsed: ParsedArgs; spec: string } | string {
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(args, flags);
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  const [spec, ...extra] = parsed.positional;
  if (spec === undefined) return 'missing SPEC';
  if (extra.length > 0) return `unexpected argument ${extra[0]} (${command} takes one SPEC)`;
  return { parsed, spec };
}
