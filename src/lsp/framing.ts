/**
 * A guard in front of the LSP message reader. vscode-jsonrpc's reader, given
 * a header without a valid Content-Length, reports an error once and then
 * reads the message body as the next header block: every later message is
 * lost and the server sits there, silently wedged. This stream passes
 * well-framed messages through byte for byte and, on a bad header, reports
 * it (`onError`) and skips ahead to the next `Content-Length:` header, so the
 * server recovers with the next good message. It also refuses a declared
 * body larger than `maxBody` (a 4 GB Content-Length must not be buffered).
 */
import { Transform, type TransformCallback } from 'node:stream';

const HEADER_END = Buffer.from('\r\n\r\n');
const RESYNC = /content-length\s*:/i;

/** Largest message body accepted (specs are at most 1 MiB; JSON escaping can double that). */
export const MAX_LSP_BODY = 16 * 1024 * 1024;
/** Longest header block looked at before it is declared garbage. */
const MAX_HEADER = 8 * 1024;

export class FramingGuard extends Transform {
  private buf: Buffer = Buffer.alloc(0);
  /** Body bytes still to pass through for the current message. */
  private bodyLeft = 0;
  /** After a bad header: skipping bytes until the next `Content-Length:`. */
  private resyncing = false;

  constructor(
    private readonly onError: (message: string) => void,
    private readonly maxBody = MAX_LSP_BODY,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    try {
      this.drain();
    } catch (err) {
      this.onError(`framing: ${(err as Error).message}`);
      this.buf = Buffer.alloc(0);
      this.bodyLeft = 0;
      this.resyncing = true;
    }
    done();
  }

  private drain(): void {
    for (;;) {
      if (this.bodyLeft > 0) {
        const n = Math.min(this.bodyLeft, this.buf.length);
        if (n === 0) return;
        this.push(this.buf.subarray(0, n));
        this.buf = this.buf.subarray(n);
        this.bodyLeft -= n;
        continue;
      }
      if (this.buf.length === 0) return;
      if (this.resyncing && !this.seek()) return;
      const end = this.buf.indexOf(HEADER_END);
      if (end < 0) {
        if (this.buf.length > MAX_HEADER) this.resync('a header block longer than 8 KiB');
        return;
      }
      const header = this.buf.subarray(0, end).toString('latin1');
      const length = contentLength(header);
      if (typeof length === 'string') {
        this.resync(length);
        continue;
      }
      if (length > this.maxBody) {
        this.resync(`Content-Length ${length} is larger than the limit of ${this.maxBody} bytes`);
        continue;
      }
      this.push(this.buf.subarray(0, end + HEADER_END.length));
      this.buf = this.buf.subarray(end + HEADER_END.length);
      this.bodyLeft = length;
    }
  }

  /** Reports `why`, drops the bad header's first line, then skips to the next `Content-Length:`. */
  private resync(why: string): void {
    this.onError(`dropped a message: ${why}; skipping to the next Content-Length header`);
    const nl = this.buf.indexOf('\n');
    this.buf = nl < 0 ? Buffer.alloc(0) : this.buf.subarray(nl + 1);
    this.resyncing = true;
  }

  /** While resyncing: cut the buffer to the next `Content-Length:`; false when more bytes are needed. */
  private seek(): boolean {
    const at = this.buf.toString('latin1').search(RESYNC);
    if (at < 0) {
      // A header may be split across chunks: keep a short tail.
      this.buf = this.buf.subarray(Math.max(0, this.buf.length - 16));
      return false;
    }
    this.buf = this.buf.subarray(at);
    this.resyncing = false;
    return true;
  }
}

/** The Content-Length of a header block, or why there is none. */
export function contentLength(header: string): number | string {
  let found: number | string = 'a header without Content-Length';
  for (const line of header.split('\r\n')) {
    const m = /^content-length\s*:\s*(.*)$/i.exec(line.trim());
    if (!m) continue;
    const v = m[1]!.trim();
    if (!/^\d+$/.test(v)) return `Content-Length ${JSON.stringify(v.slice(0, 40))} is not a number`;
    found = Number(v);
  }
  return found;
}
