"""dlc's csv data set (src/runtime/data/sets/csv.ts, src/compiler/shared/tabular.ts and
src/runtime/data/table-file.ts in dlc), for PyTorch.

A table (CSV, TSV or a JSON array of records) becomes float32 feature rows — numeric columns
standardised with the TRAINING rows' mean and standard deviation, categorical ones one-hot —
with class-index or real targets; or, with data.window, sequence windows over one numeric column
ordered by another, for forecasting. The header and column rules, the missing-value detection
and policies (drop / mean / mode / constant), the seeded (stratified) test split and the fitted
preprocessing (`preprocessing.json`, the same JSON as dlc's TablePreprocessing) are ports of dlc's
and give the same rows, the same split and the same numbers (float32 of the same float64 sums).

Every failure is a DataError naming the file and the line: an empty file, a row with more or fewer
cells than the header, bytes that are not UTF-8, a missing column, a non-numeric cell in a numeric
column.
"""
import json
import math
import os
import re
import time
from datetime import datetime, timezone

import numpy as np

from .data import DataError, EncodedSet, LoadedDataset
from .rng import M32, Rng

F32 = np.float32
MAX_TABLE_BYTES = 512 * 1024 * 1024

# --- cells ----------------------------------------------------------------------------------------

_MISSING = re.compile(r'^\s*(|na|nan|null|none|\?)\s*$', re.IGNORECASE)
_NUMBER = re.compile(r'^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$', re.ASCII)
_YEAR = re.compile(r'^(\d{4})', re.ASCII)
_JS_WS = ' \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'


def js_trim(s):
    """String.prototype.trim (JavaScript's white space set)."""
    return s.strip(_JS_WS)


def js_key(s):
    """Sort key of JavaScript's default sort on strings (UTF-16 code units)."""
    return s.encode('utf-16-be', 'surrogatepass')


def _missing_text(c):
    return _MISSING.match(c) is not None


def is_missing(c):
    if c.__class__ is str:
        return _missing_text(c)
    return c is None


def js_string(v):
    """String(v) of a JSON value as JavaScript writes it."""
    if isinstance(v, str):
        return v
    if v is None:
        return 'null'
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, (int, float)):
        return js_number_text(v)
    if isinstance(v, list):
        return ','.join('' if x is None else js_string(x) for x in v)
    return '[object Object]'


def cell_text(c):
    return js_trim(c) if isinstance(c, str) else js_string(c)


_ISO_DATE = re.compile(r'^([+-]\d{6}|\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$', re.ASCII)
_ISO_TIME = re.compile(r'^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$', re.ASCII)


