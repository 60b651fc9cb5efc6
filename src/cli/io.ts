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
