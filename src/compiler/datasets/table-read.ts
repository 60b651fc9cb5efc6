/**
 * The compiler's read of a csv data set's file: the header alone (for
 * `dlc check`'s column checks) or every row (for the facts: the one-hot
 * widths and the classes). The runtime reads with runtime/data/table-file.ts
 * (which reports malformed files by line); here any failure is one message.
 */
import { parse } from 'csv-parse/sync';
import { readFileBounded } from '../shared/bounded-read.js';
import type { TableRow } from '../shared/tabular.js';

const MAX_TABLE_BYTES = 512 * 1024 * 1024;
const HEADER_BYTES = 64 * 1024;

function delimiterOf(file: string, firstLine: string): string {
  return file.endsWith('.tsv') || (firstLine.includes('\t') && !firstLine.includes(',')) ? '\t' : ',';
}

/** The column names: a CSV's header line (read from the first 64 KiB only), or a JSON array's keys (the whole file). */
export function readHeader(path: string): string[] {
  const head = readFileBounded(path, { limit: MAX_TABLE_BYTES, what: 'data file' }).subarray(0, HEADER_BYTES).toString('utf8');
  if (/^\uFEFF?\s*\[/.test(head)) return [...new Set(readRows(path).flatMap((r) => Object.keys(r)))];
  const line = head.replace(/^\uFEFF/, '').split(/\r?\n/)[0];
  if (line.trim() === '') throw new Error(`'${path}' is empty (no header line)`);
  return (parse(line, { delimiter: delimiterOf(path, line), to_line: 1 }) as string[][])[0].map((h) => h.trim());
}

/** Every row, as records keyed by column. */
export function readRows(path: string): TableRow[] {
  const text = readFileBounded(path, { limit: MAX_TABLE_BYTES, what: 'data file' }).toString('utf8').replace(/^\uFEFF/, '');
  if (/^\s*\[/.test(text)) return JSON.parse(text) as TableRow[];
  const line = text.slice(0, Math.max(0, text.indexOf('\n')) || text.length);
  return parse(text, { delimiter: delimiterOf(path, line), columns: (h: string[]) => h.map((c) => c.trim()), skip_empty_lines: true, relax_column_count: true }) as TableRow[];
}