def js_date_parse(s):
    """Date.parse for the ISO forms (date-only is UTC; a date-time without an offset is local
    time), in milliseconds; NaN for anything else (dlc on node also takes a few legacy forms)."""
    m = _ISO_DATE.match(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return math.nan
        try:
            return (datetime(y, mo, d, tzinfo=timezone.utc) - datetime(1970, 1, 1, tzinfo=timezone.utc)).total_seconds() * 1000
        except ValueError:
            return math.nan
    m = _ISO_TIME.match(s)
    if m:
        y, mo, d, hh, mm = (int(m.group(i)) for i in range(1, 6))
        ss = int(m.group(6) or 0)
        ms = int((m.group(7) or '0').ljust(3, '0')[:3])
        try:
            naive = datetime(y, mo, d, hh, mm, ss)
        except ValueError:
            return math.nan
        tz = m.group(8)
        if tz is None:
            return time.mktime(naive.timetuple()) * 1000 + ms
        off = 0
        if tz != 'Z':
            sign = -1 if tz[0] == '-' else 1
            digits = tz[1:].replace(':', '')
            off = sign * (int(digits[:2]) * 60 + int(digits[2:]))
        utc = (naive - datetime(1970, 1, 1)).total_seconds() * 1000 + ms
        return utc - off * 60000
    return math.nan


def cell_number(c, type_='numeric'):
    """The number a cell holds, or NaN (cellNumber)."""
    if c.__class__ is str:
        return _text_number(c, type_)
    if c is None:
        return math.nan
    if isinstance(c, bool):
        return 1.0 if c else 0.0
    if isinstance(c, (int, float)):
        return float(c)
    return _text_number(js_string(c), type_)


def _text_number(c, type_):
    if _MISSING.match(c):
        return math.nan
    s = js_trim(c)
    if type_ == 'year':
        m = _YEAR.match(s)
        return float(m.group(1)) if m else math.nan
    if type_ == 'date':
        t = js_date_parse(s)
        return t / 86_400_000 if math.isfinite(t) else math.nan
    return float(s) if _NUMBER.match(s) else math.nan


def _finite(x):
    return isinstance(x, float) and math.isfinite(x)


# --- reading a table --------------------------------------------------------------------------------

class Table:
    __slots__ = ('file', 'columns', 'rows', 'lines')

    def __init__(self, file, columns, rows, lines):
        self.file, self.columns, self.rows, self.lines = file, list(columns), rows, lines


def first_invalid_utf8_line(raw):
    """The line of the first byte that is not valid UTF-8, or None when all are."""
    try:
        raw.decode('utf-8')
        return None
    except UnicodeDecodeError as e:
        return raw[:e.start].count(b'\n') + 1


def _js_keys(record):
    """Object.keys order: array-index keys ("0", "7", …) ascending first, then the others as written."""
    def is_index(k):
        return k.isdigit() and k.isascii() and (k == '0' or k[0] != '0') and int(k) < 2 ** 32 - 1
    return sorted((k for k in record if is_index(k)), key=int) + [k for k in record if not is_index(k)]


def parse_table(text, file):
    """Parses table text (already decoded); `file` is for messages (parseTable)."""
    body = text[1:] if text[:1] == '\ufeff' else text
    if js_trim(body) == '':
        raise DataError('the file is empty (no header line)', file)
    if re.match(r'^\s*\[', body):
        try:
            data = json.loads(body, parse_constant=lambda name: (_ for _ in ()).throw(ValueError(f'unexpected token {name}')))
        except ValueError as e:
            raise DataError(f'not valid JSON: {e}', file) from None
        if not isinstance(data, list):
            raise DataError('a JSON table must be an array of records', file)
        columns = {}
        for i, r in enumerate(data):
            if not isinstance(r, dict):
                raise DataError(f'record {i + 1} is not an object', file)
            for k in _js_keys(r):
                columns.setdefault(k, None)
        if len(data) == 0:
            raise DataError('the JSON array is empty', file)
        return Table(file, list(columns), data, list(range(1, len(data) + 1)))
    nl = body.find('\n')
    first_line = body if nl < 0 else body[:nl]
    delimiter = '\t' if file.endswith('.tsv') or ('\t' in first_line and ',' not in first_line) else ','
    columns = None
    rows, lines = [], []
    for rec, line in _csv_records(body, delimiter, file, lambda k: columns[k] if columns is not None and k < len(columns) else k):
        if columns is None:
            columns = [js_trim(h) for h in rec]
            seen = set()
            for c in columns:
                if c in seen:
                    raise DataError(f"line 1: column '{c}' appears twice in the header", file)
                seen.add(c)
            continue
        if len(rec) != len(columns):
            raise DataError(f'line {line}: row has {len(rec)} cells but the header has {len(columns)} columns', file)
        rows.append(dict(zip(columns, rec)))
        lines.append(line)
    if not rows:
        raise DataError('the file has a header but no rows', file)
    return Table(file, columns, rows, lines)


_LINE_ENDS = re.compile(r'\r\n|\n|\r')


def _csv_records(body, delimiter, file, field_name):
    """Yields (cells, line) per record as csv-parse does with dlc's options: a field is quoted only
    when it starts with a quote ("" inside is one quote; line breaks allowed); a quote inside an
    unquoted field, text after a closing quote or an unclosed quote is an error naming the line;
    empty lines are skipped; line ends are \\n, \\r\\n or \\r; `line` is where the record ends."""
    if '"' not in body:
        # No quotes at all (the common case): lines split on their ends, cells on the delimiter — the same records, faster.
        for k, text in enumerate(_LINE_ENDS.split(body)):
            if text:
                yield text.split(delimiter), k + 1
        return
    i, n, line = 0, len(body), 1
    while i < n or i == n:
        cells = []
        while True:
            if i < n and body[i] == '"':
                start = i
                i += 1
                parts = []
                while True:
                    q = body.find('"', i)
                    if q < 0:
                        rest = body[i:n - 1] if body.endswith(('\n', '\r')) else body[i:]
                        line += rest.count('\n') + rest.count('\r') - rest.count('\r\n')
                        raise DataError(f'line {line}: Quote Not Closed: the parsing is finished with an opening quote at line {line}', file)
                    chunk = body[i:q]
                    line += chunk.count('\n') + chunk.count('\r') - chunk.count('\r\n')
                    parts.append(chunk)
                    if q + 1 < n and body[q + 1] == '"':
                        parts.append('"')
                        i = q + 2
                        continue
                    i = q + 1
                    break
                if i < n and body[i] not in (delimiter, '\n', '\r'):
                    raise DataError(f'line {line}: Invalid Closing Quote: got "{body[i]}" at line {line} instead of delimiter, record delimiter, trimable character (if activated) or comment', file)
                cells.append(''.join(parts))
            else:
                j = i
                while j < n and body[j] not in (delimiter, '\n', '\r'):
                    if body[j] == '"':
                        name = field_name(len(cells))
                        raise DataError(f'line {line}: Invalid Opening Quote: a quote is found on field {json.dumps(name, ensure_ascii=False)} at line {line}, value is {json.dumps(body[i:j], ensure_ascii=False)}', file)
                    j += 1
                cells.append(body[i:j])
                i = j
            if i < n and body[i] == delimiter:
                i += 1
                continue
            break
        rec_line = line
        if i < n:
            i += 2 if body[i] == '\r' and i + 1 < n and body[i + 1] == '\n' else 1
            line += 1
        if cells != ['']:
            yield cells, rec_line
        if i >= n:
            return


_ERRNO_WORDS = {
    'ENOENT': 'no such file or directory', 'EACCES': 'permission denied', 'EPERM': 'operation not permitted',
    'ELOOP': 'too many levels of symbolic links (a symlink loop?)', 'EISDIR': 'it is a directory',
    'ENOTDIR': 'a part of the path is not a directory', 'ENAMETOOLONG': 'the path is too long', 'EMFILE': 'too many open files',
    'EIO': 'input/output error', 'EBUSY': 'the file is busy',
}


def _format_bytes(n):
    if n < 1024:
        return f'{n} bytes'
    units = ['KiB', 'MiB', 'GiB', 'TiB']
    v, i = n / 1024, 0
    while v >= 1024 and i < len(units) - 1:
        v /= 1024
        i += 1
    return f"{math.floor(v + 0.5) if v >= 100 else js_number_text(float(f'{v:.1f}'))} {units[i]}"


def _io_words(e, path):
    import errno as errno_mod

    code = errno_mod.errorcode.get(e.errno or 0, '')
    if code == 'ENOENT' and os.path.islink(path):
        return 'a symbolic link to something that does not exist'
    return _ERRNO_WORDS.get(code) or (e.strerror or str(e))


def read_table(path, display=None):
    """Reads and parses a table file (bounded; strict UTF-8), as dlc's readTable; a file that cannot
    be read is a DataError in dlc's words ("<file>: no such file or directory")."""
    import stat

    display = path if display is None else display
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, 'O_NONBLOCK', 0))
    except OSError as e:
        raise DataError(_io_words(e, path), display) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = 'a directory' if stat.S_ISDIR(st.st_mode) else 'a FIFO' if stat.S_ISFIFO(st.st_mode) else 'not a regular file'
            raise DataError(f'it is {kind}, not a regular file' if kind != 'not a regular file' else 'it is not a regular file', display)
        if st.st_size > MAX_TABLE_BYTES:
            raise DataError(f'it is {_format_bytes(st.st_size)}; the limit for a data file is {_format_bytes(MAX_TABLE_BYTES)}', display)
        chunks, total = [], 0
        while total <= MAX_TABLE_BYTES:
            b = os.read(fd, 1 << 20)
            if not b:
                break
            chunks.append(b)
            total += len(b)
        if total > MAX_TABLE_BYTES:
            raise DataError(f'it is larger than the limit for a data file ({_format_bytes(MAX_TABLE_BYTES)})', display)
        raw = b''.join(chunks)
    except OSError as e:
        raise DataError(_io_words(e, path), display) from None
    finally:
        os.close(fd)
    bad = first_invalid_utf8_line(raw)
    if bad is not None:
        raise DataError(f'line {bad}: not valid UTF-8 (save the file as UTF-8)', display)
    return parse_table(raw.decode('utf-8'), display)


