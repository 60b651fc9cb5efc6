/**
 * Seeded randomness for the data pipeline. Everything random in data
 * loading, shuffling and augmentation comes from here — plain JS integer
 * arithmetic, so the same seed gives the same numbers on every tfjs backend,
 * and a resumed run can re-derive any epoch's stream from (seed, epoch, batch).
 */
import { mulberry32 as sharedMulberry32 } from '../../compiler/shared/mulberry32.js';

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** Mixes 32-bit words into one well-spread 32-bit seed (murmur3 finaliser over a running hash). */
export function mixSeed(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Fold non-integers and values beyond 32 bits in deterministically.
    const v = Number.isInteger(part) ? part : Math.floor(part * 0x100000000);
    const lo = v >>> 0;
    const hi = Math.floor(v / 0x100000000) >>> 0;
    for (const w of [lo, hi]) {
      h = Math.imul(h ^ w, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
    }
  }
  return h >>> 0;
}

/** mulberry32 (compiler/shared/mulberry32.ts): the one seeded generator, re-exported for the data pipeline. */
export const mulberry32: (seed: number) => Rng = sharedMulberry32;

/** An Rng keyed by several integers, e.g. rngFor(seed, epoch, batch, STREAM). */
export function rngFor(...parts: readonly number[]): Rng {
  return mulberry32(mixSeed(...parts));
}

/** Integer in [0, n). */
export function randInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** In-place Fisher–Yates shuffle. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(arr: T, rng: Rng): T {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = randInt(rng, i + 1);
    const t = arr[i];
    arr[i] = arr[j];
    arr[j] = t;
  }
  return arr;
}

/** A seeded permutation of 0..n-1. */
export function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return shuffleInPlace(p, rng);
}

/** Stream ids, so independent uses of the same (seed, epoch) never share numbers. */
export const STREAM = {
  shuffle: 1,
  split: 2,
  augment: 3,
  synthetic: 4,
} as const;
