/**
 * Reading a table for the csv data set: CSV (comma), TSV (tab; `.tsv` or a
 * tab in the header line) or a JSON array of records, with csv-parse. Every
 * failure is a DataError naming the file and the line: an empty file, a row
 * with more or fewer cells than the header, bytes that are not UTF-8, JSON
 * that is not an array of objects, a file over the size limit.
 */
import { parse } from 'csv-parse/sync';
import { FileReadError, readFileBounded } from '../../compiler/shared/bounded-read.js';
import type { TableRow } from '../../compiler/shared/tabular.js';
import { DataError } from './errors.js';

/** The largest table file read (bytes). */
export const MAX_TABLE_BYTES = 512 * 1024 * 1024;

export interface Table {
  readonly file: string;
  readonly columns: readonly string[];
  readonly rows: readonly TableRow[];
  /** The line (CSV) or record number (JSON, 1-based) of each row, for messages. */
  readonly lines: readonly number[];
}

/** The line of the first byte that is not valid UTF-8, or undefined when all are. */
export function firstInvalidUtf8Line(bytes: Uint8Array): number | undefined {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return undefined;
  } catch {
    // Find the offending byte by decoding growing prefixes line by line.
    let line = 1;
    let start = 0;
    const dec = new TextDecoder('utf-8', { fatal: true });
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          dec.decode(bytes.subarray(start, i));
        } catch {
          return line;
        }
        line++;
        start = i + 1;
      }
    }
    return line;
  }
}

/** Parses table text (already decoded); `file` is for messages. */
export function parseTable(text: string, file: string): Table {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new DataError('the file is empty (no header line)', file);
  if (/^\s*\[/.test(body)) {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch (err) {
      throw new DataError(`not valid JSON: ${(err as Error).message}`, file);
    }
    if (!Array.isArray(data)) throw new DataError('a JSON table must be an array of records', file);
    const columns = new Set<string>();
    data.forEach((r, i) => {
      if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new DataError(`record ${i + 1} is not an object`, file);
      for (const k of Object.keys(r)) columns.add(k);
    });
    if (data.length === 0) throw new DataError('the JSON array is empty', file);
    return { file, columns: [...columns], rows: data as TableRow[], lines: data.map((_, i) => i + 1) };
  }
  const firstLine = body.slice(0, body.indexOf('\n') < 0 ? body.length : body.indexOf('\n'));
  const delimiter = file.endsWith('.tsv') || (firstLine.includes('\t') && !firstLine.includes(',')) ? '\t' : ',';
  let records: { record: Record<string, string>; info: { lines: number } }[];
  let columns: string[] = [];
  try {
    records = parse(body, {
      delimiter,
      info: true,
      skip_empty_lines: true,
      bom: true,
      columns: (header: string[]) => {
        columns = header.map((h) => h.trim());
        const dup = columns.find((c, i) => columns.indexOf(c) !== i);
        if (dup !== undefined) throw new DataError(`line 1: column '${dup}' appears twice in the header`, file);
        return columns;
      },
    }) as unknown as { record: Record<string, string>; info: { lines: number } }[];
  } catch (err) {
    if (err instanceof DataError) throw err;
    const e = err as Error & { lines?: number; code?: string };
    const msg = e.code === 'CSV_RECORD_INCONSISTENT_COLUMNS' || e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' ? `row has ${/got (\d+)/.exec(e.message)?.[1] ?? 'a different number of'} cells but the header has ${columns.length} columns` : e.message.replace(/ on line \d+$/, '');
    throw new DataError(`line ${e.lines ?? '?'}: ${msg}`, file);
  }
  if (records.length === 0) throw new DataError('the file has a header but no rows', file);
  return { file, columns, rows: records.map((r) => r.record), lines: records.map((r) => r.info.lines) };
}

/** Reads and parses a table file (bounded; strict UTF-8). */
export function readTable(path: string, display: string = path): Table {
  let bytes: Buffer;
  try {
    bytes = readFileBounded(path, { limit: MAX_TABLE_BYTES, display, what: 'data file' });
  } catch (err) {
    throw new DataError(err instanceof FileReadError ? err.reason : (err as Error).message, display);
  }
  const bad = firstInvalidUtf8Line(bytes);
  if (bad !== undefined) throw new DataError(`line ${bad}: not valid UTF-8 (save the file as UTF-8)`, display);
  return parseTable(bytes.toString('utf8'), display);
}