def resolve_data_path(path, data_dir=None):
    """Where a data file named in a spec lives (dlc's resolveDataPath): an absolute path as it is;
    a relative one from `data_dir` (default: $DLC_DATA_DIR, else the working directory) when that
    file exists; else, for a package path such as vega-datasets/data/cars.json, the first
    node_modules/<path> found in data_dir or a parent of it (then this project's folder and its
    parents); else left relative to data_dir (so the error names the path the user meant)."""
    if os.path.isabs(path):
        return path
    base = os.path.abspath(data_dir or os.environ.get('DLC_DATA_DIR') or os.getcwd())
    local = os.path.join(base, path)
    if os.path.exists(local):
        return local
    if not path.startswith('.'):
        here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        for start in (base, here):
            d = start
            while True:
                cand = os.path.join(d, 'node_modules', path)
                if os.path.exists(cand):
                    return cand
                parent = os.path.dirname(d)
                if parent == d:
                    break
                d = parent
    return local


# --- the table logic (tabular.ts) --------------------------------------------------------------------

def feature_entries(data):
    out = []
    for i, f in enumerate(data.get('features') or []):
        if isinstance(f, str):
            out.append({'column': f, 'index': i})
        else:
            e = {'column': f['column'], 'index': i}
            if f.get('type'):
                e['type'] = f['type']
            out.append(e)
    return out


