/**
 * NamedArray[] ↔ a JSON index plus one little-endian float32 binary, the
 * on-disk form of optimizer state (moments, accumulators, step counters).
 */
import type { NamedArray } from '../contracts.js';

export interface NamedArrayIndexEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32';
  /** Offset and length in float32 elements into the binary. */
  readonly offset: number;
  readonly length: number;
}

export interface NamedArrayIndex {
  readonly format: 'dlc-named-arrays/1';
  readonly arrays: readonly NamedArrayIndexEntry[];
}

/** Packs arrays into an index and one binary blob. */
export function encodeNamedArrays(arrays: readonly NamedArray[]): { index: NamedArrayIndex; data: Uint8Array } {
  const total = arrays.reduce((n, a) => n + a.values.length, 0);
  const all = new Float32Array(total);
  const entries: NamedArrayIndexEntry[] = [];
  let offset = 0;
  for (const a of arrays) {
    all.set(a.values, offset);
    entries.push({ name: a.name, shape: [...a.shape], dtype: 'float32', offset, length: a.values.length });
    offset += a.values.length;
  }
  return { index: { format: 'dlc-named-arrays/1', arrays: entries }, data: new Uint8Array(all.buffer) };
}

/** Unpacks what encodeNamedArrays wrote; throws on a truncated or mismatched binary. */
export function decodeNamedArrays(index: NamedArrayIndex, data: Uint8Array): NamedArray[] {
  if (index.format !== 'dlc-named-arrays/1') throw new Error(`unknown named-array format '${String(index.format)}'`);
  const copy = new Uint8Array(data.byteLength);
  copy.set(data);
  const all = new Float32Array(copy.buffer, 0, Math.floor(copy.byteLength / 4));
  return index.arrays.map((e) => {
    if (e.offset + e.length > all.length) throw new Error(`named array '${e.name}' runs past the end of the binary (truncated file?)`);
    const size = e.shape.reduce((n, d) => n * d, 1);
    if (size !== e.length) throw new Error(`named array '${e.name}': shape [${e.shape.join(',')}] does not hold ${e.length} values`);
    return { name: e.name, shape: [...e.shape], values: all.slice(e.offset, e.offset + e.length) };
  });
}
