/** `dlc schema`: prints the spec's JSON Schema (draft-07), the one definition of a valid spec. */
import { buildSchema } from '../compiler/front/schema/build.js';
import { parseArgs, UsageError } from './args.js';
import type { CliIO, Command } from './io.js';

const USAGE = 'Usage: dlc schema';

const HELP = `${USAGE}

Prints the JSON Schema (draft-07) of dlc spec files: every key with its type,
range, default, allowed values and a description. It is the same file as
schema/dlc.schema.json; editors use it through the modeline every shipped
spec starts with:

  # yaml-language-server: $schema=../schema/dlc.schema.json

Save it with 'dlc schema > dlc.schema.json' to point editors elsewhere.

Options:
  -h, --help   Show this help
`;

export const command: Command = {
  name: 'schema',
  summary: 'print the JSON Schema of spec files',
  help: HELP,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    try {
      const parsed = parseArgs(args, []);
      if (parsed.positional.length) throw new UsageError(`unexpected argument '${parsed.positional[0]}'`);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      io.stderr.write(`dlc schema: ${err.message}\n${USAGE}\n`);
      return 2;
    }
    io.stdout.write(JSON.stringify(buildSchema(), null, 2) + '\n');
    return 0;
  },
};