def referenced_columns(data):
    out = []
    w = data.get('window')
    if w:
        out.append(w['column'])
        if w.get('order_by') is not None:
            out.append(w['order_by'])
    else:
        out.extend(f['column'] for f in feature_entries(data))
        if data.get('target') is not None:
            out.append(data['target'])
    ts = data.get('test_split') or {}
    if ts.get('column') is not None:
        out.append(ts['column'])
    return out


def infer_type(rows, column, declared=None):
    if declared:
        return declared
    for r in rows:
        c = r.get(column)
        if not is_missing(c) and not _finite(cell_number(c)):
            return 'categorical'
    return 'numeric'


def drop_missing(rows, data):
    """Rows with a missing target dropped, and (policy drop) rows with a missing feature."""
    cols = [f['column'] for f in feature_entries(data)]
    policy = data.get('missing', 'drop') or 'drop'
    target = data.get('target')
    return [r for r in rows if (target is None or not is_missing(r.get(target))) and (policy != 'drop' or all(not is_missing(r.get(c)) for c in cols))]


def _target_type(data):
    return data.get('target_type') or 'class'


def plan_table(rows, data):
    """Category lists (from all rows: a stable one-hot layout), classes and the input width."""
    columns = []
    fill = data.get('missing')
    for f in feature_entries(data):
        t = infer_type(rows, f['column'], f.get('type'))
        if t != 'categorical':
            columns.append({'column': f['column'], 'type': t})
            continue
        cats = {}
        for r in rows:
            if not is_missing(r.get(f['column'])):
                cats.setdefault(cell_text(r.get(f['column'])), None)
        if isinstance(fill, dict) and isinstance(fill.get('constant'), str):
            cats.setdefault(fill['constant'], None)
        columns.append({'column': f['column'], 'type': t, 'categories': sorted(cats, key=js_key)})
    classes = {}
    target = data.get('target')
    if _target_type(data) == 'class' and target is not None:
        for r in rows:
            if not is_missing(r.get(target)):
                classes.setdefault(cell_text(r.get(target)), None)
    width = sum(len(c['categories']) if 'categories' in c else 1 for c in columns)
    return {'columns': columns, 'classes': sorted(classes, key=js_key), 'width': width}


