/**
 * `dlc` entry point: picks the command module and hands it the arguments.
 * Commands are loaded lazily so `dlc check` never pays for loading tfjs.
 */
import { processIO, reportFailure, safeText, type CliIO, type Command } from './io.js';

/** Command name → module path (relative to this file). One file per command. */
const COMMANDS: Readonly<Record<string, string>> = {
  check: './check.js',
  inspect: './inspect.js',
  config: './config.js',
  schema: './schema.js',
  init: './init.js',
  run: './run.js',
  eval: './eval.js',
  predict: './predict.js',
  emit: './emit.js',
  lsp: './lsp.js',
  report: './report.js',
  compare: './compare.js',
  sweep: './sweep.js',
};

async function loadCommand(name: string): Promise<Command | undefined> {
  const path = COMMANDS[name];
  if (!path) return undefined;
  try {
    const mod = (await import(path)) as { command: Command };
    return mod.command;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String(err).includes(path.slice(2))) return undefined;
    throw err;
  }
}

async function usage(io: CliIO): Promise<string> {
  const lines = ['Usage: dlc <command> [options]', '', 'Commands:'];
  for (const name of Object.keys(COMMANDS)) {
    const cmd = await loadCommand(name);
    if (cmd) lines.push(`  ${name.padEnd(9)} ${cmd.summary}`);
  }
  lines.push('', "Run 'dlc <command> --help' for a command's options.");
  void io;
  return lines.join('\n') + '\n';
}

/**
 * Runs the CLI; returns the exit status (see EXIT in io.ts). Never rejects:
 * whatever a command throws is reported by reportFailure as one or two lines
 * (a stack trace only with DLC_DEBUG=1).
 */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    return reportFailure(argv[0] ?? 'dlc', err, io);
  }
}

async function dispatch(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(await usage(io));
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write('dlc 0.1.0\n');
    return 0;
  }
  const cmd = await loadCommand(name);
  if (!cmd) {
    io.stderr.write(`dlc: unknown command '${safeText(name, 80)}'\n\n${await usage(io)}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(cmd.help.endsWith('\n') ? cmd.help : cmd.help + '\n');
    return 0;
  }
  return cmd.run(rest, io);
}
