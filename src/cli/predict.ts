/** `dlc predict RUN_DIR IMAGE… [--top-k 3] [--checkpoint best|last] [--backend …]`: top-k classes per image. */
import { resolve } from 'node:path';
import type { BackendChoice } from '../runtime/backend/select.js';
import type { TableRow } from '../compiler/shared/tabular.js';
import { readTable } from '../runtime/data/table-file.js';
import { predict } from '../runtime/train/predict.js';
import { predictRows, readPreprocessing } from '../runtime/train/predict-rows.js';
import { didYouMean } from '../compiler/diagnostics/did-you-mean.js';
import { predictTexts } from '../runtime/train/predict-text.js';
import { decodeUtf8Lenient } from '../compiler/shared/text.js';
import { readFileSync } from 'node:fs';
import { failExpected, type CliIO, type Command } from './io.js';
import { expectedFailure } from './run-errors.js';
import { parseArgs, UsageError, type ParsedArgs } from './args.js';
import { BACKEND_FLAG, CHECKPOINT_FLAG, flag, positiveInt } from './run-args.js';

const HELP = `Usage: dlc predict RUN_DIR IMAGE... [options]
       dlc predict RUN_DIR --row COLUMN=VALUE... | --rows FILE   (runs of a csv table spec)
       dlc predict RUN_DIR --text TEXT... | --text-file FILE...   (runs of a text spec)

Classifies PNG or JPEG images with a run's checkpoint. Each image is resized
to the model's input size, converted to its channel count and transformed as
the spec's eval transforms say; prints the top-k classes with probabilities.

Options:
  --top-k K                how many classes per image (default 3)
  --checkpoint best|last   which checkpoint (default best, or last when the run kept no best)
  --backend NAME           auto | tensorflow | wasm | cpu (default auto)
  --json                   print the predictions as JSON
  --row COLUMN=VALUE       one cell of the row to predict (repeat for each feature column)
  --rows FILE              predict every row of a CSV/TSV/JSON table (extra columns are ignored)
  --text TEXT              a text to classify (repeatable)
  --text-file FILE         a file whose whole content is one text (repeatable; read as UTF-8,
                           invalid bytes as U+FFFD)

Rows are encoded with the run's preprocessing.json (the training rows' means,
stds and categories); class runs print every class's probability, regression
runs the predicted value. A --row column the run does not have is refused
(with "did you mean"); a feature column left out is filled as training filled
missing cells (data.missing), and said so. Texts are tokenised with the run's
saved vocabulary (preprocessing.json of a text run); every class's probability
is printed.

Exit status: 0 done, 2 usage or I/O error (unreadable image, not a run directory).
`;

async function run(args: readonly string[], io: CliIO): Promise<number> {
  const usage = (msg: string): number => {
    io.stderr.write(`dlc predict: ${msg}\n\n${HELP}`);
    return 2;
  };
  let parsed: ParsedArgs;
  let topK: number | undefined;
  try {
    parsed = parseArgs(args, [{ name: 'top-k', value: true }, CHECKPOINT_FLAG, BACKEND_FLAG, { name: 'json' }, { name: 'row', value: true, repeat: true }, { name: 'rows', value: true }, { name: 'text', value: true, repeat: true }, { name: 'text-file', value: true, repeat: true }]);
    topK = positiveInt(parsed, 'top-k');
  } catch (e) {
    if (e instanceof UsageError) return usage(e.message);
    throw e;
  }
  const json = parsed.flags['json'] === true;
  const [runArg, ...images] = parsed.positional;
  if (!runArg) return usage('missing RUN_DIR');
  if (parsed.flags['row'] !== undefined || parsed.flags['rows'] !== undefined) return predictTable(resolve(io.cwd, runArg), parsed, json, io);
  if (parsed.flags['text'] !== undefined || parsed.flags['text-file'] !== undefined) return predictText(resolve(io.cwd, runArg), parsed, json, io);
  if (images.length === 0) return usage('missing IMAGE');
  try {
    const res = await predict(
      resolve(io.cwd, runArg),
      images.map((f) => resolve(io.cwd, f)),
      { topK, checkpoint: flag(parsed, 'checkpoint') as 'best' | 'last' | undefined, backend: (flag(parsed, 'backend') ?? 'auto') as BackendChoice },
    );
    if (res.backend) io.stderr.write(`backend: ${res.backend.name} (${res.backend.reason}); checkpoint ${res.checkpoint}\n`);
    if (json) {
      io.stdout.write(JSON.stringify(res.predictions.map((p, i) => ({ ...p, file: images[i] })), null, 2) + '\n');
      return 0;
    }
    res.predictions.forEach((p, i) => {
      io.stdout.write(`${images[i]}\n`);
      printClasses(io, p.top);
    });
    return 0;
  } catch (e) {
    return failExpected('predict', e, io, expectedFailure);
  }
}

