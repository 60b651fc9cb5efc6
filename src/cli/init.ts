/**
 * `dlc init [NAME] [-o FILE]`: writes a new, valid, commented spec that
 * starts with the yaml-language-server modeline, so an editor with the YAML
 * extension completes and checks it from the first keystroke.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATASET_NAMES } from '../compiler/datasets/index.js';
import type { CliIO, Command } from './io.js';

/** Spec names: what `name:` accepts and what makes a good file name. */
export const SPEC_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const SCHEMA_PATH = fileURLToPath(new URL('../../schema/dlc.schema.json', import.meta.url));

/** The modeline's schema reference: relative to the spec so the repo can move. */
export function schemaRefFor(specPath: string, schemaPath = SCHEMA_PATH): string {
  const rel = relative(dirname(specPath), schemaPath).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/**
 * The text of a new spec: MNIST (ships offline, so `dlc run` works at once),
 * a small ConvNet, and comments naming the alternatives at each choice.
 */
export function initSpecText(name: string, schemaRef: string): string {
  return `# yaml-language-server: $schema=${schemaRef}
# A dlc experiment spec. \`dlc check\` validates it, \`dlc inspect\` shows each
# layer's output shape and parameter count, \`dlc run\` trains and evaluates it.
name: ${name}
seed: 42
data:
  dataset: mnist            # ${DATASET_NAMES.join(' | ')}
  validation_split: 0.1     # fraction of the training set held out for validation
  batch_size: 64
  transforms:               # pixels are scaled to [0, 1] first, then these run in order
    train:
      - normalize: {mean: [0.1307], std: [0.3081]}
    eval:
      - normalize: {mean: [0.1307], std: [0.3081]}
model:                      # input shape and class count come from the data set
  layers:
    - conv2d: {filters: 16, kernel_size: 3, padding: same, activation: relu}
    - max_pool2d: 2
    - conv2d: {filters: 32, kernel_size: 3, padding: same, activation: relu}
    - max_pool2d: 2
    - flatten
    - dense: {units: 10}    # logits: no activation; the loss applies softmax
loss: cross_entropy
optimizer: {adam: {learning_rate: 0.001}}
train: {epochs: 5}
metrics: [accuracy]
`;
}

const HELP = `Usage: dlc init [NAME] [-o FILE] [--force]

Writes a new commented spec (MNIST, a small ConvNet) that starts with the
yaml-language-server modeline, so editors complete and check it.

  NAME          the spec's name: lowercase letters, digits, '-' and '_',
                (default: my-experiment)
  -o FILE       where to write it (default: NAME.dlc.yaml)

An existing file is never overwritten.
`;

/** Parses the arguments; returns an error message for a usage mistake. */
function parseArgs(args: readonly string[]): { name: string; out?: string } | string {
  let name: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-o' || a === '--output') {
      out = args[++i];
      if (!out) return `${a} needs a file name`;
    } else if (a.startsWith('--output=')) out = a.slice('--output='.length);
    else if (a.startsWith('-')) return `unknown option '${a}'`;
    else if (name === undefined) name = a;
    else return `unexpected argument '${a}'`;
  }
  name ??= 'my-experiment';
  if (!SPEC_NAME_PATTERN.test(name)) {
    return `invalid name '${name}': use lowercase letters, digits, '-' and '_', not starting with '-' or '_' (at most 64 characters)`;
  }
  return { name, out };
}

export const command: Command = {
  name: 'init',
  summary: 'write a new commented spec to start from',
  help: HELP,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseArgs(args);
    if (typeof parsed === 'string') {
      io.stderr.write(`dlc init: ${parsed}\n`);
      return 2;
    }
    const file = resolve(io.cwd, parsed.out ?? `${parsed.name}.dlc.yaml`);
    if (existsSync(file)) {
      io.stderr.write(`dlc init: ${relative(io.cwd, file) || file} already exists; not overwriting it\n`);
      return 2;
    }
    try {
      // 'wx' fails if the file appeared meanwhile: never clobber a user's file.
      writeFileSync(file, initSpecText(parsed.name, schemaRefFor(file)), { flag: 'wx' });
    } catch (err) {
      io.stderr.write(`dlc init: cannot write ${file}: ${(err as Error).message}\n`);
      return 2;
    }
    io.stdout.write(`wrote ${relative(io.cwd, file)}\nnext: dlc check ${relative(io.cwd, file)}\n`);
    return 0;
  },
};
