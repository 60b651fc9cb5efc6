/**
 * The command line of an emitted project's training program
 * (`npm start -- …`, `node dist/train.js …`). Lives in the runtime, so the
 * emitted src/train.ts is only this parser plus one call of runTraining, and
 * its flags mean what `dlc run`'s do (the backend names are the same list).
 */
import { BACKENDS, isBackendChoice, type BackendChoice } from '../backend/choices.js';
import { RunError } from './errors.js';

/** What the flags ask for. */
export interface ProjectArgs {
  readonly backend: BackendChoice;
  /** Parent of `<name>/<timestamp>/` run directories (default "runs"). */
  readonly runsDir: string;
  /** Exactly this run directory (new or empty) instead of one under runsDir. */
  readonly out?: string;
  /** Continue this run directory from its last checkpoint. */
  readonly resume?: string;
  readonly epochs?: number;
  readonly replicas?: number;
  /** A saved preprocessing.json (a dlc run's) to encode the data with instead of fitting one. */
  readonly preprocessing?: string;
  readonly help: boolean;
}

/** The usage text (`--help`). */
export const PROJECT_USAGE = `Usage: node dist/train.js [options]   (or: npm start -- [options])

Trains the model as \`dlc run\` does and writes a run directory
runs/<name>/<timestamp>/ (spec.yaml, ir.json, run.json, metrics.jsonl,
metrics.csv, report.json, confusion_matrix.csv, checkpoints/) that
\`dlc eval\` and \`dlc predict\` accept.

Options:
  --backend NAME     ${BACKENDS.join(' | ')} (default auto: the fastest that loads)
  --epochs N         train for N epochs in total (overrides train.epochs)
  --runs-dir DIR     parent of the run directories (default ./runs)
  --out DIR          use DIR itself as the run directory (new or empty)
  --resume RUN_DIR   continue RUN_DIR from its last checkpoint
  --replicas N       split each batch over N data-parallel replicas (worker threads);
                     default $DLC_REPLICAS, else one per core on wasm (batch norm is synchronised)
  --preprocessing FILE  encode the data with this preprocessing.json (e.g. a dlc
                     run's: csv means, stds and categories, a text vocabulary)
                     instead of fitting one on the training split
  --help             print this
`;

function positive(flag: string, v: string): number {
  const n = Number(v);
  if (!(Number.isInteger(n) && n >= 1)) throw new RunError(`${flag} needs a positive integer, got '${v}'`);
  return n;
}

/** Parses `argv` (without node and the script); throws RunError on misuse. Accepts `--flag value` and `--flag=value`. */
export function parseProjectArgs(argv: readonly string[]): ProjectArgs {
  let backend: BackendChoice = 'auto';
  let runsDir = 'runs';
  let out: string | undefined;
  let resume: string | undefined;
  let epochs: number | undefined;
  let replicas: number | undefined;
  let preprocessing: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      const v = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '') throw new RunError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--backend': {
        const b = value();
        if (!isBackendChoice(b)) throw new RunError(`--backend must be one of ${BACKENDS.join(', ')}, not '${b}'`);
        backend = b;
        break;
      }
      case '--runs-dir':
        runsDir = value();
        break;
      case '--out':
        out = value();
        break;
      case '--resume':
        resume = value();
        break;
      case '--epochs':
        epochs = positive(flag, value());
        break;
      case '--replicas':
        replicas = positive(flag, value());
        break;
      case '--preprocessing':
        preprocessing = value();
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new RunError(`unknown option '${arg}' (see --help)`);
    }
  }
  if (out !== undefined && resume !== undefined) throw new RunError('--out and --resume exclude each other (a resumed run keeps its directory)');
  if (preprocessing !== undefined && resume !== undefined) throw new RunError('--preprocessing and --resume exclude each other (a resumed run keeps its own preprocessing.json)');
  return { backend, runsDir, out, resume, epochs, replicas, ...(preprocessing !== undefined ? { preprocessing } : {}), help };
}