def _to_int32(v):
    v = int(v) & M32
    return v - (1 << 32) if v >= 1 << 31 else v


def split_indices(count, ratio, seed, strata=None):
    """The seeded test split (splitIndices): per stratum (sorted), a Fisher–Yates shuffle drawn from
    mulberry32(seed ^ 0x5eed), the first round(len × ratio) go to test; both lists ascending."""
    rand = Rng(_to_int32(_to_int32(seed) ^ 0x5EED))
    groups = {}
    for i in range(count):
        groups.setdefault(strata[i] if strata is not None else '', []).append(i)
    test = set()
    for key in sorted(groups, key=js_key):
        g = groups[key]
        for i in range(len(g) - 1, 0, -1):
            j = math.floor(rand() * (i + 1))
            g[i], g[j] = g[j], g[i]
        n = math.floor(len(g) * ratio + 0.5)
        test.update(g[:n])
    train, test_out = [], []
    for i in range(count):
        (test_out if i in test else train).append(i)
    return train, test_out


def _fsum(xs):
    """Left-to-right float64 sum (JavaScript's reduce; Python's sum may compensate)."""
    t = 0.0
    for x in xs:
        t += x
    return t


def fit_table(train, plan, data):
    """The preprocessing fitted on the training rows only (fitTable): a TablePreprocessing dict."""
    policy = data.get('missing', 'drop') or 'drop'
    columns = []
    for c in plan['columns']:
        col = c['column']
        if c['type'] == 'categorical':
            fill = None
            if policy in ('mode', 'mean'):
                counts = {}
                for r in train:
                    if not is_missing(r.get(col)):
                        k = cell_text(r.get(col))
                        counts[k] = counts.get(k, 0) + 1
                if counts:
                    fill = sorted(counts.items(), key=lambda kv: (-kv[1], js_key(kv[0])))[0][0]
            elif isinstance(policy, dict):
                fill = js_string(policy['constant'])
            out = {'column': col, 'type': c['type'], 'categories': list(c['categories'])}
            if fill is not None:
                out['fill'] = fill
            columns.append(out)
            continue
        xs = [v for v in (cell_number(r.get(col), c['type']) for r in train) if math.isfinite(v)]
        mean = _fsum(xs) / len(xs) if xs else 0.0
        sd = math.sqrt(_fsum((x - mean) ** 2 for x in xs) / len(xs)) if xs else 1.0
        fill = None
        if policy == 'mean':
            fill = mean
        elif policy == 'mode':
            counts = {}
            for x in xs:
                counts[x] = counts.get(x, 0) + 1
            fill = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if counts else mean
        elif isinstance(policy, dict):
            k = policy['constant']
            fill = float(k) if isinstance(k, (int, float)) and not isinstance(k, bool) else cell_number(k, c['type'])
        out = {'column': col, 'type': c['type'], 'mean': mean, 'std': sd if sd > 1e-12 else 1}
        if fill is not None:
            out['fill'] = fill
        columns.append(out)
    return {'kind': 'table', 'columns': columns, 'target': data.get('target') or '', 'targetType': _target_type(data),
            'classes': list(plan['classes']), 'width': plan['width']}


def encode_row(row, pre, out, offset):
    """Writes the row's encoding into out[offset:offset + width]; returns why it cannot, or None (encodeRow)."""
    o = offset
    for c in pre['columns']:
        raw = row.get(c['column'])
        cats = c.get('categories')
        if cats is not None:
            if is_missing(raw):
                v = js_string(c['fill']) if c.get('fill') is not None else None
            else:
                v = cell_text(raw)
            if v is None:
                return f"column '{c['column']}' is missing"
            if v not in cats:
                shown = ', '.join(cats[:6]) + (', …' if len(cats) > 6 else '')
                return f"column '{c['column']}' has '{v}', which is not one of its categories ({shown})"
            out[o:o + len(cats)] = 0
            out[o + cats.index(v)] = 1
            o += len(cats)
        else:
            x = cell_number(raw, c['type'])
            if is_missing(raw):
                f = c.get('fill')
                if not isinstance(f, (int, float)) or isinstance(f, bool):
                    return f"column '{c['column']}' is missing"
                x = float(f)
            elif not math.isfinite(x):
                return f"column '{c['column']}' is {c['type']} but holds '{cell_text(raw)}'"
            out[o] = (x - c['mean']) / c['std']
            o += 1
    return None


