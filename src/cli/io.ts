import type { Diagnostic } from '../compiler/diagnostics/diagnostics.js';
import { describeIoError } from '../compiler/shared/bounded-read.js';

/** What a command may touch: its streams and working directory (tests pass fakes). */
export interface CliIO {
  readonly stdout: { write(s: string): unknown; isTTY?: boolean };
  readonly stderr: { write(s: string): unknown; isTTY?: boolean };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A CLI command module: `src/cli/<name>.ts` exports one of these as `command`. */
export interface Command {
  readonly name: string;
  /** One line for `dlc --help`. */
  readonly summary: string;
  /** Full `dlc <name> --help` text. */
  readonly help: string;
  /** Returns the exit status: 0 ok, 1 errors found in the input, 2 usage or I/O error. */
  run(args: readonly string[], io: CliIO): Promise<number>;
}

/** The process's own streams. */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/**
 * Exit statuses, the same for every command (documented in
 * docs/hostile-input.md): 0 ok; 1 errors found in the input (diagnostics,
 * a NaN loss); 2 usage, I/O or an expected failure (unreadable file, bad run
 * directory, refused path); 3 an internal error (a bug in dlc).
 */
export const EXIT = { ok: 0, input: 1, usage: 2, internal: 3 } as const;

/** Errors dlc throws on purpose: their message is complete and goes out as is, without a stack. */
const EXPECTED_ERRORS = new Set(['DataError', 'RunError', 'BackendUnavailableError', 'EmitError', 'FileReadError', 'CheckpointError', 'UsageError', 'ReplicaError']);

/** C0/C1 control characters (newline and tab excepted) and DEL: escaped before anything reaches a terminal. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Makes text from a file or the command line safe to print: control characters escaped, at most `max` characters. */
export function safeText(s: string, max = 400): string {
  const clipped = s.length > max ? `${s.slice(0, max - 40)} … (${s.length - max + 20} more characters) … ${s.slice(-20)}` : s;
  return clipped.replace(CONTROL, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * One line for a file-system error: "<path>: <cause>", telling a dangling
 * symlink from a missing file (the words: describeIoError, compiler/shared/bounded-read.ts).
 */
export function describeErrno(err: NodeJS.ErrnoException): string {
  const file = err.path ?? (err as { dest?: string }).dest;
  const why = describeIoError(err, file);
  return file ? `${file}: ${why}` : why;
}

/** An error class a command expects (its message is complete, one line). */
export type ErrorClass = abstract new (...args: any[]) => Error;

/**
 * The failures a command expects: the error classes whose message is printed
 * as is, or a function giving the message to print (undefined: not expected).
 */
export type ExpectedFailures = readonly ErrorClass[] | ((e: unknown) => string | undefined);

/** True when spec `file` itself could not be read (DLC007 at its root): an I/O problem (exit 2), not a spec problem (exit 1). */
export function specUnreadable(diags: readonly Diagnostic[], file: string): boolean {
  return diags.some((d) => d.code === 'DLC007' && d.file === file && d.path === '');
}

/** A usage error: `dlc <name>: <message>`, a blank line, the command's help; exit 2 (EXIT.usage). */
export function usageFailure(name: string, message: string, io: CliIO, help: string): number {
  io.stderr.write(`dlc ${name}: ${message}\n\n${help}`);
  return EXIT.usage;
}

/**
 * The one tail of a command's `catch`: an expected failure is printed as
 * `dlc <name>: <message>` and gives exit 2 (EXIT.usage); anything else is
 * rethrown, for main's reportFailure to report as a bug.
 */
export function failExpected(name: string, e: unknown, io: CliIO, expected: ExpectedFailures): number {
  const msg = typeof expected === 'function' ? expected(e) : expected.some((c) => e instanceof c) ? (e as Error).message : undefined;
  if (msg === undefined) throw e;
  io.stderr.write(`dlc ${name}: ${msg}\n`);
  return EXIT.usage;
}

/**
 * Prints a failure that escaped command `name` as one or two lines (the
 * command, the file, the cause) and returns its exit status. A stack trace
 * is printed only when DLC_DEBUG=1.
 */
export function reportFailure(name: string, err: unknown, io: CliIO): number {
  const debug = io.env.DLC_DEBUG === '1';
  const e = err as (NodeJS.ErrnoException & { name?: string }) | undefined;
  let line: string;
  let status: number;
  if (e && typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code) && (e.syscall !== undefined || e.path !== undefined)) {
    line = describeErrno(e);
    status = EXIT.usage;
  } else if (e && typeof e.name === 'string' && EXPECTED_ERRORS.has(e.name)) {
    line = String(e.message);
    status = EXIT.usage;
  } else {
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(err);
    line = `internal error: ${msg}`;
    status = EXIT.internal;
  }
  const out = [`dlc ${name}: ${safeText(line)}`];
  if (debug && e instanceof Error && e.stack) out.push(e.stack);
  else if (status === EXIT.internal) out.push('  (this is a bug in dlc; run again with DLC_DEBUG=1 to see the stack trace)');
  io.stderr.write(out.join('\n') + '\n');
  return status;
}
