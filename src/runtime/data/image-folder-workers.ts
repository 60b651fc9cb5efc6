/**
 * Parallel decoding of many image files into one shared pixel buffer.
 * Workers (worker_threads) each take chunks of the file list from a queue,
 * read and decode them with the same DECODE_SOURCE the main thread uses, and
 * write pixels straight into a SharedArrayBuffer — no copies back.
 */
import { FileReadError, MAX_IMAGE_FILE_BYTES, readFileBounded } from '../../compiler/shared/bounded-read.js';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DataError } from './errors.js';
import { DECODE_SOURCE, decoderLibPaths, localDecoder } from './image-decode.js';

export interface DecodeJob {
  readonly files: readonly string[];
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly allowResize: boolean;
  /** Worker threads to use; 0 decodes on this thread. Default: by file count and cores. */
  readonly workers?: number;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const jpeg = require(workerData.jpegPath);
const PNG = require(workerData.pngPath).PNG;
${DECODE_SOURCE}
const out = new Uint8Array(workerData.sab);
const { h, w, c, allowResize } = workerData;
parentPort.on('message', (job) => {
  for (let i = 0; i < job.files.length; i++) {
    const file = job.files[i];
    try {
      decodeInto(fs.readFileSync(file), out, (job.start + i) * h * w * c, h, w, c, allowResize, jpeg, PNG);
    } catch (e) {
      parentPort.postMessage({ error: e && e.code ? 'cannot read file (' + e.code + ')' : String(e && e.message ? e.message : e), file });
      return;
    }
  }
  parentPort.postMessage({ done: true });
});
`;

const CHUNK = 400;

/** Decodes every file into one uint8 buffer (file i at i*h*w*c). Errors name the file. */
export async function decodeFiles(job: DecodeJob): Promise<Uint8Array> {
  const per = job.h * job.w * job.c;
  const n = job.files.length;
  const workers = job.workers ?? (n < 2 * CHUNK ? 0 : Math.min(availableParallelism(), 8, Math.ceil(n / CHUNK)));
  if (workers <= 0) {
    const out = new Uint8Array(new SharedArrayBuffer(n * per)); // shared, like the threaded path
    const decode = localDecoder();
    job.files.forEach((file, i) => {
      let buf: Buffer;
      try {
        buf = readFileBounded(file, { limit: MAX_IMAGE_FILE_BYTES, what: 'image' });
      } catch (e) {
        throw new DataError(e instanceof FileReadError ? e.reason : `cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, file);
      }
      try {
        decode(buf, out, i * per, job.h, job.w, job.c, job.allowResize);
      } catch (e) {
        throw new DataError((e as Error).message, file);
      }
    });
    return out;
  }

  const sab = new SharedArrayBuffer(n * per);
  const chunks: { start: number; files: readonly string[] }[] = [];
  for (let s = 0; s < n; s += CHUNK) chunks.push({ start: s, files: job.files.slice(s, s + CHUNK) });
  const pool: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let pending = chunks.length;
      let failed = false;
      const fail = (err: Error) => {
        if (!failed) {
          failed = true;
          reject(err);
        }
      };
      const feed = (wk: Worker) => {
        if (next < chunks.length) wk.postMessage(chunks[next++]);
      };
      for (let i = 0; i < Math.min(workers, chunks.length); i++) {
        const wk = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { ...decoderLibPaths(), sab, h: job.h, w: job.w, c: job.c, allowResize: job.allowResize },
        });
        pool.push(wk);
        wk.on('message', (m: { done?: boolean; error?: string; file?: string }) => {
          if (m.error !== undefined) return fail(new DataError(m.error, m.file));
          if (--pending === 0) resolve();
          else feed(wk);
        });
        wk.on('error', (e) => fail(new DataError(`image decoding worker failed: ${e.message}`)));
        feed(wk);
      }
    });
  } finally {
    await Promise.all(pool.map((wk) => wk.terminate()));
  }
  // Kept in shared memory: the batch worker reads it without another copy.
  return new Uint8Array(sab);
}
