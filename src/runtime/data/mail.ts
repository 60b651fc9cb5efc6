/**
 * The readable part of an RFC 822 mail, for the spam-assassin corpus: the
 * Subject and the body, without the other headers (headers such as
 * In-Reply-To, Received or X-Spam-* give the label away). The body is
 * decoded: quoted-printable and base64 transfer encodings, and of a
 * multipart mail the text/* parts only (attachments are dropped). Bytes
 * decoded from quoted-printable or base64 are read as UTF-8 when they are
 * valid UTF-8, else as Latin-1 (the corpus's other charset).
 */
import { decodeUtf8Lenient } from '../../compiler/shared/text.js';

interface Part {
  readonly headers: Map<string, string>;
  readonly body: string;
}

/** Headers (lower-cased names; folded lines unfolded) and the body after the first blank line. */
function splitPart(raw: string): Part {
  const m = /\r?\n\r?\n/.exec(raw);
  const head = m ? raw.slice(0, m.index) : raw;
  const body = m ? raw.slice(m.index + m[0].length) : '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function bytesToText(bytes: Uint8Array): string {
  const { text, invalid } = decodeUtf8Lenient(bytes);
  return invalid ? Buffer.from(bytes).toString('latin1') : text;
}

function decodeQuotedPrintable(s: string): string {
  const soft = s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const c = soft.charCodeAt(i);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) bytes.push(c);
    else for (const b of Buffer.from(soft[i], 'utf8')) bytes.push(b);
  }
  return bytesToText(Uint8Array.from(bytes));
}

function decodeBody(part: Part): string {
  const enc = (part.headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (enc.includes('quoted-printable')) return decodeQuotedPrintable(part.body);
  if (enc.includes('base64')) return bytesToText(Buffer.from(part.body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
  return part.body;
}

/** The text of a part: text/* bodies decoded, multipart parts recursed into (depth-limited), others dropped. */
function partText(part: Part, depth: number): string {
  const type = (part.headers.get('content-type') ?? 'text/plain').toLowerCase();
  if (type.startsWith('multipart/') && depth < 5) {
    const boundary = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(part.headers.get('content-type') ?? '');
    const b = boundary?.[1] ?? boundary?.[2];
    if (b) {
      const pieces = part.body.split(`--${b}`);
      // pieces[0] is the preamble; the piece after the closing `--b--` starts with `--`.
      const texts = pieces.slice(1).filter((p) => !p.startsWith('--')).map((p) => partText(splitPart(p.replace(/^\r?\n/, '')), depth + 1));
      return texts.filter((t) => t !== '').join('\n');
    }
  }
  if (!type.startsWith('text/') && !type.startsWith('multipart/') && !type.startsWith('message/')) return '';
  return decodeBody(part);
}

/** Subject + decoded body text of one mail. */
export function mailText(raw: string): string {
  const part = splitPart(raw);
  const subject = part.headers.get('subject') ?? '';
  return `${subject}\n${partText(part, 0)}`;
}