# --- sets ----------------------------------------------------------------------------------------------

class TableSet(EncodedSet):
    """Encoded rows x float32 [n, *shape]; class-index labels (int64 [n]; zeros for real targets, one group
    for the validation split as in dlc) and, for real targets, float32 targets [n, width]."""
    __slots__ = ()


def _encode(rows, lines, file, pre):
    n, width = len(rows), pre['width']
    x = np.zeros((n, width), dtype=np.float64)
    real = pre['targetType'] == 'real'
    labels = np.zeros(n, dtype=np.int64)
    targets = np.zeros((n, 1), dtype=F32) if real else None
    classes = pre['classes']
    index = {c: i for i, c in enumerate(classes)}
    for i, row in enumerate(rows):
        problem = encode_row(row, pre, x[i], 0)
        if problem:
            raise DataError(f'line {lines[i]}: {problem}', file)
        t = row.get(pre['target'])
        if real:
            y = cell_number(t)
            if not math.isfinite(y):
                raise DataError(f"line {lines[i]}: the target '{pre['target']}' is real but holds '{cell_text(t)}'", file)
            targets[i, 0] = y
        else:
            labels[i] = index.get(cell_text(t), -1)
            if labels[i] < 0:
                raise DataError(f"line {lines[i]}: the target '{pre['target']}' holds '{cell_text(t)}', which is not one of the classes ({', '.join(classes[:6])}{', …' if len(classes) > 6 else ''})", file)
    return TableSet(x.astype(F32), labels, targets, 'real' if real else 'class')


def _check_columns(table, data):
    for col in referenced_columns(data):
        if col not in table.columns:
            have = ', '.join(f"'{c}'" for c in table.columns)
            raise DataError(f"line 1: no column '{col}' (the columns are {have})", table.file)


def _check_saved(saved, kind, data, file):
    """A saved preprocessing of `kind` for this spec's target (savedTable): another kind or target, or a
    table one without its columns, classes or width, is a DataError naming what differs."""
    if saved.get('kind') != kind:
        raise DataError(f"the saved preprocessing is of kind {saved.get('kind')!r}, this data needs {kind!r}", file)
    want = data['window']['column'] if kind == 'window' else data.get('target')
    if saved.get('target') != want:
        raise DataError(f"the saved preprocessing is for the target '{saved.get('target')}', but this spec's is '{want}'", file)
    width = saved.get('width')
    if kind == 'table' and (not isinstance(saved.get('columns'), list) or not isinstance(saved.get('classes'), list) or not isinstance(width, (int, float)) or isinstance(width, bool)):
        raise DataError('the saved table preprocessing lacks its columns, classes or width', file)