/** `--row key=value` (repeated: the cells of one row) or `--rows FILE` (a CSV/TSV/JSON table) with a csv run. */
async function predictTable(runDir: string, parsed: ParsedArgs, json: boolean, io: CliIO): Promise<number> {
  try {
    let rows: TableRow[];
    const file = flag(parsed, 'rows');
    if (file !== undefined) rows = [...readTable(resolve(io.cwd, file), file).rows];
    else {
      const row: Record<string, string> = {};
      for (const kv of parsed.flags['row'] as string[]) {
        const eq = kv.indexOf('=');
        if (eq <= 0) {
          io.stderr.write(`dlc predict: --row wants column=value, got '${kv}'\n`);
          return 2;
        }
        row[kv.slice(0, eq).trim()] = kv.slice(eq + 1);
      }
      // A --row column the run does not have is a typo, not an extra (it would be ignored and the real column filled).
      const pre = await readPreprocessing(runDir);
      if (pre.kind === 'table') {
        const columns = pre.columns.map((c) => c.column);
        const unknown = Object.keys(row).find((k) => !columns.includes(k));
        if (unknown !== undefined) {
          const hint = didYouMean(unknown, columns);
          io.stderr.write(`dlc predict: --row '${unknown}': not a feature column of this run${hint ? ` (did you mean '${hint}'?)` : ''}; its columns: ${columns.join(', ')}\n`);
          return 2;
        }
        const absent = pre.columns.filter((c) => !Object.hasOwn(row, c.column) && c.fill !== undefined).map((c) => c.column);
        if (absent.length) io.stderr.write(`dlc predict: no --row value for ${absent.join(', ')}: filled as the training filled missing cells (data.missing)\n`);
      }
      rows = [row];
    }
    const res = await predictRows(runDir, rows, { checkpoint: flag(parsed, 'checkpoint') as 'best' | 'last' | undefined, backend: (flag(parsed, 'backend') ?? 'auto') as BackendChoice });
    if (res.backend) io.stderr.write(`backend: ${res.backend.name} (${res.backend.reason}); checkpoint ${res.checkpoint}\n`);
    if (json) {
      io.stdout.write(JSON.stringify(res.predictions, null, 2) + '\n');
      return 0;
    }
    res.predictions.forEach((p, i) => {
      io.stdout.write(`row ${i + 1}\n`);
      if (p.values) io.stdout.write(`  ${p.values.map((v) => Number(v.toPrecision(6))).join(', ')}\n`);
      printClasses(io, p.classes ?? []);
    });
    return 0;
  } catch (e) {
    return failExpected('predict', e, io, expectedFailure);
  }
}

/** `--text TEXT` and `--text-file FILE` (each repeatable) with a run of a text spec. */
async function predictText(runDir: string, parsed: ParsedArgs, json: boolean, io: CliIO): Promise<number> {
  try {
    const items: { label: string; text: string }[] = ((parsed.flags['text'] as string[] | undefined) ?? []).map((t, i) => ({ label: `text ${i + 1}`, text: t }));
    for (const f of (parsed.flags['text-file'] as string[] | undefined) ?? []) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(resolve(io.cwd, f));
      } catch (e) {
        io.stderr.write(`dlc predict: cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
        return 2;
      }
      const { text, invalid } = decodeUtf8Lenient(bytes);
      if (invalid) io.stderr.write(`${f}: bytes that are not UTF-8 were read as U+FFFD\n`);
      items.push({ label: f, text });
    }
    const res = await predictTexts(runDir, items.map((t) => t.text), { checkpoint: flag(parsed, 'checkpoint') as 'best' | 'last' | undefined, backend: (flag(parsed, 'backend') ?? 'auto') as BackendChoice });
    if (res.backend) io.stderr.write(`backend: ${res.backend.name} (${res.backend.reason}); checkpoint ${res.checkpoint}\n`);
    if (json) {
      io.stdout.write(JSON.stringify(res.predictions.map((p, i) => ({ input: items[i].label, ...p })), null, 2) + '\n');
      return 0;
    }
    res.predictions.forEach((p, i) => {
      const notes = [p.outOfVocabulary > 0 ? `${p.outOfVocabulary} token${p.outOfVocabulary === 1 ? '' : 's'} not in the vocabulary` : '', p.truncated ? 'truncated at max_length' : ''].filter(Boolean);
      io.stdout.write(`${items[i].label}${notes.length ? ` (${notes.join('; ')})` : ''}\n`);
      printClasses(io, p.classes);
    });
    return 0;
  } catch (e) {
    return failExpected('predict', e, io, expectedFailure);
  }
}

/** One line per class with its probability, names aligned (image and table predictions print alike). */
function printClasses(io: CliIO, classes: readonly { className: string; probability: number }[]): void {
  const width = Math.max(0, ...classes.map((t) => t.className.length));
  for (const t of classes) io.stdout.write(`  ${t.className.padEnd(width)}  ${(t.probability * 100).toFixed(2).padStart(6)}%\n`);
}

export const command: Command = {
  name: 'predict',
  summary: 'classes for PNG/JPEG images, table rows or texts with a trained run',
  help: HELP,
  run,
};
