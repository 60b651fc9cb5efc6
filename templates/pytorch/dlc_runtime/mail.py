"""The readable part of an RFC 822 mail, for the SpamAssassin corpus (src/runtime/data/mail.ts in
dlc, character for character): the Subject and the body, without the other headers (In-Reply-To,
Received or X-Spam-* give the label away). The body is decoded: quoted-printable and base64
transfer encodings, and of a multipart mail the text/* parts only (attachments are dropped). Bytes
decoded from quoted-printable or base64 are read as UTF-8 when they are valid UTF-8, else as
Latin-1 (the corpus's other charset). HTML is left in: the text data set strips it (strip_html).
"""
import base64
import re

from .texts import JS_WS, _JS_TRIM, decode_utf8_lenient

_BLANK_LINE = re.compile(r'\r?\n\r?\n')
_FOLD = re.compile(r'\r?\n[ \t]+')
_LINE = re.compile(r'\r?\n')
_SOFT_BREAK = re.compile(r'=\r?\n')
_HEX2 = re.compile(r'[0-9A-Fa-f]{2}')
_NOT_B64 = re.compile(r'[^A-Za-z0-9+/=]')
_BOUNDARY = re.compile(f'boundary[{JS_WS}]*=[{JS_WS}]*(?:"([^"]+)"|([^;{JS_WS}]+))', re.IGNORECASE)
_LEADING_NEWLINE = re.compile(r'^\r?\n')


def _split_part(raw):
    """(headers: lower-cased names → first value, folded lines unfolded; body after the first blank line)."""
    m = _BLANK_LINE.search(raw)
    head = raw[:m.start()] if m else raw
    body = raw[m.end():] if m else ''
    headers = {}
    for line in _LINE.split(_FOLD.sub(' ', head)):
        colon = line.find(':')
        if colon <= 0:
            continue
        name = line[:colon].strip(_JS_TRIM).lower()
        if name not in headers:
            headers[name] = line[colon + 1:].strip(_JS_TRIM)
    return headers, body


def _bytes_to_text(raw):
    text, invalid = decode_utf8_lenient(bytes(raw))
    return bytes(raw).decode('latin-1') if invalid else text


def _decode_quoted_printable(s):
    soft = _SOFT_BREAK.sub('', s)
    out = bytearray()
    i, n = 0, len(soft)
    while i < n:
        c = soft[i]
        o = ord(c)
        if c == "=" and _HEX2.fullmatch(soft[i + 1:i + 3]):
            out.append(int(soft[i + 1:i + 3], 16))
            i += 3
            continue
        if o < 0x80:
            out.append(o)
        elif o > 0xFFFF:
            # dlc encodes each UTF-16 half of an astral character alone: two U+FFFD.
            out += b'\xef\xbf\xbd\xef\xbf\xbd'
        else:
            out += c.encode('utf-8', 'replace')
        i += 1
    return _bytes_to_text(out)


def _node_base64(s):
    """Buffer.from(s, 'base64') for s of base64 characters only: decoding stops at the first `=`,
    a trailing partial group gives what whole bytes it holds."""
    eq = s.find('=')
    if eq >= 0:
        s = s[:eq]
    if len(s) % 4 == 1:
        s = s[:-1]
    return base64.b64decode(s + '=' * (-len(s) % 4))


def _decode_body(headers, body):
    enc = headers.get('content-transfer-encoding', '').lower()
    if 'quoted-printable' in enc:
        return _decode_quoted_printable(body)
    if 'base64' in enc:
        return _bytes_to_text(_node_base64(_NOT_B64.sub('', body)))
    return body


def _part_text(headers, body, depth):
    """The text of a part: text/* bodies decoded, multipart parts recursed into (depth-limited), others dropped."""
    ctype = headers.get('content-type', 'text/plain').lower()
    if ctype.startswith('multipart/') and depth < 5:
        m = _BOUNDARY.search(headers.get('content-type', ''))
        b = (m.group(1) or m.group(2)) if m else None
        if b:
            pieces = body.split(f'--{b}')
            # pieces[0] is the preamble; the piece after the closing `--b--` starts with `--`.
            texts = [_part_text(*_split_part(_LEADING_NEWLINE.sub('', p, count=1)), depth + 1) for p in pieces[1:] if not p.startswith('--')]
            return '\n'.join(t for t in texts if t != '')
    if not ctype.startswith(('text/', 'multipart/', 'message/')):
        return ''
    return _decode_body(headers, body)


def mail_text(raw):
    """Subject + decoded body text of one mail (mailText)."""
    headers, body = _split_part(raw)
    return f"{headers.get('subject', '')}\n{_part_text(headers, body, 0)}"