def load_table(data, seed=0, log=None, data_dir=None, saved=None):
    """Loads the table and fits its preprocessing (loadTable); `saved` (a preprocessing.json dict)
    is used instead of fitting. Returns a LoadedDataset whose .preprocessing is what a run saves."""
    if not data.get('path'):
        raise DataError('data.dataset is csv but data.path (the table file) is missing')
    table = read_table(_found(data['path'], data_dir), data['path'])
    _check_columns(table, data)
    if data.get('window'):
        return _load_windows(table, data, log, saved)
    split = data.get('test_split') or {}
    if split.get('path') is not None:
        t2 = read_table(_found(split['path'], data_dir), split['path'])
        _check_columns(t2, data)
        a = _keep(table.rows, table.lines, data)
        b = _keep(t2.rows, t2.lines, data)
        train = (a[0], a[1], table.file)
        test = (b[0], b[1], t2.file)
        dropped = len(table.rows) - len(a[0]) + len(t2.rows) - len(b[0])
    else:
        rows, lines = _keep(table.rows, table.lines, data)
        dropped = len(table.rows) - len(rows)
        if split.get('column') is not None:
            value = split.get('value') if split.get('value') is not None else 'test'
            tr, te = [], []
            for i, r in enumerate(rows):
                (te if cell_text(r.get(split['column'])) == value else tr).append(i)
        else:
            strata = [cell_text(r.get(data['target'])) for r in rows] if _target_type(data) == 'class' and data.get('target') is not None else None
            ratio = split.get('ratio')
            tr, te = split_indices(len(rows), 0.2 if ratio is None else ratio, seed if seed is not None else 0, strata)
        train = ([rows[i] for i in tr], [lines[i] for i in tr], table.file)
        test = ([rows[i] for i in te], [lines[i] for i in te], table.file)
    if len(train[0]) == 0 or len(test[0]) == 0:
        raise DataError(f'the split leaves {len(train[0])} training and {len(test[0])} test rows; both need at least one', table.file)
    if dropped > 0 and log:
        missing = data.get('missing', 'drop') or 'drop'
        log(f"{data['path']}: {dropped} row{'' if dropped == 1 else 's'} with missing values dropped (data.missing: {json.dumps(missing, separators=(',', ':'), ensure_ascii=False)})")
    plan = plan_table(train[0] + test[0], data)
    if saved is not None:
        _check_saved(saved, 'table', data, table.file)
        fitted = ', '.join(c['column'] for c in plan['columns'])
        given = ', '.join(str(c.get('column')) for c in saved['columns'])
        if fitted != given:
            raise DataError(f"the saved preprocessing encodes the columns {given}, but the spec's features are {fitted}", table.file)
        pre = saved
    else:
        pre = fit_table(train[0], plan, data)
    ds = LoadedDataset('csv', pre['classes'], _encode(*train, pre), _encode(*test, pre))
    ds.preprocessing = pre
    return ds


def _found(path, data_dir):
    """resolve_data_path, with a hint for a relative path found nowhere (an emitted project runs
    away from the spec's folder)."""
    resolved = resolve_data_path(path, data_dir)
    if not os.path.isabs(path) and not os.path.lexists(resolved):
        base = os.path.abspath(data_dir or os.environ.get('DLC_DATA_DIR') or os.getcwd())
        raise DataError(f'no such file or directory (looked in {base} and, as a package path, in the node_modules folders above it); '
                        'pass train.py --data-dir DIR (the folder the spec names its data from) or set DLC_DATA_DIR', path)
    return resolved


def _keep(rows, lines, data):
    kept_ids = {id(r) for r in drop_missing(rows, data)}
    keep_rows, keep_lines = [], []
    for r, l in zip(rows, lines):
        if id(r) in kept_ids:
            keep_rows.append(r)
            keep_lines.append(l)
    return keep_rows, keep_lines


def _load_windows(table, data, log, saved):
    w = data['window']
    length = w['length']
    horizon = w.get('horizon') or 1
    order = list(range(len(table.rows)))
    if w.get('order_by') is not None:
        def key(i):
            c = table.rows[i].get(w['order_by'])
            n = cell_number(c)
            return n if math.isfinite(n) else cell_number(c, 'date')
        keys = [key(i) for i in order]
        order = sorted((i for i in order if math.isfinite(keys[i])), key=lambda i: (keys[i], i))
    series = []
    for i in order:
        c = table.rows[i].get(w['column'])
        if is_missing(c):
            continue
        v = cell_number(c)
        if not math.isfinite(v):
            raise DataError(f"line {table.lines[i]}: column '{w['column']}' is numeric but holds '{cell_text(c)}'", table.file)
        series.append(v)
    ratio = (data.get('test_split') or {}).get('ratio')
    train_end = math.floor(len(series) * (1 - (0.2 if ratio is None else ratio)))
    if saved is not None:
        _check_saved(saved, 'window', data, table.file)
        given = saved.get('window') or {}
        if given.get('length') != length or given.get('horizon') != horizon:
            raise DataError(f"the saved preprocessing is for windows of {given.get('length')}+{given.get('horizon')}, but the spec's are {length}+{horizon}", table.file)
        mean, std = given['mean'], given['std']
    else:
        head = series[:train_end]
        mean = _fsum(head) / max(1, len(head))
        std = math.sqrt(_fsum((v - mean) ** 2 for v in head) / max(1, len(head))) or 1
    z = [(v - mean) / std for v in series]
    train_starts, test_starts = [], []
    s = 0
    while s + length + horizon <= len(series):
        if s + length + horizon <= train_end:
            train_starts.append(s)
        elif s + length >= train_end:
            test_starts.append(s)
        s += 1
    if not train_starts or not test_starts:
        raise DataError(f'{len(series)} values give {len(train_starts)} training and {len(test_starts)} test windows of {length}+{horizon}; use a shorter window or another test_split.ratio', table.file)
    zz = np.asarray(z, dtype=np.float64)

    def make(starts):
        x = np.stack([zz[s:s + length] for s in starts]).astype(F32).reshape(len(starts), length, 1)
        y = np.stack([zz[s + length:s + length + horizon] for s in starts]).astype(F32)
        return TableSet(x, np.zeros(len(starts), dtype=np.int64), y, 'real')

    se, ae = 0.0, 0.0
    for s in test_starts:
        for h in range(horizon):
            d = z[s + length + h] - z[s + length - 1]
            se += d * d
            ae += abs(d)
    m = len(test_starts) * horizon
    if log:
        log(f"{data['path']}: {len(series)} values of '{w['column']}'; naive last-value forecast on the test tail: MSE {se / m:.4f}, MAE {ae / m:.4f} (standardised; ×{std:.3f} for {w['column']}'s units)")
    pre = saved if saved is not None else {'kind': 'window', 'columns': [], 'target': w['column'], 'targetType': 'real', 'classes': [], 'width': length,
                                             'window': {'length': length, 'horizon': horizon, 'mean': mean, 'std': std}}
    ds = LoadedDataset('csv', [], make(train_starts), make(test_starts))
    ds.preprocessing = pre
    return ds


def js_number_text(v):
    """Number.prototype.toString of a float64 (the shortest round-trip digits, JavaScript's layout)."""
    from decimal import Decimal

    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, int):
        if abs(v) <= 2 ** 53:
            return str(v)
        v = float(v)  # JSON.parse reads big integers as float64
    if math.isnan(v):
        return 'NaN'
    if math.isinf(v):
        return 'Infinity' if v > 0 else '-Infinity'
    if v == 0:
        return '0'
    sign, digits, exp = Decimal(repr(v)).as_tuple()
    ds = ''.join(map(str, digits)).lstrip('0')
    stripped = ds.rstrip('0')
    exp += len(ds) - len(stripped)
    ds = stripped
    k = len(ds)
    n = exp + k
    if k <= n <= 21:
        out = ds + '0' * (n - k)
    elif 0 < n <= 21:
        out = ds[:n] + '.' + ds[n:]
    elif -6 < n <= 0:
        out = '0.' + '0' * (-n) + ds
    else:
        e = n - 1
        out = (ds if k == 1 else ds[0] + '.' + ds[1:]) + 'e' + ('+' if e >= 0 else '-') + str(abs(e))
    return ('-' if sign else '') + out


def js_json(value, indent=2, level=0):
    """JSON.stringify(value, null, indent): JavaScript's number text, NaN/±Infinity as null."""
    pad, inner = ' ' * (indent * level), ' ' * (indent * (level + 1))
    if value is None or value is True or value is False:
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return js_number_text(value) if math.isfinite(value) else 'null'
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        if not value:
            return '[]'
        return '[\n' + ',\n'.join(inner + js_json(v, indent, level + 1) for v in value) + '\n' + pad + ']'
    if isinstance(value, dict):
        if not value:
            return '{}'
        return '{\n' + ',\n'.join(inner + json.dumps(str(k), ensure_ascii=False) + ': ' + js_json(v, indent, level + 1) for k, v in value.items()) + '\n' + pad + '}'
    raise TypeError(f'not JSON: {type(value).__name__}')


def preprocessing_json(pre):
    """preprocessing.json's text, as dlc writes it (JSON.stringify(pre, null, 2) + newline)."""
    return js_json(pre) + '\n'
